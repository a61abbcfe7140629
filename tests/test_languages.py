"""A book's language reaches its quotation marks, hyphenation and metadata."""

from __future__ import annotations

import re
import zipfile

import pypdf
import pyphen
import pytest
from helpers import write_book

from folio.build import build

FRENCH = """\
# Premier chapitre {#un}

Il dit : "la révolution permanente" et 'un mot'. {words}
"""
GERMAN = """\
# Erstes Kapitel {#eins}

Er sagte "die permanente Revolution" und 'ein Wort'. {words}
"""
LONG_FRENCH = ("anticonstitutionnellement institutionnalisation internationalisation "
               "bureaucratisation révolutionnairement ") * 12


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    root = tmp_path_factory.mktemp("fr")
    config = "title: Un livre\nauthor: Une Autrice\nlanguage: fr\npdf:\n  trim: A6\n" \
             "contents:\n  chapters: [chapters/one.md]\n"
    book = write_book(root / "book", config, FRENCH.replace("{words}", LONG_FRENCH))
    return build(book, root / "output", ["pdf", "epub", "html"])


@pytest.fixture(scope="module")
def german(tmp_path_factory):
    root = tmp_path_factory.mktemp("de")
    config = "title: Ein Buch\nauthor: Eine Autorin\nlanguage: de\n" \
             "contents:\n  chapters: [chapters/one.md]\n"
    return build(write_book(root / "book", config, GERMAN.replace("{words}", "")), root / "output",
                 ["epub", "html"])


def test_french_quotation_marks(french):
    page = (french["html"] / "un.html").read_text()
    assert "«\u202fla révolution permanente\u202f»" in page
    assert "‹\u202fun mot\u202f›" in page


def test_german_quotation_marks(german):
    page = (german["html"] / "eins.html").read_text()
    assert "„die permanente Revolution“" in page and "‚ein Wort‘" in page


def test_language_in_every_format(french, german):
    for made, lang in ((french, "fr"), (german, "de")):
        assert re.search(rf'<html[^>]* lang="{lang}"', (made["html"] / "index.html").read_text())
        with zipfile.ZipFile(made["epub"]) as epub:
            assert f"<dc:language>{lang}</dc:language>" in epub.read("EPUB/content.opf").decode()
            chapter = next(n for n in epub.namelist() if n.endswith(("un.xhtml", "eins.xhtml")))
            assert f'xml:lang="{lang}"' in epub.read(chapter).decode()
    assert pypdf.PdfReader(french["pdf"]).trailer["/Root"]["/Lang"] == "fr"


def test_french_hyphenation_follows_french_rules(french):
    reader = pypdf.PdfReader(french["pdf"])
    text = "\n".join(page.extract_text() for page in reader.pages)
    words = set(LONG_FRENCH.split())
    # (A line's end and the next line's start can also meet across a page: keep real words.)
    breaks = [(head, tail) for head, tail in re.findall(r"(\w+)[\u2010-]\n(\w+)", text)
              if head + tail in words]
    assert len(breaks) >= 3, "the narrow page should hyphenate some long words"
    french_rules = pyphen.Pyphen(lang="fr_FR")
    for head, tail in breaks:
        word = head + tail
        assert len(head) in french_rules.positions(word), f"{head}-{tail} is no French break"
