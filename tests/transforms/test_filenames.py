"""folio.transforms.filenames: any id an author writes gives safe file names and
working links in the EPUB and the web book."""

from pathlib import Path

import pytest
from helpers import (
    MINIMAL_CONFIG,
    broken_links,
    epub_files,
    epubcheck_report,
    html_files,
    nu_checker_report,
    write_book,
)

from folio.build import build
from folio.htmltree import text_of
from folio.read import read_book
from folio.transforms.filenames import safe_name

CHAPTERS = {
    "chapters/one.md": "# Introduction {#sec:intro}\n\nSee [the method](#sec:method), "
                       "[below](#sub:x) and [the German](#Einleitung).\n\n"
                       "## A part {#sub:x}\n\nText.[^1]\n\n"
                       "[^1]: A note linking [back](#sec:intro).\n",
    "chapters/two.md": "# Method {#sec:method}\n\nBack to [the start](#sec:intro).\n",
    "chapters/three.md": "# Einleitung {#Einleitung}\n\nText.\n",
    "chapters/four.md": "# Also an introduction {#einleitung}\n\nCase apart.\n",
    "chapters/five.md": "# Глава {#глава}\n\nТекст.\n",
    "chapters/six.md": '<h1 id="../../../escaped">Raw</h1>\n\nRaw heading id.\n',
    "chapters/seven.md": "# 1984 {#1984}\n\nA year.\n",
    "chapters/eight.md": "# Contents {#toc}\n\nA chapter named like a page.\n",
}
CONFIG = MINIMAL_CONFIG.replace("    - chapters/one.md\n", "".join(
    f"    - {name}\n" for name in CHAPTERS))


@pytest.mark.parametrize(("text", "expected"), [
    ("sec:intro", "sec-intro"), ("Einleitung", "einleitung"), ("../../../x", "x"),
    ("Ça va", "ca-va"), ("1984", "s-1984"), ("глава", "fallback"), ("a" * 99, "a" * 60),
])
def test_safe_names(text, expected):
    assert safe_name(text, "fallback") == expected


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("ids")
    book = write_book(root / "book", config=CONFIG, chapter=CHAPTERS["chapters/one.md"],
                      files=CHAPTERS)
    return root, build(book, root / "out", ["epub", "html"])


def test_file_names_are_safe_and_unique(made):
    _, outputs = made
    names = [n for n in epub_files(outputs["epub"]) if n.endswith(".xhtml")]
    stems = [Path(n).stem for n in names]
    assert all(s.replace("-", "").isalnum() and s.isascii() and s == s.lower()
               for s in stems), stems
    assert {"sec-intro", "sec-method", "einleitung", "einleitung-2", "s-1984",
            "escaped"} <= set(stems)
    pages = sorted(html_files(outputs["html"]))
    assert "sec-intro.html" in pages and not any(":" in p for p in pages)


def test_nothing_is_written_outside_the_output(made):
    root, _ = made
    assert not list(root.rglob("escaped*")) or all(
        "out" in p.relative_to(root).parts for p in root.rglob("escaped*"))


def test_every_link_resolves(made):
    _, outputs = made
    assert broken_links(epub_files(outputs["epub"])) == []
    assert broken_links(html_files(outputs["html"])) == []


@pytest.mark.slow
def test_epubcheck_and_the_nu_checker_are_clean(made):
    _, outputs = made
    assert epubcheck_report(outputs["epub"]) == ""
    pages = [str(p) for p in outputs["html"].glob("*.html")]
    assert nu_checker_report(pages) == ""


def test_chapters_with_the_same_heading_keep_their_own_notes(tmp_path):
    files = {"chapters/two.md": "# Introduction\n\nSecond.[^1]\n\n[^1]: Note of two.\n"}
    config = MINIMAL_CONFIG.replace("    - chapters/one.md\n",
                                    "    - chapters/one.md\n    - chapters/two.md\n")
    book = write_book(tmp_path / "book", config=config, files=files,
                      chapter="# Introduction\n\nFirst.[^1]\n\n[^1]: Note of one.\n")
    model = read_book(book, warn=lambda message: None)
    assert [(n.number, n.section_id, text_of(n.body)) for n in model.notes] == [
        (1, "introduction", "Note of one. ↑"), (2, "section-introduction", "Note of two. ↑")]
    assert [s.file for s in model.chapters] == ["introduction", "section-introduction"]
