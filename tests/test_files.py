"""folio.files: the one way a book's files are read (limits and refusals are in
test_limits.py); here, a reading that reads each text file once."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import write_book

from folio import files
from folio.check import check_manuscript
from folio.errors import BuildError
from folio.files import read_once, read_text


def test_within_one_reading_a_file_saved_meanwhile_reads_as_it_first_did(tmp_path):
    path = tmp_path / "chapter.md"
    path.write_text("# First\n", encoding="utf-8")
    with read_once():
        assert read_text(path, [tmp_path]) == "# First\n"
        path.write_text("# Second\n", encoding="utf-8")
        assert read_text(path, [tmp_path]) == "# First\n"
        assert read_text(path, [tmp_path], max_line=10) == "# Second\n"  # other limits
    assert read_text(path, [tmp_path]) == "# Second\n"


def test_a_refusal_is_not_kept(tmp_path):
    path = tmp_path / "chapter.md"
    with read_once():
        with pytest.raises(BuildError, match="file not found"):
            read_text(path, [tmp_path])
        path.write_text("# Now there\n", encoding="utf-8")
        assert read_text(path, [tmp_path]) == "# Now there\n"


def test_readings_nest_and_the_outer_one_holds(tmp_path):
    path = tmp_path / "chapter.md"
    path.write_text("one", encoding="utf-8")
    with read_once():
        with read_once():
            assert read_text(path, [tmp_path]) == "one"
        path.write_text("two", encoding="utf-8")
        assert read_text(path, [tmp_path]) == "one"


def test_the_check_reads_each_chapter_once(tmp_path, monkeypatch):
    """Pandoc's reading, the splitting into sections, the lint rules and the
    locating of findings all take a chapter's text: it is read and checked once."""
    book = write_book(tmp_path / "book", chapter="""\
        # One {#one}

        A paragraph with a word repeated repeated, which a lint rule notes.

        ## A part of it {#part}

        More text.
        """)
    reads: list[str] = []
    checked_text = files._checked_text

    def counted(path, *arguments):
        reads.append(path.name)
        return checked_text(path, *arguments)

    monkeypatch.setattr(files, "_checked_text", counted)
    checked = check_manuscript(book)
    assert checked.book is not None and checked.book.sections
    assert reads.count("one.md") == 1, reads


def test_a_text_read_once_is_still_refused_to_a_caller_whose_folders_do_not_hold_it(
        tmp_path):
    inside, outside = tmp_path / "book", tmp_path / "elsewhere"
    inside.mkdir()
    outside.mkdir()
    (outside / "real.md").write_text("text", encoding="utf-8")
    link = inside / "chapter.md"
    link.symlink_to(outside / "real.md")
    with read_once():
        assert read_text(link, [tmp_path]) == "text"
        with pytest.raises(BuildError, match="outside the book's folder"):
            read_text(link, [inside])


def test_within_one_reading_a_folder_is_resolved_once_and_its_files_still_checked(
        tmp_path, monkeypatch):
    book = tmp_path / "book"
    book.mkdir()
    for name in ("a.md", "b.md"):
        (book / name).write_text(name, encoding="utf-8")
    (book / "out.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "elsewhere.md").write_text("outside", encoding="utf-8")
    resolved: list[Path] = []
    resolve = Path.resolve

    def counted(self, *arguments, **options):
        resolved.append(self)
        return resolve(self, *arguments, **options)

    monkeypatch.setattr(Path, "resolve", counted)
    with read_once():
        assert files.why_refused(book / "a.md", [book]) is None
        assert files.why_refused(book / "b.md", [book]) is None
        assert "outside the book" in files.why_refused(book / "out.md", [book])
    assert resolved.count(book) == 1
