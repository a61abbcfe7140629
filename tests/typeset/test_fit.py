"""folio.typeset.fit: a table too wide for the measure is set smaller, then smaller still,
then with its values broken anywhere and a warning (W001) at its line."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest
from geometry import assert_fits
from helpers import MINIMAL_CONFIG, write_book
from weasyprint import CSS, HTML

from folio.build import build
from folio.typeset.fit import mark_tables, overflowing_tables

WORD = "Extraordinarily"  # a value no line may break (cells are not hyphenated)
COLUMNS = 14
TABLE = ("| " + " | ".join(f"Head {n}" for n in range(COLUMNS)) + " |\n"
         + "|" + "---|" * COLUMNS + "\n"
         + "| " + " | ".join(WORD for _ in range(COLUMNS)) + " |\n")
CHAPTER = f"# One {{#one}}\n\nA table far too wide for any page:\n\n{TABLE}\nThe end.\n"
TWO_CHAPTERS = MINIMAL_CONFIG.replace("    - chapters/one.md",
                                      "    - chapters/one.md\n    - chapters/two.md")


def _warnings(said: list[str]) -> list[str]:
    return [line for line in said if "W001" in line]


@pytest.fixture(scope="module")
def squeezed(tmp_path_factory):
    root = tmp_path_factory.mktemp("fit")
    book = write_book(root / "book", TWO_CHAPTERS, CHAPTER,
                      {"chapters/two.md": "# Two {#two}\n\nSome text.\n"})
    said: list[str] = []
    made = build(book, root / "output", ["pdf"], progress=said.append)
    return book, made, said


def test_a_table_that_cannot_fit_is_a_warning_at_its_line(squeezed):
    book, _, said = squeezed
    warnings = _warnings(said)
    assert len(warnings) == 1, said
    line = CHAPTER.splitlines().index(TABLE.splitlines()[0]) + 1
    assert re.search(rf"chapters/one\.md:{line}: W001 .*too wide", warnings[0]), warnings[0]


def test_it_is_still_set_within_the_text_block(squeezed):
    _, made, _ = squeezed
    assert_fits(made["pdf"], first_recto=1, skip=[0])
    document = pdfium.PdfDocument(made["pdf"])
    text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    assert text.count(WORD) < COLUMNS, "values are broken to fit"
    assert re.sub(r"\s", "", text).count(WORD) == COLUMNS, "whole again, without hyphens"


def test_a_reused_part_reports_it_again(squeezed, tmp_path):
    import shutil

    book, _, _ = squeezed
    copy = tmp_path / "book"
    shutil.copytree(book, copy)
    build(copy, tmp_path / "output", ["pdf"])
    two = copy / "chapters" / "two.md"
    two.write_text(two.read_text().replace("Some text", "Some other text"))
    said: list[str] = []
    build(copy, tmp_path / "output", ["pdf"], progress=said.append)
    assert any(line.startswith("sections laid out: 1,") for line in said), said
    assert len(_warnings(said)) == 1


def test_the_book_can_silence_it(tmp_path):
    config = MINIMAL_CONFIG + "lint:\n  ignore: [W001]\n"
    said: list[str] = []
    build(write_book(tmp_path / "book", config, CHAPTER), tmp_path / "output", ["pdf"],
          progress=said.append)
    assert not _warnings(said)


def _document(markup: str):
    css = CSS(string="@page { size: 300pt 400pt; margin: 50pt; } td { padding: 0 }")
    return HTML(string=markup).render(stylesheets=[css])


def test_only_tables_past_the_content_area_are_named():
    narrow = '<table data-pos="b1"><tr><td>a</td><td>b</td></tr></table>'
    wide = '<table id="t-2"><tr>' + "<td>Extraordinarily</td>" * 6 + "</tr></table>"
    assert overflowing_tables(_document(narrow + wide)) == ["t-2"]
    assert overflowing_tables(_document(narrow)) == []


def test_tables_are_marked_by_key_at_their_level():
    markup = ('<table class="x" data-pos="b1"><tr><td>a</td></tr></table>'
              '<table id="b1"><tr><td>b</td></tr></table>')
    marked = mark_tables(markup, {"b1": 2})
    assert marked.startswith('<table data-fit="squeezed" class="x" data-pos="b1">')
    assert marked.count("data-fit") == 1, "one table a key"
    assert mark_tables(markup, {}) == markup
