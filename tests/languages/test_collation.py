"""The index and the glossary of the German and Swedish samples, in the order and the
letter groups of their language, in the EPUB, the web book, the handouts and the PDF."""

from __future__ import annotations

import re
import zipfile

import pypdfium2 as pdfium
import pytest
from lxml import etree
from lxml import html as lxml_html
from samples import LANGUAGE_BOOKS

from folio.i18n import strings_of
from folio.read import load_config

# Each group's heading, then its top-level entries and their sub-entries, in order.
INDEX = {
    # German (DIN 5007-1, CLDR): ä with a, ö with o, ü with u; digits before the letters.
    "de": [("0–9", ["1848", "1912"]),
           ("A", ["Apfel", "Äpfel"]),
           ("O", ["Ober", "Öl", "Kuchen", "Ostern", "Eier"]),
           ("S", ["St. Gallen"]),  # sort="Sankt Gallen", the author's key
           ("U", ["Übung", "Ulme"]),
           ("Z", ["Zimt", "Zucker"])],
    # Swedish: å, ä, ö are letters after z, each a group; ü sorts as y.
    "sv": [("0–9", ["1912"]),
           ("A", ["Apelsin", "Ask"]),
           ("Y", ["Überlingen", "Yxa"]),
           ("Z", ["Zebra"]),
           ("Å", ["Åsa"]),
           ("Ä", ["Ädelgran", "Ärlig"]),
           ("Ö", ["Ödmjukhet", "Örn", "berget"])],
}
GLOSSARY = {
    "de": ["Apfel", "Ober", "Öl", "Übung", "Ulme", "Zucker"],
    "sv": ["Apelsin", "Yxa", "Zebra", "Åsa", "Ärlig", "Örn"],
}
FILES = {"de": "vom-obstgarten", "sv": "vid-sjon"}


def flat(tag: str) -> list[str]:
    return [word for label, entries in INDEX[tag] for word in [label, *entries]]


def index_of(root) -> list[str]:
    """Group headings and entry headings of an index page, in document order."""
    index = root.xpath("//section[contains(concat(' ', @class, ' '), ' index ')]")[0]
    found = index.xpath(".//*[contains(@class, 'index-letter')] | .//li[@data-pos]/span[1]")
    return [" ".join(e.xpath("string()").split()) for e in found]


def epub_page(tag: str, built, name: str):
    with zipfile.ZipFile(built["epub"]) as epub:
        return etree.fromstring(epub.read(f"EPUB/{name}"))


@pytest.mark.parametrize("tag", sorted(INDEX))
def test_index_in_the_epub(language_build, tag):
    root = epub_page(tag, language_build(tag), "index.xhtml")
    ns = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
    found = root.xpath("//h:h2[@class='index-letter'] | //h:span[@epub:type='index-term']",
                       namespaces=ns)
    assert [e.xpath("string()") for e in found] == flat(tag)
    groups = root.xpath("//h:section[@epub:type='index-group']", namespaces=ns)
    assert [g.xpath("string(h:h2)", namespaces=ns) for g in groups] == \
        [label for label, _ in INDEX[tag]]


@pytest.mark.parametrize("tag", sorted(INDEX))
def test_index_in_the_web_book(language_build, tag):
    html = language_build(tag)["html"]
    page = lxml_html.parse(str(html / "book-index.html")).getroot()
    assert index_of(page) == flat(tag)
    # The one-page book holds the same index.
    whole = lxml_html.parse(str(html / "book.html")).getroot()
    assert index_of(whole) == flat(tag)


@pytest.mark.parametrize("tag", sorted(INDEX))
def test_index_in_the_pdf_text(language_build, tag):
    document = pdfium.PdfDocument(language_build(tag)["pdf"])
    text = document[len(document) - 1].get_textpage().get_text_range()
    document.close()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    # The index's title in the book's language ("Register" in German, "Register" in
    # Swedish), as its catalogue words it.
    assert lines[0] == strings_of(load_config(LANGUAGE_BOOKS / tag)).text("index")
    # Each line: a group's heading, or an entry's heading and its page numbers.
    headings = [re.sub(r"(, \d+)+$", "", line) for line in lines[1:-1]]
    assert headings == flat(tag)


@pytest.mark.parametrize("tag", sorted(GLOSSARY))
def test_glossary_in_the_language_order(language_build, tag):
    built = language_build(tag)
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    root = epub_page(tag, built, "glossary.xhtml")
    assert [dt.xpath("string()") for dt in root.xpath("//h:dt", namespaces=ns)] == GLOSSARY[tag]
    page = lxml_html.parse(str(built["html"] / "glossary.html")).getroot()
    assert [" ".join(dt.text_content().split()) for dt in page.xpath("//dt")] == GLOSSARY[tag]
    # The glossary's reference sheet among the handouts, in the same order.
    document = pdfium.PdfDocument(built["handouts"] / "glossary.pdf")
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    # Each entry is a line: the term, then its definition and pages.
    terms = [line.split(" ", 1)[0] for line in text.splitlines()]
    assert [term for term in terms if term in GLOSSARY[tag]] == GLOSSARY[tag]
