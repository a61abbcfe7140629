"""Hyphenation by language in every format that hyphenates, and text in another
language (``[Zitat]{lang=de}``, ``<div lang="de">``) in every format."""

from __future__ import annotations

import re
import zipfile

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pyphen
import pytest
from helpers import epubcheck_report, write_book
from lxml import etree
from lxml import html as lxml_html

from folio.build import build
from folio.read.book import read_book
from folio.read.sanitize import sanitize_html
from folio.theme.hyphenation import book_languages, hyphenates, hyphenation_css
from folio.theme.templates import Theme
from folio.typeset.typesetter import plan_for_book, stylesheet

XHTML = {"h": "http://www.w3.org/1999/xhtml"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Pyphen 0.18's dictionaries (LibreOffice's patterns), checked one by one: a language
# without one, and Chinese, Japanese and Korean (broken between characters), is not
# hyphenated. Norwegian has dictionaries for nb and nn, none for the tag "no".
HYPHENATED = {"ca", "cs", "da", "de", "el", "en", "es", "fr", "hu", "it", "nl", "nb", "pl",
              "pt", "ru", "sv", "uk", "de-CH", "en-GB", "pt-BR"}
NOT_HYPHENATED = {"ar", "fa", "fi", "he", "hi", "ja", "ko", "no", "tr", "zh-Hans", "zh-Hant"}


@pytest.mark.parametrize("language", sorted(HYPHENATED | NOT_HYPHENATED))
def test_which_languages_are_hyphenated(language):
    assert hyphenates(language) is (language in HYPHENATED)
    if language in HYPHENATED:  # and the dictionary is the language's own
        assert pyphen.language_fallback(language).split("_")[0] == language.split("-")[0]


MIXED = """\
# Bir bölüm {#bir}

Türkçe bir paragraf, içinde [日本語の引用]{lang=ja} ve <span lang="de">ein Zitat</span>.

<div lang="zh-Hant">
<p>中文段落，直。</p>
</div>

<div lang="zh-Hans">
<p>中文段落，直。</p>
</div>
"""


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """A Turkish book with Japanese, German and Chinese (traditional and simplified) in
    it, built in every format."""
    root = tmp_path_factory.mktemp("mixed")
    config = ("title: Kitap\nauthor: Yazar\nlanguage: tr\n"
              "contents:\n  chapters: [chapters/one.md]\n")
    book = write_book(root / "book", config, MIXED)
    return book, build(book, root / "output", ["pdf", "epub", "html", "handouts"])


RULE = re.compile(r"([^{}]*)\{\s*hyphens:\s*manual;?\s*\}")


def manual_languages(css: str) -> set[str]:
    """The languages given ``hyphens: manual`` by ``:lang()`` rules in *css*."""
    return {language for selectors in RULE.findall(css)
            for language in re.findall(r":lang\(([^)]+)\)", selectors)}


def test_no_hyphenation_where_no_dictionary_in_every_format(mixed):
    root, made = mixed
    book = read_book(root, warn=lambda message: None)
    assert book_languages(book) == ["tr", "ja", "de", "zh-Hant", "zh-Hans"]
    wanted = {"tr", "ja", "zh-Hant", "zh-Hans"}  # German has a dictionary
    with zipfile.ZipFile(made["epub"]) as epub:
        assert manual_languages(epub.read("EPUB/css/epub.css").decode()) == wanted
    assert manual_languages((made["html"] / "css" / "web.css").read_text()) == wanted
    # The one-page web book carries its stylesheet inline.
    assert manual_languages((made["html"] / "book.html").read_text()) == wanted
    theme = Theme(root)
    assert manual_languages(stylesheet(theme, book, plan_for_book(book, theme))) == wanted
    assert manual_languages(hyphenation_css(book)) == wanted


def test_a_book_whose_languages_all_hyphenate_gets_no_rule(language_build):
    for tag in ("de", "sv"):
        with zipfile.ZipFile(language_build(tag)["epub"]) as epub:
            assert manual_languages(epub.read("EPUB/css/epub.css").decode()) == set()


def test_spans_keep_their_language_in_the_epub_and_the_web_book(language_build, mixed):
    cases = [(language_build("sv"), "vattnet", "span", "de"),
             (language_build("sv"), "skogen", "div", "de"),
             (language_build("de"), "garten", "span", "sv"),
             (language_build("de"), "kueche", "span", "sv"),
             (mixed[1], "bir", "span", "ja"), (mixed[1], "bir", "span", "de"),
             (mixed[1], "bir", "div", "zh-Hant")]
    for made, page, tag, language in cases:
        with zipfile.ZipFile(made["epub"]) as epub:
            root = etree.fromstring(epub.read(f"EPUB/{page}.xhtml"))
        found = root.xpath(f"//h:body//h:{tag}[@lang='{language}']", namespaces=XHTML)
        assert found, f"no <{tag} lang={language}> in {page}.xhtml"
        assert all(e.get(XML_LANG) == language for e in found), \
            f"<{tag} lang={language}> without the same xml:lang in {page}.xhtml"
        web = lxml_html.parse(str(made["html"] / f"{page}.html")).getroot()
        assert web.xpath(f"//main//{tag}[@lang='{language}']"), f"not in {page}.html"
    # Every lang in the EPUB has its xml:lang.
    for made in (language_build("sv"), language_build("de"), mixed[1]):
        with zipfile.ZipFile(made["epub"]) as epub:
            for name in epub.namelist():
                if name.endswith(".xhtml"):
                    root = etree.fromstring(epub.read(name))
                    assert all(e.get(XML_LANG) == e.get("lang")
                               for e in root.iter() if e.get("lang")), name


GERMAN_SPAN = ("Die Verkehrsgesellschaft meldete Verspätungen an der Straßenbahnhaltestelle "
               "die Verwaltungsangestellte an der Gepäckaufbewahrung und die Angestellten am "
               "Fahrkartenautomaten grüßen einander während Reisende an der Bahnsteigkante "
               "und an der Schiffsanlegestelle warten Die Gesellschaftsordnung der "
               "Verkehrsgesellschaft verlangt von allen Angestellten Pünktlichkeit und "
               "Zuverlässigkeit")


def test_german_words_in_the_swedish_pdf_are_hyphenated_by_the_german_dictionary(
        language_build):
    document = pdfium.PdfDocument(language_build("sv")["pdf"])
    text = "\n".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    german, swedish = pyphen.Pyphen(lang="de"), pyphen.Pyphen(lang="sv")
    words = set(GERMAN_SPAN.split())
    breaks = [(head, tail) for head, tail in re.findall(r"(\w+)[\u2010-]\r?\n(\w+)", text)
              if head + tail in words]
    assert len(breaks) >= 3, f"the German words of the A6 page should hyphenate: {breaks}"
    for head, tail in breaks:
        assert len(head) in german.positions(head + tail), f"{head}-{tail} is no German break"
    # Where the two dictionaries differ, the German one decided.
    assert any(len(head) not in swedish.positions(head + tail) for head, tail in breaks), \
        f"every break is also a Swedish one: {breaks}"


@pytest.mark.slow
@pytest.mark.parametrize("tag", ["de", "sv"])
def test_the_samples_pass_epubcheck(language_build, tag):
    assert epubcheck_report(language_build(tag)["epub"]) == ""


@pytest.mark.slow
def test_the_mixed_book_passes_epubcheck(mixed):
    assert epubcheck_report(mixed[1]["epub"]) == ""


@pytest.mark.parametrize("markup", [
    '<p>Er sagte <span lang="sv" dir="ltr">hej</span>.</p>',
    '<div lang="ar" dir="rtl"><p>نص</p></div>',
    '<p lang="de-CH">Grüezi <em lang="fr">salut</em></p>',
    '<blockquote lang="zh-Hant" dir="auto"><p>中文</p></blockquote>',
])
def test_the_cleaning_keeps_lang_and_dir(markup):
    cleaned, changes = sanitize_html(markup)
    assert changes == []
    before = lxml_html.fragment_fromstring(markup, create_parent="div")
    after = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    assert [(e.tag, e.get("lang"), e.get("dir")) for e in before.iter()] == \
        [(e.tag, e.get("lang"), e.get("dir")) for e in after.iter()]


def test_the_pdf_shapes_chinese_by_the_blocks_language(mixed):
    """The same words in a zh-Hant and a zh-Hans block: the language reaches the font's
    regional forms (OpenType locl), so the full-width comma sits in the middle of its
    square in traditional Chinese and at the bottom left in simplified Chinese."""
    document = pdfium.PdfDocument(mixed[1]["pdf"])
    raised = []
    for page in document:
        text = page.get_textpage()
        chars = [chr(pdfium_raw.FPDFText_GetUnicode(text.raw, i))
                 for i in range(text.count_chars())]
        for index, char in enumerate(chars):
            if char == "中" and chars[index + 4] == "，":
                # How far the comma's bottom is above the line's first character's.
                raised.append(text.get_charbox(index + 4)[1] - text.get_charbox(index)[1])
    document.close()
    assert len(raised) == 2, "both Chinese blocks should be in the PDF"
    traditional, simplified = raised
    assert traditional > 2 > 0 > simplified, raised
