"""folio.formats: the registry every part of Folio reads, and formats from outside."""

import textwrap

import pytest
from click.testing import CliRunner
from helpers import MINIMAL_CONFIG, write_book

import folio.read.config
from folio import formats
from folio.build import build
from folio.cli import main
from folio.errors import BuildError

PLUGIN = '''
"""A format from outside Folio: the chapters' titles and words as plain text."""
from folio.formats import Format


def render(job):
    text = "\\n\\n".join(f"{s.title}\\n\\n{s.body.text_content()}" for s in job.book.sections)
    job.target.write_text(text, encoding="utf-8")


FORMAT = Format(name="plaintext", summary="The words alone, as {slug}.txt.",
                output="{slug}.txt", render=render)
'''


@pytest.fixture
def plugin(tmp_path, monkeypatch):
    """A package installed beside Folio that registers 'plaintext' by entry point."""
    site = tmp_path / "site"
    (site / "folio_plaintext").mkdir(parents=True)
    (site / "folio_plaintext" / "__init__.py").write_text(PLUGIN, encoding="utf-8")
    info = site / "folio_plaintext-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: folio-plaintext\n"
                                   "Version: 0.1\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[folio.formats]\nplaintext = folio_plaintext:FORMAT\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    formats.registry.cache_clear()
    yield "plaintext"
    formats.registry.cache_clear()


def test_folios_own_formats_are_registered():
    found = formats.registry()
    assert list(found)[:5] == ["pdf", "epub", "html", "handouts", "kindle"]
    assert formats.defaults() == ["pdf", "epub", "html"]
    assert formats.get("kindle").requires == ("epub",)
    assert formats.in_build_order(["kindle", "pdf"]) == ["epub", "kindle", "pdf"]
    assert formats.get("pdf").output_names("a-book") == [
        "a-book.pdf", "a-book-print.pdf", "a-book-cover.pdf"]
    with pytest.raises(BuildError, match="unknown format 'docx'.*pdf, epub, html"):
        formats.get("docx")


def test_a_format_registered_by_entry_point_builds_from_the_command_line(plugin, tmp_path):
    book = write_book(tmp_path / "book")
    result = CliRunner().invoke(main, [plugin, "--book", str(book),
                                       "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    made = tmp_path / "out" / "a-minimal-book.txt"
    assert "Some text of the first chapter" in made.read_text(encoding="utf-8")
    assert plugin in CliRunner().invoke(main, ["--help"]).output
    again = CliRunner().invoke(main, [plugin, "--book", str(book),
                                      "--output", str(tmp_path / "out")])
    assert "up to date" in again.output, "the up-to-date check knows the new format"


def test_book_yaml_may_list_a_registered_format(plugin, tmp_path):
    book = write_book(tmp_path / "book", config=MINIMAL_CONFIG + "formats: [html, plaintext]\n")
    made = build(book, tmp_path / "out")
    assert sorted(made) == ["html", "plaintext"]
    assert made["plaintext"].is_file() and (made["html"] / "index.html").is_file()


def test_book_yaml_names_an_unknown_format(tmp_path):
    book = write_book(tmp_path / "book", config=MINIMAL_CONFIG + "formats: [pdf, docx]\n")
    with pytest.raises(BuildError, match="'formats' must list some of pdf, epub, html"):
        build(book, tmp_path / "out")


def test_a_build_loads_book_yaml_once(tmp_path, monkeypatch):
    loads = []
    original = folio.read.config.load_yaml

    def counting(path):
        loads.append(path.name)
        return original(path)

    monkeypatch.setattr(folio.read.config, "load_yaml", counting)
    book = write_book(tmp_path / "book", config=MINIMAL_CONFIG + textwrap.dedent("""\
        formats: [html, epub]
    """))
    result = CliRunner().invoke(main, ["all", "--book", str(book),
                                       "--output", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "a-minimal-book.epub").is_file()
    assert loads == ["book.yaml"]
