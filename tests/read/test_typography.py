"""folio.read.typography: book.yaml's text settings are typeset as the text is."""

from helpers import MINIMAL_CONFIG, write_book

from folio.build import build
from folio.read import read_book


def _config(title: str, language: str = "en") -> str:
    return (MINIMAL_CONFIG.replace("title: A Minimal Book", f"title: '{title}'")
            .replace("language: en", f"language: {language}")
            + "subtitle: 'Notes -- and more...'\n")


def test_quotes_dashes_and_ellipses_in_the_books_language(tmp_path):
    book = read_book(write_book(tmp_path / "en", config=_config("Don''t Say \"Never\"")),
                     warn=lambda m: None)
    assert book.config.title == "Don’t Say “Never”"
    assert book.config.subtitle == "Notes – and more…"
    french = read_book(write_book(tmp_path / "fr", config=_config("Le \"grand\" livre", "fr")),
                       warn=lambda m: None)
    assert french.config.title == "Le «\u202fgrand\u202f» livre"


def test_nothing_else_is_read_as_markdown(tmp_path):
    book = read_book(write_book(tmp_path / "b", config=_config("C# *and* F_1 <b>[x]")),
                     warn=lambda m: None)
    assert book.config.title == "C# *and* F_1 <b>[x]"


def test_file_names_do_not_change(tmp_path):
    made = build(write_book(tmp_path / "b", config=_config("Don''t Panic")),
                 tmp_path / "out", ["html"])
    assert made["html"].is_dir()
    page = (made["html"] / "index.html").read_text(encoding="utf-8")
    assert "Don’t Panic" in page and "Don't Panic" not in page
    assert read_book(tmp_path / "b", warn=lambda m: None).config.slug == "don-t-panic"
