"""Import a Word (.docx) or OpenDocument (.odt) manuscript through pandoc's readers.

The document is checked and copied first (``officezip``: zip bombs, damaged or
hostile archives end in a message), then read by pandoc with ``--sandbox``, a
time and a memory limit, its media extracted into a temporary folder, and the
filter ``filters/office.lua`` (styles to Markdown: quotations, captions, the table
of contents, Word's artefacts). Then:

- Word's Title, Subtitle, Author, Date and Abstract paragraphs (pandoc puts them in
  the metadata; for OpenDocument the filter does, from the styles read here) →
  book.yaml's title, subtitle, author, date and description; the document's
  properties (``docProps/core.xml``, ``meta.xml``) fill in a missing title or
  author, with a report line, and give the language.
- Every image is verified and kept in ``images/`` as ``image-01.png`` … (BMP and
  TIFF converted to PNG); one no e-reader shows (EMF, WMF) or that is linked
  rather than embedded is replaced by an HTML comment and reported at its line.
  An image without a description gets its figure's caption, or else its file
  name, and a report line.
- The text is written as Markdown (``pandocrun.to_markdown``: quotes and dashes
  typographic, pipe or grid tables, one paragraph a line) and split into chapters
  at a heading level (``chapters.assemble``: text before the first heading becomes
  the front-matter section "Preface", reported).
- Tracked changes are accepted, as Word's "Accept all" does, and comments left
  out; both are reported when the document has them.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
from importlib import resources
from pathlib import Path

from lxml import etree

from ..images import BadImage
from .chapters import assemble
from .media import Images
from .model import ImportedBook, ReportLine
from .officezip import unpack
from .pandocrun import stringify, to_json, to_markdown

NAME = "office"
SPLITS = True
KINDS = {".docx": "docx", ".odt": "odt"}
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False)
NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "dc": "http://purl.org/dc/elements/1.1/",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
}
# OpenDocument paragraph styles (display names, lower case) and what they are.
ODT_ROLES = {
    "title": "title", "subtitle": "subtitle", "author": "author", "date": "date",
    "abstract": "abstract", "quotations": "quote", "quote": "quote", "intense quote": "quote",
    "caption": "caption", "illustration": "caption", "figure": "caption", "table": "caption",
    "drawing": "caption", "figurecaption": "caption", "tablecaption": "caption",
    "image caption": "caption", "table caption": "caption",
}


def detects(source: Path) -> bool:
    return source.is_file() and source.suffix.lower() in KINDS


def read(source: Path, progress, split_level: int | None = None) -> ImportedBook:
    """The book in the document *source*, split at *split_level* (1–6, default 1).
    BuildError when the document is not one, is damaged or hostile."""
    kind = KINDS[source.suffix.lower()]
    book = ImportedBook(title="")
    report: list[ReportLine] = []

    def say(message: str) -> None:
        report.append(ReportLine(source, 0, message))

    with tempfile.TemporaryDirectory(prefix="folio-import-") as folder:
        work = Path(folder)
        unpacked = unpack(source, kind, work)
        for name in unpacked.left_out:
            say(f"the part '{name}' has a name that leads out of its folder; it was left out")
        roles = odt_roles(unpacked.parts) if kind == "odt" else {}
        progress("reading the document with pandoc")
        media = work / "media"
        reader = "docx+styles" if kind == "docx" else "odt"
        document = to_json(["--from", reader, f"--extract-media={media}",
                            "--lua-filter", _filter(), str(unpacked.path)],
                           source, size=unpacked.size,
                           environment={"FOLIO_ODT_ROLES": json.dumps(roles)})
        meta = document.get("meta", {})
        for entry in meta.pop("folio-report", {}).get("c", []):
            say(stringify(entry))
        _settings(meta, unpacked.parts, kind, book, say)
        _changes(unpacked.parts, kind, say)
        progress("keeping the images")
        images = Images()
        described: list[str] = []
        dropped: list[str] = []
        _images(document["blocks"], media, images, described, dropped, None)
        book.files.update(images.files)
        document["meta"] = {}
        markdown = to_markdown(document, source)
    chapters, loose = assemble(markdown, split_level or 1)
    for _, message in loose:
        say(message)
    for chapter in chapters:
        for number, line in enumerate(chapter.markdown.split("\n"), start=1):
            for written in described:
                if written in line:
                    name = written.split("](")[1]
                    chapter.report.append((number, f"the image '{name}' had no "
                                                   "description; it was given its caption "
                                                   "or file name: write what it shows"))
            for comment in dropped:
                if comment in line:
                    chapter.report.append((number, comment.removeprefix("<!-- ")
                                           .removesuffix(" -->")))
    if not chapters:
        say("the document holds no text")
    book.chapters = chapters
    book.report = report + book.report
    return book


def _filter() -> str:
    return str(resources.files("folio.importers") / "filters" / "office.lua")


def _images(node, media: Path, images: Images, described: list[str], dropped: list[str],
            caption: str | None) -> None:
    """Keep every image of the JSON AST *node* in *images* and point it there;
    replace one that cannot be kept by an HTML comment (listed in *dropped*)."""
    if isinstance(node, dict):
        if node.get("t") == "Figure":
            caption = stringify(node["c"][1]).strip() or None
        if isinstance(node.get("c"), list):
            _images(node["c"], media, images, described, dropped, caption)
        return
    if not isinstance(node, list):
        return
    for index, item in enumerate(node):
        if not (isinstance(item, dict) and item.get("t") == "Image"):
            _images(item, media, images, described, dropped, caption)
            continue
        attributes, alt, (target, title) = item["c"]
        path = Path(target)
        try:
            if not path.is_absolute() or media not in path.parents:
                raise BadImage("linked from outside the document, not embedded in it")
            name = images.add(path, media, stem=f"image-{len(images.files) + 1:02d}")
        except BadImage as error:
            comment = (f"<!-- the image '{path.name}' was not imported ({error}): add it "
                       "here by hand -->")
            dropped.append(comment)
            node[index] = {"t": "RawInline", "c": ["html", comment]}
            continue
        if not stringify(alt).strip():
            words = caption or Path(name).stem
            alt = [{"t": "Str", "c": words}]
            described.append(f"![{words}]({name}")
        item["c"] = [attributes, alt, [name, title]]


def _settings(meta: dict, parts: dict[str, bytes], kind: str, book: ImportedBook,
              say) -> None:
    """book.yaml's settings from pandoc's metadata and the document's properties."""
    properties = _properties(parts, kind)
    book.title = _plain(meta.get("title")) or ""
    book.subtitle = _plain(meta.get("subtitle")) or None
    book.description = _plain(meta.get("abstract")) or properties.get("description") or None
    authors = meta.get("author")
    names = ([_plain(a) for a in authors["c"]] if authors and authors["t"] == "MetaList"
             else [_plain(authors)] if authors else [])
    names = [name for name in names if name]
    if names:
        book.author = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    elif properties.get("author"):
        book.author = properties["author"]
        say(f"the author, '{book.author}', comes from the document's properties: check it "
            "in book.yaml")
    else:
        say("the document names no author (Word's Author style): set 'author' in book.yaml")
    if not book.title:
        if properties.get("title"):
            book.title = properties["title"]
            say(f"the title, '{book.title}', comes from the document's properties: check "
                "it in book.yaml")
        else:
            book.title = "Untitled"
            say("the document has no title (Word's Title style): set 'title' in book.yaml")
    date = _plain(meta.get("date"))
    if date:
        book.date = _date(date)
        if book.date is None:
            say(f"the date '{date}' was left out: book.yaml's date is written YYYY-MM-DD")
    language = properties.get("language", "")
    if _LANGUAGE.match(language):
        book.language = language


def _plain(value) -> str:
    return " ".join(stringify(value).split()) if value else ""


def _date(text: str) -> str | None:
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    for pattern in ("%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _xml(data: bytes | None):
    if not data:
        return None
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return None


def _first(tree, path: str) -> str:
    if tree is None:
        return ""
    found = tree.xpath(path, namespaces=NS)
    return " ".join(str(found[0]).split()) if found else ""


def _properties(parts: dict[str, bytes], kind: str) -> dict[str, str]:
    """Title, author, description and language from the document's properties."""
    if kind == "docx":
        core, styles = _xml(parts.get("docProps/core.xml")), _xml(parts.get("word/styles.xml"))
        return {"title": _first(core, "//dc:title/text()"),
                "author": _first(core, "//dc:creator/text()"),
                "description": _first(core, "//dc:description/text()"),
                "language": _first(core, "//dc:language/text()")
                or _first(styles, "//w:docDefaults//w:lang/@w:val")}
    meta, styles = _xml(parts.get("meta.xml")), _xml(parts.get("styles.xml"))
    language = _first(meta, "//dc:language/text()")
    if not language and styles is not None:
        defaults = "//style:default-style[@style:family='paragraph']/style:text-properties/"
        language = _first(styles, defaults + "@fo:language")
        country = _first(styles, defaults + "@fo:country")
        if language and country and country.lower() != "none":
            language = f"{language}-{country}"
    return {"title": _first(meta, "//dc:title/text()"),
            "author": _first(meta, "//meta:initial-creator/text()")
            or _first(meta, "//dc:creator/text()"),
            "description": _first(meta, "//dc:description/text()"),
            "language": language if language.lower() != "none" else ""}


def _changes(parts: dict[str, bytes], kind: str, say) -> None:
    """Report tracked changes (accepted) and comments (left out)."""
    if kind == "docx":
        document = parts.get("word/document.xml", b"")
        tracked = document.count(b"<w:ins ") + document.count(b"<w:del ")
        comments = parts.get("word/comments.xml", b"").count(b"<w:comment ")
    else:
        content = parts.get("content.xml", b"")
        tracked = content.count(b"<text:changed-region")
        comments = content.count(b"<office:annotation")
    if tracked:
        say(f"{tracked} tracked change(s) were accepted, as 'Accept all' does: read the "
            "text again")
    if comments:
        say(f"{comments} comment(s) were left out: read them in the document")


def odt_roles(parts: dict[str, bytes]) -> dict[str, str]:
    """The text (blanks collapsed) of each OpenDocument paragraph whose style has a
    role (ODT_ROLES) to that role, for the filter; notes' text is left out."""
    content = _xml(parts.get("content.xml"))
    if content is None:
        return {}
    names: dict[str, str] = {}
    parents: dict[str, str] = {}
    for tree in (_xml(parts.get("styles.xml")), content):
        if tree is None:
            continue
        for style in tree.iter(f"{{{NS['style']}}}style"):
            name = style.get(f"{{{NS['style']}}}name", "")
            names[name] = style.get(f"{{{NS['style']}}}display-name") or \
                name.replace("_20_", " ")
            parent = style.get(f"{{{NS['style']}}}parent-style-name")
            if parent:
                parents[name] = parent

    def role(style: str) -> str | None:
        for _ in range(20):  # a chain of parents, never a loop
            found = ODT_ROLES.get(names.get(style, style.replace("_20_", " ")).lower())
            if found or style not in parents:
                return found
            style = parents[style]
        return None

    roles: dict[str, str] = {}
    for paragraph in content.iter(f"{{{NS['text']}}}p"):
        found = role(paragraph.get(f"{{{NS['text']}}}style-name", ""))
        if found:
            text = " ".join(_text(paragraph).split())
            if text:
                roles.setdefault(text, found)
    return roles


def _text(element) -> str:
    """The text of *element* without its notes."""
    parts = [element.text or ""]
    for child in element:
        if child.tag in {f"{{{NS['text']}}}{name}" for name in ("s", "tab", "line-break")}:
            parts.append(" ")
        elif child.tag != f"{{{NS['text']}}}note":
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
