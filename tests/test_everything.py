"""A test book of every construct of pandoc's Markdown (tests/data/everything, written
for the tests): it builds in every format, passes EPUBCheck and the Nu checker, fits
the text block in the PDF (the geometry check runs on every PDF the suite builds), and
every word of its source reaches every output."""

import re
import unicodedata
import zipfile

import pypandoc
import pypdfium2
import pytest
from helpers import (
    ROOT,
    broken_links,
    epub_files,
    epubcheck_report,
    html_files,
    nu_checker_report,
    unhyphenate_pdf_text,
)
from lxml import html as lxml_html

from folio.build import build

BOOK = ROOT / "tests" / "data" / "everything"
# Words: runs of letters, three or more (numbers, marks and symbols are not compared).
_WORD = re.compile(r"[^\W\d_]{3,}")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    return build(BOOK, tmp_path_factory.mktemp("everything") / "out", ["pdf", "epub", "html"])


def _words(text: str) -> set[str]:
    text = unicodedata.normalize("NFKC", text.replace("\u00ad", "").replace("\u200b", ""))
    return {w.casefold() for w in _WORD.findall(text)}


def _source_words() -> dict[str, set[str]]:
    """Each chapter's words as pandoc reads them (markup, not text, left out)."""
    found = {}
    for path in sorted((BOOK / "chapters").glob("*.md")):
        plain = pypandoc.convert_file(str(path), "plain", format="markdown",
                                      extra_args=["--wrap=none"])
        found[path.name] = _words(plain)
    return found


def _markup_words(files: dict[str, bytes]) -> set[str]:
    words: set[str] = set()
    for name, data in files.items():
        if name.endswith((".html", ".xhtml")):
            words |= _words(lxml_html.fromstring(data).text_content())
    return words


def test_every_word_reaches_the_epub_and_the_web_book(made):
    epub, web = _markup_words(epub_files(made["epub"])), _markup_words(html_files(made["html"]))
    for chapter, words in _source_words().items():
        assert not words - epub, f"{chapter}: not in the EPUB: {sorted(words - epub)[:20]}"
        assert not words - web, f"{chapter}: not in the web book: {sorted(words - web)[:20]}"


def test_every_word_reaches_the_pdf(made):
    text = unhyphenate_pdf_text("\n".join(
        page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(made["pdf"])))
    pdf = _words(text)
    for chapter, words in _source_words().items():
        if chapter == "scripts.md":
            # Text extraction gives back shaped scripts (Arabic, Indic, Thai) in the
            # font's glyph order; the fonts test checks those words one by one.
            words = {w for w in words if w.isascii()}
        assert not words - pdf, f"{chapter}: not in the PDF: {sorted(words - pdf)[:20]}"


def test_links_and_figures_hold(made):
    files = epub_files(made["epub"])
    assert broken_links(files) == []
    assert broken_links(html_files(made["html"])) == []
    chapter = files["EPUB/images.xhtml"].decode()
    assert chapter.count("<figure") == 6 and chapter.count("<figcaption") == 6
    with zipfile.ZipFile(made["epub"]) as archive:
        names = archive.namelist()
    assert {"EPUB/images/square.png", "EPUB/images/photo.jpg", "EPUB/images/dot.gif",
            "EPUB/images/band.webp", "EPUB/images/diagram.svg",
            "EPUB/images/plot.png"} <= set(names)


@pytest.mark.slow
def test_epubcheck_and_the_nu_checker_are_clean(made):
    assert epubcheck_report(made["epub"]) == ""
    pages = [str(p) for p in made["html"].glob("*.html")]
    assert nu_checker_report(pages) == ""
