"""Books in right-to-left scripts (Arabic, Hebrew) and in Chinese and Japanese, each
sample built once in every format (conftest.language_build): the language and the
direction of every document, the EPUB's page progression, the validators, every
glyph from a real font, text that reads back in logical order, a print edition bound
on the right, and CJK lines that never start with closing punctuation.

The tests read the words of the samples' own sources, never Folio's (which other
languages translate), so they hold whatever words the book's language gives."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from helpers import (
    ROOT,
    classes,
    epub_files,
    epubcheck_report,
    local,
    nu_checker_report,
    parse_document,
    write_book,
)
from lxml import etree
from samples import LANGUAGE_BOOKS, sample_languages

from folio.errors import BuildError
from folio.read.config import load_config

RTL = ["ar", "he"]
CJK = ["ja", "zh-Hans"]
SCRIPTS = RTL + CJK
INCH = 72.0
# Punctuation that closes (a line must not start with it) and opens (a line must not
# end with it) in Chinese and Japanese: JIS X 4051 (行頭禁則, 行末禁則) and GB/T 15834.
CLOSING = set("、。，．・：；？！）」』】〕〉》］｝〙〗”’｠ヽヾゝゞ々〻")
OPENING = set("（「『【〔〈《［｛〘〖“‘｟")
# Bidi controls a text extractor adds around runs of the other direction.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F])
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"


def expected(tag: str) -> tuple[str, str]:
    """The sample's language tag (from its book.yaml) and its direction."""
    config = load_config(LANGUAGE_BOOKS / tag)
    return config.language, config.direction


def documents_of(built: dict[str, Path]) -> dict[str, bytes]:
    """Every web page and every EPUB content document: {format/name: bytes}."""
    found = {f"html/{p.relative_to(built['html'])}": p.read_bytes()
             for p in sorted(built["html"].rglob("*.html"))}
    found.update({f"epub/{name}": data for name, data in epub_files(built["epub"]).items()
                  if name.endswith(".xhtml")})
    return found


def pdfs_of(built: dict[str, Path]) -> list[Path]:
    """The screen and print PDFs and every handout."""
    pdf = built["pdf"]
    return [pdf, pdf.with_name(f"{pdf.stem}-print.pdf"),
            *sorted(built["handouts"].rglob("*.pdf"))]


# --- language and direction ----------------------------------------------------------------

@pytest.mark.parametrize("tag", sample_languages())
def test_every_document_says_its_language_and_direction(language_build, tag):
    language, direction = expected(tag)
    built = language_build(tag)
    for name, data in documents_of(built).items():
        root = parse_document(name, data)
        assert root.get("lang") == language, name
        if name.startswith("epub/"):
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language, name
        if direction == "rtl":
            assert root.get("dir") == "rtl", name
        else:
            assert root.get("dir") in (None, "ltr"), name
    for path in pdfs_of(built):
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.get("/Lang")) == language, path.name


@pytest.mark.parametrize("tag", sample_languages())
def test_epub_spine_progression_follows_the_direction(language_build, tag):
    _, direction = expected(tag)
    with zipfile.ZipFile(language_build(tag)["epub"]) as epub:
        opf = etree.fromstring(epub.read("EPUB/content.opf"))
    spine = opf.find(f"{OPF}spine")
    assert spine.get("page-progression-direction") == (
        "rtl" if direction == "rtl" else None)


def test_the_language_decides_the_direction_and_dir_overrides_it(tmp_path):
    assert [expected(tag)[1] for tag in SCRIPTS] == ["rtl", "rtl", "ltr", "ltr"]
    for language, direction in (("fa", "rtl"), ("ur", "rtl"), ("az-Arab", "rtl"),
                                ("yi", "rtl"), ("ku-Latn", "ltr"), ("en", "ltr")):
        book = write_book(tmp_path / language, config=f"""\
            title: A Book
            author: Someone
            language: {language}
            contents:
              chapters: [chapters/one.md]
            """)
        assert load_config(book).direction == direction, language
    book = write_book(tmp_path / "set", config="""\
        title: A Book
        author: Someone
        language: en
        dir: rtl
        contents:
          chapters: [chapters/one.md]
        """)
    assert load_config(book).direction == "rtl"


def test_a_direction_that_is_not_one_is_an_error_at_its_line(tmp_path):
    book = write_book(tmp_path / "bad", config="""\
        title: A Book
        author: Someone
        dir: up
        contents:
          chapters: [chapters/one.md]
        """)
    with pytest.raises(BuildError) as caught:
        load_config(book)
    assert re.search(r"book\.yaml:3: 'dir' must be 'rtl'", str(caught.value)), caught.value


# --- the manuscript checks --------------------------------------------------------------

@pytest.mark.parametrize("tag", SCRIPTS)
def test_check_finds_nothing_in_the_samples(tag):
    result = subprocess.run([sys.executable, "build.py", "check",
                             "--strict", "--book", str(LANGUAGE_BOOKS / tag)],
                            cwd=ROOT, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout + result.stderr


# --- validators ----------------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("tag", SCRIPTS)
def test_epubcheck_finds_nothing(language_build, tag):
    assert epubcheck_report(language_build(tag)["epub"]) == ""


@pytest.mark.slow
@pytest.mark.parametrize("tag", SCRIPTS)
def test_the_nu_checker_finds_no_error_in_the_web_pages(language_build, tag):
    pages = sorted(language_build(tag)["html"].glob("*.html"))
    assert pages
    assert nu_checker_report(pages) == ""


@pytest.mark.slow
@pytest.mark.parametrize("tag", ["ar", "ja"])
def test_a_web_page_passes_axe_and_isolates_the_numbers_it_inserts(language_build, tag,
                                                                  browser):
    """A chapter of the web book in Chromium: no axe-core violation, the page set in
    its direction, and in a right-to-left book every note reference and
    cross-reference isolated (its words in a <bdi>, which the browser isolates)."""
    from axe_playwright_python.sync_playwright import Axe

    html = language_build(tag)["html"]
    _, direction = expected(tag)
    page_name = next(p.name for p in sorted(html.glob("*.html"))
                     if b'class="noteref"' in p.read_bytes() and p.name != "book.html")
    artifacts = ROOT / "tests" / "artifacts"
    artifacts.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    try:
        page = context.new_page()
        page.goto((html / page_name).as_uri(), wait_until="load")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        results = Axe().run(page)
        violations = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}"
                      for v in results.response["violations"]]
        assert violations == [], violations
        assert page.evaluate("() => getComputedStyle(document.body).direction") \
            == direction
        # Nothing hidden beyond the page's edge widens it (a blank screen's width to
        # scroll through in a right-to-left page).
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 1000
        bidi = page.evaluate("""() => [...document.querySelectorAll(
            'main a.noteref, main a.xref')].map(
            a => getComputedStyle(a.querySelector('bdi') || a).unicodeBidi)""")
        assert bidi, "no note reference or cross-reference on the page"
        if direction == "rtl":
            assert set(bidi) == {"isolate"}, bidi
        page.screenshot(path=str(artifacts / f"language-{tag}-{page_name}.png"))
    finally:
        context.close()


# --- the PDFs: fonts -----------------------------------------------------------------------

def shown_codes(path: Path):
    """(page number, font's base name, code, the font's program is embedded) of every
    glyph the content streams of *path* show, form XObjects included."""
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages):
            yield from _shown(page.obj, page.obj.get("/Resources", pikepdf.Dictionary()),
                              number)


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # drawn by the PDF's own procedures
    descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font) \
        .get("/FontDescriptor", {})
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _shown(holder, resources, number):
    fonts = resources.get("/Font", pikepdf.Dictionary())
    xobjects = resources.get("/XObject", pikepdf.Dictionary())
    font = None
    for operands, operator in pikepdf.parse_content_stream(holder):
        op = str(operator)
        if op == "Tf":
            font = fonts[operands[0]]
        elif op in ("Tj", "'", '"', "TJ"):
            items = operands[0] if op == "TJ" else [operands[-1]]
            wide = font.get("/Subtype") == "/Type0"
            for item in items:
                if isinstance(item, pikepdf.String):
                    data = bytes(item)
                    codes = ([int.from_bytes(data[i:i + 2], "big")
                              for i in range(0, len(data), 2)] if wide else list(data))
                    for code in codes:
                        yield number, str(font.get("/BaseFont", "")), code, _embedded(font)
        elif op == "Do":
            xobject = xobjects[operands[0]]
            if xobject.get("/Subtype") == "/Form":
                yield from _shown(xobject, xobject.get("/Resources", resources), number)


@pytest.mark.parametrize("tag", SCRIPTS)
def test_every_glyph_in_every_pdf_comes_from_a_real_font(language_build, tag):
    """No glyph 0 (.notdef, the empty box of a character the font lacks), every font
    embedded, and pdfium reads every character back as a character."""
    for path in pdfs_of(language_build(tag)):
        shown = list(shown_codes(path))
        assert shown, path.name
        notdef = [(page, font) for page, font, code, _ in shown if code == 0]
        assert notdef == [], f"{path.name}: .notdef on {notdef[:5]}"
        assert all(embedded for *_, embedded in shown), path.name
        document = pdfium.PdfDocument(path)
        try:
            for page in document:
                text = page.get_textpage()
                chars = [chr(pdfium_raw.FPDFText_GetUnicode(text.raw, i))
                         for i in range(text.count_chars())]
                assert "\ufffd" not in chars and "\x00" not in chars, path.name
        finally:
            document.close()


@pytest.mark.parametrize("tag", SCRIPTS)
def test_the_fonts_are_subset_and_embedded_once(language_build, tag):
    """The fallback faces (Noto Naskh Arabic, Noto Serif Hebrew, Noto Serif CJK, a
    collection of some 20 MB) are cut to the glyphs used: one program a face in the
    joined PDF, the PDF and the EPUB well under a megabyte for these few pages."""
    built = language_build(tag)
    with pikepdf.open(built["pdf"]) as pdf:
        programs: dict[str, set] = {}
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
                program = next((obj[key] for key in ("/FontFile", "/FontFile2", "/FontFile3")
                                if key in obj), None)
                if program is not None:
                    programs.setdefault(str(obj.FontName).split("+")[-1], set()).add(
                        program.objgen)
        assert all(len(found) == 1 for found in programs.values()), programs
    assert built["pdf"].stat().st_size < 800_000
    assert built["epub"].stat().st_size < 800_000
    with zipfile.ZipFile(built["epub"]) as epub:
        fonts = [info for info in epub.infolist() if info.filename.startswith("EPUB/fonts/")]
    assert fonts and all(info.file_size < 400_000 for info in fonts), \
        [(f.filename, f.file_size) for f in fonts]


# --- right to left: text order, binding, folios ----------------------------------------------

# Arabic harakat and Hebrew points: a text extractor places a mark by its box, which
# on a word's first letter may fall before the letter; the letters' order is the test.
_MARKS = re.compile("[\u0591-\u05c7\u064b-\u065f\u0670\u06d6-\u06ed]")


def _comparable(text: str) -> str:
    """*text* as both sides can be compared: no bidi controls, marks or spaces, and no
    full stops, since a sentence ending in a number (“as in figure 1.1.”) is drawn
    right (the stop at the line's left end) but read back by pdftotext with the stop
    inside the number's left-to-right run (“.1.1”)."""
    text = _MARKS.sub("", unicodedata.normalize("NFC", text.translate(BIDI_CONTROLS)))
    return re.sub(r"[\s.]+", "", text)


def _reading(element) -> list[str]:
    """*element*'s text in document order, each note reference as a NUL."""
    if local(element) == "a" and "noteref" in classes(element):
        return ["\x00"]
    parts = [element.text or ""]
    for child in element:
        parts += _reading(child) + [child.tail or ""]
    return parts


def source_sentences(built: dict[str, Path]) -> list[str]:
    """The sentences of the chapters' paragraphs, as the EPUB holds them (logical
    order), without those that carry a note reference (a superscript number that no
    extractor places in the line)."""
    found = []
    for name, data in epub_files(built["epub"]).items():
        if not name.endswith(".xhtml") or b'class="chapter' not in data:
            continue
        tree = etree.fromstring(data)
        for paragraph in tree.iter(f"{XHTML}p"):
            if paragraph.get("class"):
                continue
            text = "".join(_reading(paragraph))
            for sentence in re.split(r"(?<=[.؟!])\s+", " ".join(text.split())):
                if "\x00" not in sentence and len(sentence) > 20:
                    found.append(sentence)
    return found


@pytest.mark.parametrize("tag", RTL)
def test_the_pdf_text_reads_back_in_logical_order(language_build, tag):
    """Every sentence of the chapters (without a note reference), Latin words and
    numbers inside it included, is found as written in the text poppler's pdftotext
    extracts from the print PDF: words, numbers and lines in reading order."""
    built = language_build(tag)
    sentences = source_sentences(built)
    assert len(sentences) >= 3, sentences
    assert any(re.search(r"\d", s) for s in sentences), "no sentence with a number"
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "no pdftotext: install the Debian package 'poppler-utils'"
    text = subprocess.run([pdftotext, "-enc", "UTF-8", str(built["pdf"]), "-"],
                          capture_output=True, text=True, check=True, timeout=60).stdout
    extracted = _comparable(text)
    missing = [s for s in sentences if _comparable(s) not in extracted]
    assert missing == [], missing


def page_chars(page, loose: bool = False):
    """[(char, left, bottom, right, top)] of a pypdfium2 page: each glyph's box, or
    with *loose* its box from the font's ascent to its descent (the same for every
    character of a line in one size)."""
    text = page.get_textpage()
    return [(chr(pdfium_raw.FPDFText_GetUnicode(text.raw, i)), *text.get_charbox(i, loose))
            for i in range(text.count_chars())]


@pytest.mark.parametrize("tag", RTL)
def test_the_print_edition_is_bound_on_the_right(language_build, tag):
    """The print interior's first page is a left-hand page: each recto (pages 1, 3, …)
    has its inner margin on the right, each verso on the left (0.85 in inner, 0.7 in
    outer: templates/css/pdf.css), the PDF says it is read right to left, and every
    folio stands in the outer corner of its page."""
    pdf = language_build(tag)["pdf"]
    printed = pdf.with_name(f"{pdf.stem}-print.pdf")
    with pikepdf.open(printed) as opened:
        assert str(opened.Root.ViewerPreferences.get("/Direction")) == "/R2L"
    document = pdfium.PdfDocument(printed)
    checked = folios = 0
    try:
        for number, page in enumerate(document):
            left, bottom, right, top = page.get_trimbox()
            width = right - left
            recto = number % 2 == 0
            chars = [c for c in page_chars(page) if not c[0].isspace()]
            body = [c for c in chars if bottom + 0.8 * INCH < c[2] < top - 0.75 * INCH]
            if len(body) > 200:  # a page of text: its lines start at the right margin
                text_left = min(c[1] for c in body) - left
                text_right = right - max(c[3] for c in body)
                margin_right = 0.85 * INCH if recto else 0.7 * INCH
                assert abs(text_right - margin_right) < 2, (number, text_right / INCH)
                assert text_left > 1.55 * INCH - margin_right - 3, (number, text_left / INCH)
                checked += 1
            foot = [c for c in chars if c[4] < bottom + 0.8 * INCH and c[0].isdigit()]
            if foot:
                middle = (min(c[1] for c in foot) + max(c[3] for c in foot)) / 2 - left
                assert (middle < width / 3) if recto else (middle > 2 * width / 3), \
                    (number, middle, width)
                folios += 1
    finally:
        document.close()
    assert checked >= 2 and folios >= 4, (checked, folios)


# --- Chinese and Japanese: line breaking and punctuation ---------------------------------

def lines_of(page) -> list[str]:
    """The page's lines of text, each from its first character (left to right), by
    baseline."""
    rows: dict[int, list] = {}
    for char, left, bottom, _right, top in page_chars(page, loose=True):
        if char.isspace() or char in "\ufffe\uffff":
            continue
        rows.setdefault(round((bottom + top) / 2), []).append((left, char))
    merged: list[list] = []
    for key in sorted(rows, reverse=True):  # faces of one line differ by a point or two
        if merged and abs(merged[-1][0] - key) <= 3:
            merged[-1][1].extend(rows[key])
        else:
            merged.append([key, list(rows[key])])
    return ["".join(char for _, char in sorted(row)) for _, row in merged]


@pytest.mark.parametrize("tag", CJK)
def test_no_line_starts_with_closing_or_ends_with_opening_punctuation(language_build, tag):
    built = language_build(tag)
    lines = []
    for path in pdfs_of(built):
        document = pdfium.PdfDocument(path)
        try:
            lines += [(path.name, n, line) for n, page in enumerate(document)
                      for line in lines_of(page)]
        finally:
            document.close()
    wrapped = [line for line in lines if len(line[2]) >= 15]
    assert len(wrapped) > 40, "too few full lines to judge"
    assert sum(any(c in CLOSING for c in line[2]) for line in wrapped) > 10
    starts = [line for line in lines if line[2][0] in CLOSING]
    ends = [line for line in lines if line[2][-1] in OPENING]
    assert starts == [] and ends == [], starts + ends


@pytest.mark.parametrize("tag", CJK)
def test_quotation_marks_are_the_languages_and_typed_ones_are_kept(language_build, tag):
    """A straight "…" in the manuscript prints as the language's marks (「」 in
    Japanese, “” in simplified Chinese), though pandoc's smart punctuation cannot see
    a quotation without spaces around it; the marks the author typed stay as typed."""
    built = language_build(tag)
    sources = "".join(p.read_text(encoding="utf-8")
                      for p in sorted((LANGUAGE_BOOKS / tag / "chapters").glob("*.md")))
    sources = re.sub(r"\{[^}]*\}", "", sources)  # attributes: {.index term="…"}
    straight = re.findall(r'"([^"\n]+)"', sources)
    typed = re.findall(r"[「『“]([^」』”\n]+)[」』”]", sources)
    assert straight and typed
    opening, closing = {"ja": ("「", "」"), "zh-Hans": ("“", "”")}[tag]
    text = "".join(etree.fromstring(data).xpath("string(//*[local-name()='body'])")
                   for name, data in epub_files(built["epub"]).items()
                   if name.endswith(".xhtml"))
    for words in straight:
        assert f"{opening}{words}{closing}" in text, words
    for match in re.finditer(r"([「『“])([^」』”\n]+)([」』”])", sources):
        inner = re.sub(r"\[([^\]]*)\]\{[^}]*\}", r"\1", match[2])
        assert f"{match[1]}{inner}{match[3]}" in text, match[0]
    assert '"' not in text


@pytest.mark.parametrize("tag", CJK)
def test_a_glossary_term_is_found_inside_a_run_of_cjk_text(language_build, tag):
    """Words are not set apart by spaces: a term touching the next word is linked."""
    built = language_build(tag)
    terms = [entry["term"] for entry in
             __import__("yaml").safe_load((LANGUAGE_BOOKS / tag / "glossary.yaml")
                                          .read_text(encoding="utf-8"))]
    linked = set()
    for name, data in epub_files(built["epub"]).items():
        if name.endswith(".xhtml"):
            for link in etree.fromstring(data).iter(f"{XHTML}a"):
                if "glossterm" in (link.get("class") or "").split():
                    linked.add(link.text)
    assert set(terms) <= linked, (terms, linked)


@pytest.mark.parametrize("tag", SCRIPTS)
def test_no_letter_spacing_small_capitals_or_italic_headings_reach_these_scripts(
        language_build, tag):
    """What the theme spaces out or sets in small capitals or italic (h3, the parts in
    the contents, acronyms, the publisher; h2) is set plainly after it in every
    stylesheet of these books; CJK text is not hyphenated."""
    built = language_build(tag)
    with zipfile.ZipFile(built["epub"]) as epub:
        sheets = {"epub": epub.read("EPUB/css/epub.css").decode()}
    sheets["web"] = (built["html"] / "css" / "web.css").read_text(encoding="utf-8")
    for medium, css in sheets.items():
        spaced = css.rindex("letter-spacing: 0.03em")  # book.css's h3
        plain = css.find("h3, .toc-part, abbr.acronym, .book-publisher", spaced)
        assert plain > spaced, medium
        rule = css[plain:css.index("}", plain)]
        assert "letter-spacing: normal" in rule and "font-variant: normal" in rule, medium
        assert re.search(r"h2, h4, h6 \{ font-style: normal; \}", css[spaced:]), medium
        if tag in CJK:
            assert "html, p, h1, h2, h3, h4, h5, h6 { hyphens: manual; }" in css[spaced:]


@pytest.mark.parametrize("tag", SCRIPTS)
def test_a_cross_reference_glued_to_the_word_before_it_is_read(language_build, tag):
    """Hebrew's and Arabic's prefixes and Chinese and Japanese text glue a reference to
    the word before it (ב@fig:x, 见@fig:x), where pandoc sees no citation: it is a
    cross-reference all the same, and no label reaches a reader."""
    built = language_build(tag)
    sources = "".join(p.read_text(encoding="utf-8")
                      for p in sorted((LANGUAGE_BOOKS / tag / "chapters").glob("*.md")))
    glued = re.findall(r"[^\s\W\d_]@((?:fig|sec):[\w-]+)", sources)
    if tag in ("he", "zh-Hans"):
        assert glued, "the sample glues no reference"
    for name, data in documents_of(built).items():
        tree = parse_document(name, data)
        text = tree.xpath("string(//*[local-name()='body'])")
        assert not re.search(r"@(fig|tbl|eq|sec):", text), name
        hrefs = {a.get("href", "").split("#")[-1] for a in tree.iter()
                 if isinstance(a.tag, str) and local(a) == "a" and "xref" in classes(a)}
        if "book.html" in name:
            assert set(glued) <= hrefs, (glued, hrefs)


@pytest.mark.parametrize("tag", RTL)
def test_every_number_folio_inserts_is_isolated_in_the_epub_and_the_web_book(language_build,
                                                                              tag):
    """Note references, back-links, cross-references, page numbers, index locators and
    caption labels: the words of each in a <bdi> (folio.formats.bidi), in running
    text, in the apparatus and in the contents."""
    built = language_build(tag)
    counted = 0
    for name, data in documents_of(built).items():
        if name.endswith("/nav.xhtml"):
            continue  # the reading system's navigation: each entry a list item of its own
        tree = parse_document(name, data)
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            numbered_link = local(element) == "a" and re.search(r"\d", "".join(
                element.itertext()))
            label = local(element) == "span" and classes(element) & {"caption-label",
                                                                      "equation-number"}
            if numbered_link or label:
                children = [c for c in element if isinstance(c.tag, str)]
                assert len(children) == 1 and local(children[0]) == "bdi" \
                    and not (element.text or "").strip(), (name, etree.tostring(element))
                counted += 1
    assert counted > 20, counted


def to_unicode_maps(path: Path, family_part: str) -> list[dict[int, str]]:
    """For each font of *path* whose name holds *family_part*, {glyph: text} from its
    ToUnicode map: the text each glyph stands for (a ligature's, several characters)."""
    maps = []
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0" \
                    and family_part in str(obj.get("/BaseFont", "")) and "/ToUnicode" in obj:
                cmap = obj.ToUnicode.read_bytes().decode("latin-1")
                maps.append({int(glyph, 16): bytes.fromhex(text).decode("utf-16-be")
                             for glyph, text in re.findall(
                                 r"<([0-9a-fA-F]{4})>\s*<([0-9a-fA-F]+)>", cmap)})
    return maps


def test_arabic_is_shaped_in_the_pdf(language_build):
    """Arabic letters are joined: one letter drawn by several glyphs of one font, its
    initial, medial, final and isolated forms (Noto Naskh Arabic draws lam before
    alef with forms of their own, not one ligature glyph)."""
    maps = to_unicode_maps(language_build("ar")["pdf"], "Arabic")
    assert maps
    forms: dict[str, int] = {}
    for glyphs in maps:
        counted: dict[str, int] = {}
        for text in glyphs.values():
            if len(text) == 1 and "\u0620" <= text <= "\u064a":
                counted[text] = counted.get(text, 0) + 1
        for letter, count in counted.items():
            forms[letter] = max(forms.get(letter, 0), count)
    assert sum(count >= 2 for count in forms.values()) >= 8, forms
    assert forms.get("\u0644", 0) >= 3, forms  # lam: initial, medial, and before alef


def test_chinese_and_japanese_take_their_own_glyph_forms(language_build):
    """Noto Serif CJK holds the forms of every region; the language of the text picks
    them (OpenType locl): an ideograph both samples use is drawn with a different
    glyph in the simplified Chinese book than in the Japanese one (今, U+4ECA)."""
    def glyphs_of(tag: str) -> dict[str, set[int]]:
        found: dict[str, set[int]] = {}
        for glyphs in to_unicode_maps(language_build(tag)["pdf"], "CJK"):
            for glyph, text in glyphs.items():
                found.setdefault(text, set()).add(glyph)
        return found

    japanese, chinese = glyphs_of("ja"), glyphs_of("zh-Hans")
    assert "今" in japanese and "今" in chinese
    assert not japanese["今"] & chinese["今"], (japanese["今"], chinese["今"])
    shared = [c for c in japanese.keys() & chinese.keys() if "\u4e00" <= c <= "\u9fff"]
    assert len(shared) > 10


def test_a_right_to_left_booklet_is_imposed_mirrored(tmp_path):
    """A booklet read right to left is stapled on its right edge: the first sheet's
    front carries page 1 on its left half and the last page on its right half."""
    from folio.typeset.imposition import booklet_order

    assert booklet_order(8, right_to_left=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]
    result = subprocess.run([sys.executable, "build.py", "handouts", "--booklet", "--chapter",
                             "kitab", "--book", str(LANGUAGE_BOOKS / "ar"),
                             "--output", str(tmp_path / "out")],
                            cwd=ROOT, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    single = pdfium.PdfDocument(tmp_path / "out" / "handouts" / "02-kitab.pdf")
    booklet = pdfium.PdfDocument(tmp_path / "out" / "handouts" / "booklet" / "02-kitab.pdf")
    try:
        title = load_config(LANGUAGE_BOOKS / "ar").title
        assert title in single[0].get_textpage().get_text_range()
        sheet = booklet[0]
        width, height = sheet.get_size()
        text = sheet.get_textpage()
        left = text.get_text_bounded(0, 0, width / 2, height)
        right = text.get_text_bounded(width / 2, 0, width, height)
        assert title in left and title not in right, (left[:80], right[:80])
    finally:
        single.close()
        booklet.close()


@pytest.mark.parametrize("tag", RTL)
def test_the_wrap_cover_has_its_front_on_the_left(language_build, tag):
    """Bound on the right, the book's front cover lies left of the spine when the
    wrap cover is laid flat: the title is printed on the left half, the back's
    blurb (the description) on the right."""
    pdf = language_build(tag)["pdf"]
    config = load_config(LANGUAGE_BOOKS / tag)
    document = pdfium.PdfDocument(pdf.with_name(f"{pdf.stem}-cover.pdf"))
    try:
        sheet = document[0]
        width, height = sheet.get_size()
        text = sheet.get_textpage()
        left = " ".join(text.get_text_bounded(0, 0, width / 2, height).split())
        right = " ".join(text.get_text_bounded(width / 2, 0, width, height).split())
    finally:
        document.close()
    assert config.title in left and config.title not in right, (left[:80], right[:80])
    assert config.description.split()[0] in right
