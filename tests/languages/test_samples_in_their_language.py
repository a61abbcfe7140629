"""Each sample book in another language, built in every format, read as its language
writes: dates by the locale's CLDR formats, the book's own wording of Folio's words
(``strings`` in book.yaml), the web book's search in the language; and every sample
valid for EPUBCheck and the Nu Html Checker."""

from __future__ import annotations

import functools
import re
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from helpers import epubcheck_report, nu_checker_report
from lxml import etree
from lxml import html as lxml_html
from output_texts import pdf_text
from samples import LANGUAGE_BOOKS, sample_languages

from folio.dates import PartialDate
from folio.i18n import Strings
from folio.read.chronology import load_chronology
from folio.read.config import load_config

SAMPLES = sample_languages()


def _config(tag: str):
    return load_config(LANGUAGE_BOOKS / tag)


def test_the_french_sample_is_there():
    assert "fr" in SAMPLES


def test_every_sample_has_a_chronology():
    """So that the test below reads every sample's dates."""
    assert [tag for tag in SAMPLES if _config(tag).contents.chronology is None] == []


@pytest.mark.parametrize("tag", SAMPLES)
def test_chronology_dates_as_the_language_writes_them(language_build, tag):
    """Every date of the sample's chronology, in the PDF, the EPUB and the web book, as
    Babel writes it for the language (fr: "7 novembre 1917", "mai 1842")."""
    config = _config(tag)
    strings = Strings(config.language, config.strings)
    events = load_chronology(config.contents.chronology)
    shown = [strings.date(e.date) for e in events]
    built = language_build(tag)
    text = pdf_text(built["pdf"])
    web = lxml_html.fromstring((built["html"] / "chronology.html").read_bytes())
    times = {t.get("datetime"): t.text_content() for t in web.iter("time")}
    with zipfile.ZipFile(built["epub"]) as epub:
        page = etree.fromstring(epub.read("EPUB/chronology.xhtml"))
    epub_times = {t.get("datetime"): "".join(t.itertext())
                  for t in page.iter("{http://www.w3.org/1999/xhtml}time")}
    for event, words in zip(events, shown, strict=True):
        assert words in text, (words, "PDF")
        assert times[event.date.iso()] == words == epub_times[event.date.iso()]


def test_french_dates_are_french(language_build):
    text = pdf_text(language_build("fr")["pdf"])
    assert "7 novembre 1917" in text and "mai 1842" in text
    assert Strings("fr").date(PartialDate(1917, 11, 7)) == "7 novembre 1917"


def test_german_and_swedish_dates(language_build):
    assert "7. November 1917" in pdf_text(language_build("de")["pdf"])
    assert "7 november 1917" in pdf_text(language_build("sv")["pdf"])


def test_the_book_s_own_wording_reaches_every_output(language_build):
    """The fr sample says "Index des noms" (strings.index in its book.yaml) where the
    catalogue says "Index": in the PDF, the EPUB's navigation and the web book."""
    built = language_build("fr")
    assert "Index des noms" in pdf_text(built["pdf"])
    with zipfile.ZipFile(built["epub"]) as epub:
        nav = epub.read("EPUB/nav.xhtml").decode()
    assert "Index des noms" in nav
    home = (built["html"] / "index.html").read_text(encoding="utf-8")
    assert "Index des noms" in home and ">Index<" not in home


def test_french_typography_in_folio_s_words(language_build):
    """Folio's words follow French rules: a narrow no-break space before ; and :, and
    inside the guillemets, the title and subtitle joined by a no-break space and a
    colon."""
    built = language_build("fr")
    chronology = (built["html"] / "chronology.html").read_text(encoding="utf-8")
    assert "«\u202fLa roue et le ruisseau\u202f»" in chronology
    assert "\u202f; " in chronology
    with zipfile.ZipFile(built["epub"]) as epub:
        opf = epub.read("EPUB/content.opf").decode()
    assert "Le Moulin de Vaucelles\u00a0: Histoire d’un papier de village" in opf
    # (the PDF's text has its spaces as plain spaces)
    assert "Cette édition : version 1.0.0, 7 mars 2026." in pdf_text(built["pdf"])


@pytest.mark.slow
@pytest.mark.parametrize("tag", SAMPLES)
def test_epubcheck_finds_nothing(language_build, tag):
    report = epubcheck_report(language_build(tag)["epub"])
    assert not report, report


@pytest.mark.slow
@pytest.mark.parametrize("tag", SAMPLES)
def test_the_nu_checker_finds_no_error(language_build, tag):
    pages = sorted(language_build(tag)["html"].glob("*.html"))
    assert pages
    report = nu_checker_report(pages)
    assert not report, report


class _Quiet(SimpleHTTPRequestHandler):
    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".js": "text/javascript"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.mark.slow
def test_the_search_box_speaks_french(language_build, browser):
    """In a browser, the search box's label and its messages (a count in the plural
    form of its language, and no result) are French."""
    site = language_build("fr")["html"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(f"http://127.0.0.1:{server.server_port}/declin.html")
            box = page.get_by_role("searchbox", name="Rechercher dans le livre")
            box.fill("moulin")
            count = page.locator(".search-count")
            count.filter(has_text="trouvées").wait_for(timeout=15000)
            assert re.fullmatch(r"\d+ pages trouvées pour «\u202fmoulin\u202f»\u202f:",
                                count.text_content()), count.text_content()
            box.fill("zzzqqq")
            count.filter(has_text="Aucun").wait_for(timeout=15000)
            assert count.text_content() == "Aucun résultat pour «\u202fzzzqqq\u202f»."
        finally:
            context.close()
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("tag", SAMPLES)
def test_the_pdf_s_cover_page_label_is_in_the_language(language_build, tag):
    """A PDF viewer's page box names the cover page in the book's language."""
    import pikepdf

    config = _config(tag)
    with pikepdf.open(language_build(tag)["pdf"]) as pdf:
        numbers = list(pdf.Root.PageLabels.Nums)
    assert numbers[0] == 0
    assert str(numbers[1].P) == Strings(config.language, config.strings).text("cover")
