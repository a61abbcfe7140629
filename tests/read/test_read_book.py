"""folio.read.book and folio.model: the Book model every renderer reads."""

from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, write_book

from folio.check import check_manuscript
from folio.errors import BuildError, BuildErrors
from folio.htmltree import inner_html
from folio.model import BACK, CHAPTER, FRONT
from folio.read.book import read_book

KIND_ORDER = {FRONT: 0, CHAPTER: 1, BACK: 2}
BACK_ORDER = ["notes", "glossary", "chronology", "bibliography", "index"]


def read_errors(folder) -> list[BuildError]:
    with pytest.raises(BuildError) as raised:
        read_book(folder, warn=lambda message: None)
    error = raised.value
    return error.errors if isinstance(error, BuildErrors) else [error]


def test_real_book_sections_follow_book_yaml(book):
    config = book.config
    authored = [s for s in book.sections if not s.generated]
    assert [s.source for s in authored] == [*config.contents.front, *config.contents.chapters]
    assert [s.kind for s in authored] == [FRONT] * len(config.contents.front) + \
        [CHAPTER] * len(config.contents.chapters)
    assert [s.number for s in book.chapters] == list(range(1, 10))


def test_sections_in_reading_order(book):
    kinds = [KIND_ORDER[s.kind] for s in book.sections]
    assert kinds == sorted(kinds), [(s.id, s.kind) for s in book.sections]
    roles = [s.role for s in book.sections if s.kind == BACK]
    assert roles == [r for r in BACK_ORDER if r in roles]
    assert all(s.generated for s in book.sections if s.kind == BACK)


def test_real_book_has_its_apparatus(book):
    roles = {s.role for s in book.of_kind(BACK)}
    assert {"glossary", "chronology", "bibliography"} <= roles
    assert book.of_kind(FRONT), "the study edition has an introduction"


def test_section_ids_are_unique_and_are_their_headings(book, sample_book):
    for model in (book, sample_book):
        ids = [s.id for s in model.sections]
        assert len(ids) == len(set(ids)), ids
        for section in model.sections:
            if section.generated:
                continue
            heading = section.body[0]
            assert heading.tag == "h1" and heading.get("id") == section.id
            assert section.title == heading.text_content().strip()
            assert section.headings[0] == (1, section.id, section.title)


def test_sample_book_model(sample_book):
    assert [(s.id, s.kind, s.number, s.role) for s in sample_book.sections] == [
        ("preface", FRONT, None, ""), ("first", CHAPTER, 1, ""), ("second", CHAPTER, 2, ""),
        ("notes", BACK, None, "notes"), ("glossary", BACK, None, "glossary"),
        ("chronology", BACK, None, "chronology"), ("index", BACK, None, "index")]
    assert [h[:2] for h in sample_book.section("first").headings] == [
        (1, "first"), (2, "marxism-heading"), (2, "overview")]
    assert [n.number for n in sample_book.notes_of("first")] == [2, 3]
    assert [s.id for s in sample_book.chapters] == ["first", "second"]
    assert set(sample_book.meta_html) == {"rights"}
    assert "<em>Test Author</em>" in inner_html(sample_book.meta_html["rights"]), \
        "metadata fields are Markdown"


def test_book_without_apparatus_has_no_back_matter(tmp_path):
    book = read_book(write_book(tmp_path), warn=lambda m: None)
    assert [s.id for s in book.sections] == ["one"]
    assert book.notes == book.glossary == book.chronology == book.index == []


def test_chapter_without_level_one_heading(tmp_path):
    write_book(tmp_path, chapter="Some text first.\n\n## A subheading\n")
    [error] = read_errors(tmp_path)
    assert (error.path, error.line) == (tmp_path / "chapters" / "one.md", 1)
    assert "level-1 heading" in error.message


def test_chapter_not_utf8(tmp_path):
    write_book(tmp_path)
    (tmp_path / "chapters" / "one.md").write_bytes("# Tr\xf6tsky\n".encode("latin-1"))
    [error] = read_errors(tmp_path)
    assert error.path.name == "one.md" and "UTF-8" in error.message


def test_problems_of_several_files_are_reported_together(tmp_path):
    config = MINIMAL_CONFIG.replace("contents:\n", "contents:\n  glossary: glossary.yaml\n")
    config += "    - chapters/two.md\n"
    write_book(tmp_path, config, chapter="No heading.\n", files={
        "chapters/two.md": "No heading either.\n", "glossary.yaml": "- term: Soviet\n"})
    errors = read_errors(tmp_path)
    assert sorted(e.path.name for e in errors) == ["glossary.yaml", "one.md", "two.md"], \
        [e.format() for e in errors]


def test_pandoc_warnings_name_their_file_and_line(tmp_path):
    config = MINIMAL_CONFIG + "    - chapters/two.md\n"
    write_book(tmp_path, config, files={
        "chapters/two.md": "# Two\n\nSee [x].\n\n[x]: https://example.org/a\n"
                           "[x]: https://example.org/b\n"})
    book = read_book(tmp_path, warn=lambda message: None)
    assert [s.id for s in book.sections] == ["one", "two"]
    two = next(i for i in book.inventories if i.source.name == "two.md")
    assert [(w.kind, w.line, w.column, w.message) for w in two.warnings] == [
        ("DuplicateLinkReference", 6, 1, "Duplicate link reference '[x]'")]
    findings = [f.format(tmp_path) for f in check_manuscript(tmp_path).findings]
    assert findings == ["chapters/two.md:6:1: P003 pandoc: Duplicate link reference '[x]'"]


def test_a_kept_reading_is_used_for_files_that_did_not_change(tmp_path, monkeypatch):
    import folio.read.pandoc
    from folio.read.parsecache import ParseCache

    config = MINIMAL_CONFIG + "    - chapters/two.md\n"
    write_book(tmp_path, config, files={"chapters/two.md": "# Two\n\nText.\n"})
    first = ParseCache(setting=folio.read.pandoc.reading_setting())
    before = read_book(tmp_path, warn=lambda m: None, cache=first)
    first.save(tmp_path / "kept")
    (tmp_path / "chapters" / "two.md").write_text("# Two\n\nNew text.\n", encoding="utf-8")
    read: list[str] = []
    real = folio.read.pandoc._run

    def run(stdin, where, language="en", files=()):
        read.extend(Path(f).name for f in files)
        return real(stdin, where, language, files)

    monkeypatch.setattr(folio.read.pandoc, "_run", run)
    after = read_book(tmp_path, warn=lambda m: None,
                      cache=ParseCache(tmp_path / "kept", folio.read.pandoc.reading_setting()))
    assert read == ["two.md"]
    assert inner_html(after.sections[0].body) == inner_html(before.sections[0].body)
    assert "New text." in inner_html(after.sections[1].body)
