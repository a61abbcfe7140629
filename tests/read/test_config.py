"""folio.read.config: book.yaml, validated with every problem reported at file:line."""

import pytest
from helpers import MANUSCRIPT, MINIMAL_CONFIG, write_book

from folio.errors import BuildError, BuildErrors
from folio.read.config import load_config


def config_error(tmp_path, config) -> list[BuildError]:
    """The errors load_config reports for a book with this book.yaml."""
    write_book(tmp_path, config)
    with pytest.raises(BuildError) as raised:
        load_config(tmp_path)
    error = raised.value
    return error.errors if isinstance(error, BuildErrors) else [error]


def single(errors: list[BuildError]) -> BuildError:
    assert len(errors) == 1, [e.format() for e in errors]
    return errors[0]


def test_the_real_book(book):
    config = book.config
    assert config.title == "Leon Trotsky"
    assert config.slug == "leon-trotsky"
    assert config.full_title == f"Leon Trotsky: {config.subtitle}"
    assert config.language == "en"
    assert config.date == "2026-11-21", "dates stay text, not datetime.date"
    assert len(config.contents.chapters) == 9
    assert all(p.is_file() and p.is_relative_to(MANUSCRIPT) for p in config.contents.chapters)


def test_minimal_book_defaults(tmp_path):
    config = load_config(write_book(tmp_path))
    assert config.title == "A Minimal Book"
    assert config.contents.chapters == [(tmp_path / "chapters" / "one.md").resolve()]
    assert config.contents.glossary is None and config.contents.chronology is None
    assert config.trim == "6in 9in"
    assert config.identifier.startswith("urn:uuid:")
    assert load_config(tmp_path).identifier == config.identifier, "derived id is stable"


def test_front_matter_is_optional(tmp_path):
    # 'contents' needs only 'chapters'; the error message itself calls 'front' optional.
    write_book(tmp_path, MINIMAL_CONFIG.replace("  front: []\n", ""))
    assert load_config(tmp_path).contents.front == []


def test_empty_front_entry_is_no_front_matter(tmp_path):
    write_book(tmp_path, MINIMAL_CONFIG.replace("  front: []\n", "  front:\n"))
    assert load_config(tmp_path).contents.front == []


@pytest.mark.parametrize("title, expected", [
    ("Leon Trotsky", "leon-trotsky"),
    ("Ça, c'est la Révolution!", "ca-c-est-la-revolution"),
    ("???", "book"),
])
def test_slug(tmp_path, title, expected):
    write_book(tmp_path, MINIMAL_CONFIG.replace("A Minimal Book", f'"{title}"'))
    assert load_config(tmp_path).slug == expected


def test_missing_title(tmp_path):
    error = single(config_error(tmp_path, MINIMAL_CONFIG.replace("title: A Minimal Book\n", "")))
    assert error.path == tmp_path / "book.yaml"
    assert error.line is not None
    assert "missing required setting 'title'" in error.message


def test_title_of_the_wrong_type(tmp_path):
    error = single(config_error(tmp_path, MINIMAL_CONFIG.replace("A Minimal Book", "[a, b]")))
    assert (error.line, error.message) == (1, "'title' must be text, not a list")


def test_empty_author(tmp_path):
    error = single(config_error(tmp_path, MINIMAL_CONFIG.replace("Test Author", '""')))
    assert (error.line, error.message) == (2, "'author' must not be empty")


@pytest.mark.parametrize("language", ["english", "e", "en_GB", "12"])
def test_bad_language(tmp_path, language):
    error = single(config_error(tmp_path, MINIMAL_CONFIG.replace("language: en",
                                                                  f"language: {language}")))
    assert error.line == 3
    assert "'language' must be a language tag" in error.message
    assert language in error.message


@pytest.mark.parametrize("language", ["en", "fr-CA", "zh-Hant-TW"])
def test_good_language(tmp_path, language):
    write_book(tmp_path, MINIMAL_CONFIG.replace("language: en", f"language: {language}"))
    assert load_config(tmp_path).language == language


def test_unknown_key_suggests_the_known_one(tmp_path):
    error = single(config_error(tmp_path, MINIMAL_CONFIG + "autor: Someone\n"))
    assert error.line == 8
    assert error.message == "unknown setting 'autor' (did you mean 'author'?)"


@pytest.mark.parametrize("setting, message", [
    ("version: one", "'version' must look like 1.0.0"),
    ("date: 21 November 2026", "'date' must be a date written YYYY-MM-DD"),
    ("date: 2026-02-30", "'date' must be a date written YYYY-MM-DD"),
    ("subjects: Trotsky", "'subjects' must be a list"),
    ("pdf:\n  trim: huge", "'pdf.trim' must be a page size"),
    ("pdf:\n  colour: red", "unknown setting 'pdf.colour'"),
])
def test_bad_settings(tmp_path, setting, message):
    error = single(config_error(tmp_path, MINIMAL_CONFIG + setting + "\n"))
    assert message in error.message
    assert error.line is not None and error.line >= 8, error.format()


@pytest.mark.parametrize("trim", ["A5", "letter", "6in 9in", "148mm 210mm"])
def test_trim_sizes(tmp_path, trim):
    write_book(tmp_path, MINIMAL_CONFIG + f"pdf:\n  trim: {trim}\n")
    assert load_config(tmp_path).trim == trim


def test_missing_chapter_file_points_at_its_line(tmp_path):
    error = single(config_error(tmp_path, MINIMAL_CONFIG + "    - chapters/two.md\n"))
    assert (error.path, error.line) == (tmp_path / "book.yaml", 8)
    assert error.message == "'chapters/two.md' in 'contents.chapters': file not found"


def test_chapter_outside_the_book(tmp_path):
    (tmp_path / "outside.md").write_text("# Outside\n", encoding="utf-8")
    error = single(config_error(tmp_path / "book", MINIMAL_CONFIG + "    - ../outside.md\n"))
    assert error.line == 8 and "outside the book's folder" in error.message


def test_chapter_listed_twice(tmp_path):
    error = single(config_error(tmp_path, MINIMAL_CONFIG + "    - chapters/one.md\n"))
    assert "listed twice" in error.message


def test_no_chapters(tmp_path):
    config = MINIMAL_CONFIG.replace("    - chapters/one.md\n", "").replace("chapters:",
                                                                         "chapters: []")
    assert "at least one chapter" in single(config_error(tmp_path, config)).message


def test_missing_contents(tmp_path):
    config = MINIMAL_CONFIG.split("contents:")[0]
    assert "missing required setting 'contents'" in single(config_error(tmp_path, config)).message


def test_every_problem_is_reported_at_once(tmp_path):
    config = MINIMAL_CONFIG.replace("language: en", "language: english") + \
        "    - chapters/missing.md\ncolour: red\n"
    errors = config_error(tmp_path, config)
    assert len(errors) == 3, [e.format() for e in errors]
    assert sorted(e.line for e in errors) == [3, 8, 9]


def test_not_a_mapping(tmp_path):
    error = single(config_error(tmp_path, "- just\n- a list\n"))
    assert (error.line, error.path) == (1, tmp_path / "book.yaml")


def test_formats_and_handout_defaults(tmp_path):
    from helpers import MINIMAL_CONFIG, write_book

    from folio.read.config import load_config

    book = write_book(tmp_path / "a", MINIMAL_CONFIG + "formats: [html, pdf]\n"
                      "handouts:\n  paper: Letter\n  booklet: true\n")
    config = load_config(book)
    assert config.formats == ["pdf", "html"]
    assert config.handouts == {"paper": "letter", "booklet": True}
    assert load_config(write_book(tmp_path / "b")).formats == ["pdf", "epub", "html"]


@pytest.mark.parametrize("setting, words", [
    ("formats: [pdf, mobi]\n", "'formats' must list"),
    ("handouts:\n  paper: a3\n", "'handouts.paper' must be a4 or letter"),
    ("handouts:\n  fold: yes\n", "unknown setting 'handouts.fold'"),
])
def test_bad_formats_and_handout_settings(tmp_path, setting, words):
    from helpers import MINIMAL_CONFIG, write_book

    from folio.errors import BuildError
    from folio.read.config import load_config

    with pytest.raises(BuildError) as raised:
        load_config(write_book(tmp_path / "book", MINIMAL_CONFIG + setting))
    assert words in raised.value.format()
