"""Numbered cross-references (pandoc-crossref's syntax): numbers by chapter and through
the book, the words of the book's language, captions, lists, and unknown labels as
L004 at their line in `check` and in the build."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from helpers import LOCATED, ROOT, THESIS, tiny_png, write_book

from folio.check import check_manuscript
from folio.htmltree import text_of  # white space (no-break spaces too) as one space
from folio.read.book import read_book


def _read(root):
    return read_book(root, warn=lambda message: None)


def _thesis(tmp_path, numbering="chapter", language="en"):
    copy = tmp_path / "thesis"
    shutil.copytree(THESIS, copy)
    config = (copy / "book.yaml").read_text(encoding="utf-8")
    config = config.replace("numbering: chapter", f"numbering: {numbering}")
    config = config.replace("language: en", f"language: {language}")
    (copy / "book.yaml").write_text(config, encoding="utf-8")
    return copy


def _paragraph(book, section_id, starts):
    body = book.section(section_id).body
    return next(text_of(p) for p in body.iter("p") if text_of(p).startswith(starts))


@pytest.fixture(scope="module")
def thesis():
    return _read(THESIS)


def test_chapter_wise_numbers(thesis):
    numbers = {label: t.number for label, t in thesis.targets.items()}
    assert numbers == {
        "sec:introduction": "1", "eq:flux": "1.1", "fig:plate": "1.1", "tbl:materials": "1.1",
        "sec:model": "2", "sec:heat-equation": "", "eq:heat": "2.1", "eq:laplace": "2.2",
        "eq:series": "2.3", "fig:modes": "2.1", "sec:results": "3", "tbl:measured": "3.1",
        "fig:profile": "3.1", "sec:derivations": "A", "eq:coefficients": "A.1",
        "tbl:coefficients": "A.1"}


def test_references_are_worded_and_linked(thesis):
    assert _paragraph(thesis, "abstract", "This thesis") == (
        "This thesis models the flow of heat in a thin plate. The governing law is stated "
        "in Equation (2.1), solved in Chapter 2, and compared with measurements "
        "in Table 3.1 and Figure 3.1.")
    assert _paragraph(thesis, "sec:results", "The measured").startswith(
        "The measured temperatures agree with Equation (2.3) to within two per cent "
        "(Table 3.1), as Figures 3.1 and 2.1 show; the materials are those of "
        "Table 1.1 in Chapter 1.")
    # [-@eq:x]: the number alone; a reference to an appendix names it
    assert "Fourier’s law in one dimension (Fourier, 1822); (1.1) is used again" in _paragraph(
        thesis, "sec:introduction", "Equation")
    assert "The derivation is in Appendix A." in _paragraph(
        thesis, "sec:model", "whose first terms")
    links = thesis.section("sec:results").body.xpath(".//a[@class='xref']")
    assert [a.get("href") for a in links[:4]] == [
        "#eq:series", "#tbl:measured", "#fig:profile", "#fig:modes"]


def test_references_in_notes_and_captions(thesis):
    note = text_of(thesis.notes[0].body)
    assert "see Equations (2.1) and (2.2)." in note
    caption = thesis.section("sec:model").body.find(".//figcaption")
    assert text_of(caption) == "Figure 2.1: The first three modes of Equation (2.3)"
    assert caption.get("aria-hidden") is None


def test_captions_and_equation_numbers(thesis):
    body = thesis.section("sec:derivations").body
    assert text_of(body.find(".//caption")) == (
        "Table A.1: The first coefficients for a square profile")
    assert text_of(body.find(".//span[@class='equation-number']")) == "(A.1)"
    # an unlabelled figure is not numbered
    captions = [text_of(c) for c in thesis.section("sec:introduction").body.iter("figcaption")]
    assert captions == ["Figure 1.1: The plate and its two faces", "A decorative rule"]


def test_book_wide_numbers(tmp_path):
    book = _read(_thesis(tmp_path, numbering="book"))
    numbers = {label: t.number for label, t in book.targets.items() if t.kind != "sec"}
    assert numbers == {
        "eq:flux": "1", "fig:plate": "1", "tbl:materials": "1", "eq:heat": "2",
        "eq:laplace": "3", "eq:series": "4", "fig:modes": "2", "tbl:measured": "2",
        "fig:profile": "3", "eq:coefficients": "5", "tbl:coefficients": "3"}
    assert _paragraph(book, "sec:results", "The measured").startswith(
        "The measured temperatures agree with Equation (4) to within two per cent "
        "(Table 2), as Figures 3 and 2 show")


@pytest.mark.parametrize(("language", "expected"), [
    ("de", "Gleichung (2.3) to within two per cent (Tabelle 3.1), as "
           "Abbildungen 3.1 und 2.1 show; the materials are those of Tabelle 1.1 "
           "in Kapitel 1."),
    ("fr", "Équation (2.3) to within two per cent (Tableau 3.1), as "
           "Figures 3.1 et 2.1 show; the materials are those of Tableau 1.1 in "
           "Chapitre 1."),
    ("xx", "Equation (2.3) to within two per cent (Table 3.1), as "
           "Figures 3.1 and 2.1 show; the materials are those of Table 1.1 in "
           "Chapter 1."),
])
def test_words_of_the_language(tmp_path, language, expected):
    book = _read(_thesis(tmp_path, language=language))
    assert _paragraph(book, "sec:results", "The measured").startswith(
        "The measured temperatures agree with " + expected)


def test_lists_of_figures_and_tables(thesis):
    ids = [s.id for s in thesis.sections]
    assert ids[:3] == ["abstract", "list-of-figures", "list-of-tables"]
    assert [(t.number, t.caption) for t in thesis.targets_of("fig")] == [
        ("1.1", "The plate and its two faces"),
        ("2.1", "The first three modes of Equation (2.3)"),
        ("3.1", "Temperature along the plate")]
    assert [t.number for t in thesis.targets_of("tbl")] == ["1.1", "3.1", "A.1"]


def test_a_book_without_labels_is_unchanged(tmp_path):
    book = _read(write_book(tmp_path, chapter="# One {#one}\n\nSee @doe2020 and $5.\n"))
    assert book.targets == {}
    assert [s.id for s in book.sections] == ["one"]
    # a citation that is no cross-reference is left to the citations: without a
    # bibliography, @name in running text stays as written
    assert "See @doe2020 and $5." in book.section("one").body.text_content()


UNKNOWN = "# One {#one}\n\nText.\n\nAs @fig:missing shows, and [@tbl:none].\n"


def test_unknown_label_is_an_error_at_its_line_in_check(tmp_path):
    root = write_book(tmp_path, chapter=UNKNOWN)
    found = [(f.code, f.path.name, f.line) for f in check_manuscript(root).findings]
    assert ("L004", "one.md", 5) in found
    assert sum(1 for f in found if f[0] == "L004") == 2


def test_unknown_label_stops_the_build(tmp_path):
    root = write_book(tmp_path / "book", chapter=UNKNOWN)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "epub", "--book",
                             str(root), "--output", str(tmp_path / "out")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [LOCATED.match(line) for line in result.stderr.splitlines()]
    located = [(m["path"], m["line"], m["message"]) for m in lines if m]
    assert any(path.endswith("chapters/one.md") and line == "5" and message.startswith(
        "L004 cross-reference '@fig:missing'") for path, line, message in located), \
        result.stderr
    assert not (tmp_path / "out").exists()


def test_bad_crossref_setting(tmp_path):
    config = "title: T\nauthor: A\ncontents:\n  chapters: [chapters/one.md]\ncrossrefs:\n" \
             "  numbering: page\n"
    root = write_book(tmp_path, config=config)
    found = [(f.code, f.line) for f in check_manuscript(root).findings]
    assert ("M001", 6) in found


def test_an_image_described_by_its_caption_gets_the_references_words(tmp_path):
    chapter = ("# One {#one}\n\n$$E = mc^2$$ {#eq:e}\n\n"
               "![The modes of @eq:e here](images/a.png){#fig:a}\n\n"
               "![Own words](images/a.png){#fig:b alt='A red square'}\n\nSee @fig:a, @fig:b.\n")
    root = write_book(tmp_path, chapter=chapter)
    (root / "images").mkdir()
    (root / "images" / "a.png").write_bytes(tiny_png())
    images = _read(root).section("one").body.xpath(".//img")
    assert [" ".join(i.get("alt").split()) for i in images] == [
        "The modes of Equation (1.1) here", "A red square"]


def test_the_words_after_a_displayed_formula_go_on_unindented(tmp_path):
    chapter = ("# One {#one}\n\nThe law\n\n$$ q = k $$ {#eq:q}\n\nwhere $k$ is a constant.\n\n"
               "$$ r = s $$\n\nand so on.\n\nA paragraph with $x$ inline.\n")
    paragraphs = _read(write_book(tmp_path, chapter=chapter)).section("one").body.xpath(".//p")
    assert [p.get("class") for p in paragraphs] == [None, "display", None, "display", None,
                                                    None]
