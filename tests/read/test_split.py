"""folio.read.split: a file may hold several chapters, cut at the split level."""

import pytest
from helpers import MINIMAL_CONFIG, write_book

from folio.errors import BuildError
from folio.lint import lint_model
from folio.model import CHAPTER, PART
from folio.read.book import read_book
from folio.read.split import heading_lines

QUIET = {"warn": lambda message: None}


def test_heading_lines_skip_code_comments_and_metadata():
    text = ("---\ntitle: '# no'\n---\n\n# One\n\n```\n# code\n```\n\n<!--\n# hidden\n-->\n\n"
            "Two\n===\n\nSub\n---\n\n~~~~\n## code\n~~~~\n\n### Three ###\n#hashtag\n")
    assert heading_lines(text) == [(1, 5), (1, 15), (2, 18), (3, 25)]


def test_one_file_holds_several_chapters_with_their_own_notes_and_lines(tmp_path):
    chapter = ("# One {#one}\n\nFirst[^a] text.\n\n```\n# not a chapter\n```\n\n"
               "# Two {#two}\n\nSecond[^b] and third[^c].\n\n"
               "Two\n===\n\nThe third chapter, underlined.\n\n"
               "[^a]: Note of one.\n[^b]: First note of two.\n[^c]: Second note of two.\n")
    write_book(tmp_path, chapter=chapter)
    book = read_book(tmp_path, **QUIET)
    chapters = [s for s in book.sections if s.kind == CHAPTER]
    assert [(s.id, s.number, s.line) for s in chapters] == [
        ("one", 1, 1), ("two", 2, 9), ("two-1", 3, 13)]
    assert [[n.body.text_content().strip(" ↑") for n in book.notes_of(s.id)]
            for s in chapters] == [["Note of one."],
                                   ["First note of two.", "Second note of two."], []]
    assert [n.number for n in book.notes] == [1, 2, 3]


def test_findings_name_the_line_in_the_right_chapter(tmp_path):
    chapter = "# One\n\nText.\n\n# Two\n\n# Three\n\nText [to](#nowhere).\n"
    write_book(tmp_path, chapter=chapter)
    findings = {(f.code, f.line) for f in lint_model(read_book(tmp_path, **QUIET))}
    assert ("H002", 5) in findings, findings  # "Two" has a heading and no text
    assert ("L001", 9) in findings, findings


def test_split_level_two_makes_parts_and_chapters(tmp_path):
    config = MINIMAL_CONFIG.replace("contents:\n", "contents:\n  split_level: 2\n")
    chapter = ("# The Early Years\n\nWords on the part's page.\n\n"
               "## Childhood {#childhood}\n\nText.\n\n### A detail\n\nMore.\n\n"
               "## Exile\n\nText.\n\n# Later\n\n## Return\n\nText.\n")
    write_book(tmp_path, config=config, chapter=chapter,
               files={"chapters/two.md": "## Continued\n\nStill in the part 'Later'.\n"})
    (tmp_path / "book.yaml").write_text(
        (tmp_path / "book.yaml").read_text() + "    - chapters/two.md\n")
    book = read_book(tmp_path, **QUIET)
    authored = [s for s in book.sections if not s.generated]
    assert [(s.title, s.kind, s.number) for s in authored] == [
        ("The Early Years", PART, None), ("Childhood", CHAPTER, 1), ("Exile", CHAPTER, 2),
        ("Later", PART, None), ("Return", CHAPTER, 3), ("Continued", CHAPTER, 4)]
    assert [s.part for s in authored if s.kind == CHAPTER] == [
        "the-early-years", "the-early-years", "later", "later"]
    childhood = book.section("childhood")
    assert [h[0] for h in childhood.headings] == [1, 2], "headings move up one level"
    assert childhood.line == 5


@pytest.mark.parametrize("level, chapter, words", [
    (1, "Text first.\n\n# One\n", "level-1 heading"),
    (2, "Text first.\n\n## One\n", "'# Part' or '## Chapter'"),
])
def test_text_before_the_first_heading_is_an_error_at_line_one(tmp_path, level, chapter, words):
    config = MINIMAL_CONFIG.replace("contents:\n", f"contents:\n  split_level: {level}\n")
    write_book(tmp_path, config=config, chapter=chapter)
    with pytest.raises(BuildError) as raised:
        read_book(tmp_path, **QUIET)
    assert raised.value.line == 1 and words in raised.value.message


@pytest.mark.parametrize("value", ["3", "0", "true", "two"])
def test_split_level_is_one_or_two(tmp_path, value):
    config = MINIMAL_CONFIG.replace("contents:\n", f"contents:\n  split_level: {value}\n")
    write_book(tmp_path, config=config)
    with pytest.raises(BuildError) as raised:
        read_book(tmp_path, **QUIET)
    assert "split_level" in str(raised.value)
