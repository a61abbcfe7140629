"""``build.py import`` on an mdBook, a Quarto book and a bookdown book that the tests
make (tests/importers/trees.py): each imports through the command line, reports
what it left out as ``file:line: what to do``, checks with no error and no
warning, builds every format (EPUBCheck: nothing), keeps every word of its text
(the included code too) and nothing it should leave out, and reads no file outside
its folder. Each imported book is built once a session."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pypdfium2
import pytest
import yaml
from helpers import (
    LOCATED,
    ROOT,
    broken_links,
    epub_files,
    epubcheck_report,
    html_files,
    unhyphenate_pdf_text,
)
from lxml import html as lxml_html
from trees import (
    BOOKDOWN_ABSENT,
    BOOKDOWN_WORDS,
    MDBOOK_ABSENT,
    MDBOOK_WORDS,
    QUARTO_ABSENT,
    QUARTO_WORDS,
    make_bookdown,
    make_mdbook,
    make_quarto,
)

from folio.build import build

TRACER = textwrap.dedent("""\
    import os, sys
    log = open(os.environ["IMPORT_TRACE"], "a", buffering=1)
    def hook(event, args):
        if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            log.write(os.path.realpath(os.fsdecode(args[0])) + "\\n")
    sys.addaudithook(hook)
    sys.argv[0] = "build.py"
    from folio.__main__ import run
    run()
""")


def _cli(*arguments: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *arguments], cwd=cwd,
                          capture_output=True, text=True, check=False, timeout=300,
                          env=env)


def _imported(folder: Path, source: Path) -> dict:
    """Import *source* through the command line (every file it opens traced)."""
    trace = folder / "trace.txt"
    env = {**os.environ, "IMPORT_TRACE": str(trace), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", TRACER, "import", str(source), "--to",
                           "book"], cwd=folder, capture_output=True, text=True, check=False,
                          timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    book = folder / "book"
    return {"book": book, "stderr": done.stderr, "opened": trace.read_text().splitlines(),
            "config": yaml.safe_load((book / "book.yaml").read_text(encoding="utf-8"))}


def _built(imported: dict, output: Path) -> dict:
    check = _cli("check", "--book", "book", cwd=imported["book"].parent)
    outputs = build(imported["book"], output, ["pdf", "epub", "html"])
    return {**imported, "check": check, "outputs": outputs}


@pytest.fixture(scope="session")
def mdbook(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("mdbook")
    imported = _imported(folder, make_mdbook(folder))
    return _built(imported, folder / "out")


@pytest.fixture(scope="session")
def quarto(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("quarto")
    imported = _imported(folder, make_quarto(folder))
    return _built(imported, folder / "out")


@pytest.fixture(scope="session")
def bookdown(tmp_path_factory) -> dict:
    folder = tmp_path_factory.mktemp("bookdown")
    imported = _imported(folder, make_bookdown(folder))
    return _built(imported, folder / "out")


BOOKS = ["mdbook", "quarto", "bookdown"]
WORDS = {"mdbook": (MDBOOK_WORDS, MDBOOK_ABSENT), "quarto": (QUARTO_WORDS, QUARTO_ABSENT),
         "bookdown": (BOOKDOWN_WORDS, BOOKDOWN_ABSENT)}


def _report(made: dict) -> list[tuple[str, int, str]]:
    """The report's lines as (path, line, message); every line must be located."""
    lines = [line for line in made["stderr"].splitlines()
             if line and not line.startswith(("  ", "imported ", "next: "))]
    found = []
    for line in lines:
        match = LOCATED.match(line)
        assert match, f"not a `file:line: message` line: {line}"
        found.append((match["path"], int(match["line"] or 0), match["message"]))
    kept = (made["book"] / "import-report.txt").read_text(encoding="utf-8").splitlines()
    assert len(kept) == len(found), "import-report.txt holds the lines printed"
    return found


def _has(report, path: str, line: int, words: str) -> bool:
    return any(p.endswith(path) and n == line and words in m for p, n, m in report)


# --- what becomes what --------------------------------------------------------------------

def test_mdbook_order_parts_prefix_suffix_and_split(mdbook):
    config = mdbook["config"]
    assert config["title"] == "The Harbour Handbook"
    assert config["author"] == "Ada Quay, Ben Mast"
    assert config["description"] == "A small mdBook made by the tests."
    contents = config["contents"]
    assert contents["front"] == ["front/01-foreword.md"], "a prefix chapter is front matter"
    assert contents["chapters"] == [
        {"part": "Getting Started"}, "chapters/02-installing-the-tools.md",
        "chapters/03-a-first-program.md", {"part": "Going Further"},
        "chapters/04-knots-and-lines.md", "chapters/05-splicing.md"]
    assert contents["appendices"] == ["appendices/06-glossary.md"], "a suffix chapter"
    installing = (mdbook["book"] / "chapters/02-installing-the-tools.md").read_text()
    # The nested chapter is a section of its parent, its headings one level down.
    assert "\n## On a Laptop\n" in installing and "\n### Power\n" in installing
    assert (mdbook["book"] / "images/buoy.png").is_file()
    knots = (mdbook["book"] / "chapters/04-knots-and-lines.md").read_text()
    assert "\n## Whipping\n" in knots, "a heading that skipped levels is moved up"


def test_mdbook_report(mdbook):
    report = _report(mdbook)
    assert _has(report, "src/installing.md", 13, "outside the book's folder")
    assert _has(report, "src/installing.md", 14, "symbolic link")
    assert _has(report, "src/SUMMARY.md", 16, "'Weather Lore' is a draft")
    assert _has(report, "src/knots.md", 9, "a level-4 heading under a level-1 one")
    assert len(report) == 4, report


def test_nothing_outside_the_source_is_read(mdbook):
    folder = mdbook["book"].parent.resolve()
    assert str(folder / "secret.txt") not in mdbook["opened"], "a link to it is not followed"
    # (An editable install's path hook is a name on sys.path, not a file: the import
    # system "opens" it relative to the working folder when a module is first loaded.)
    inside = [path for path in mdbook["opened"] if path.startswith(f"{folder}{os.sep}")
              and not os.path.basename(path).startswith("__editable__.")]
    allowed = (f"{folder / 'harbour'}{os.sep}", f"{folder}{os.sep}.book-",
               f"{folder / 'book'}{os.sep}")
    assert any(path.endswith("listings/hello.rs") for path in inside)
    assert [path for path in inside if not path.startswith(allowed)] == []


def test_quarto_settings_and_contents(quarto):
    config = quarto["config"]
    assert (config["title"], config["subtitle"]) == ("Tides and Currents", "A Field Guide")
    assert config["author"] == "Mara Quill, Ned Ashby"
    assert config["date"] == "2025-03-14"
    assert config["bibliography"] == "references.bib"
    assert config["cover"] == "images/cover.png"
    assert (quarto["book"] / "images/cover.png").is_file()
    assert (quarto["book"] / "references.bib").read_bytes().startswith(b"@book{darwin1898")
    contents = config["contents"]
    assert contents["front"] == ["front/01-preface.md"]
    assert contents["chapters"] == [
        "chapters/02-introduction.md", {"part": "Observing"}, "chapters/03-observing.md",
        {"part": "Analysis"}, "chapters/04-methods.md"]
    assert contents["appendices"] == ["appendices/05-station-tables.md"]
    observing = (quarto["book"] / "chapters/03-observing.md").read_text()
    assert "{#sec:gauge}" in observing, "cross-reference ids in pandoc-crossref's form"
    report = _report(quarto)
    assert _has(report, "observing.qmd", 9, "without its output")
    assert _has(report, "observing.qmd", 14, "hidden python code cell is left out")
    assert _has(report, "references.qmd", 0, "Folio makes the bibliography")
    assert len(report) == 3, report


def test_quarto_callout_is_a_box_in_every_format(quarto):
    outputs = quarto["outputs"]
    for files in (epub_files(outputs["epub"]), html_files(outputs["html"])):
        boxes = [element for name, data in files.items()
                 if name.endswith((".xhtml", ".html"))
                 for element in lxml_html.fromstring(data).xpath(
                     "//div[contains(@class, 'callout-note')]")]
        assert boxes and boxes[0].xpath("string(./p[1]/strong)") == "Remember"


def test_quarto_checks_clean_with_its_bibliography(quarto):
    check = quarto["check"]
    assert check.returncode == 0, check.stdout + check.stderr


def test_quarto_citations_reach_every_format_with_their_bibliography(quarto):
    outputs = quarto["outputs"]
    for files in (epub_files(outputs["epub"]), html_files(outputs["html"])):
        text = " ".join(data.decode("utf-8", "replace") for name, data in files.items()
                        if name.endswith((".xhtml", ".html")))
        assert "[@darwin1898]" not in text
        assert 'href="#ref-darwin1898"' in text or "#ref-darwin1898" in text


def test_bookdown_settings_parts_and_appendix(bookdown):
    config = bookdown["config"]
    assert (config["title"], config["author"], config["date"]) == (
        "Rivers of the Plain", "Ilse Brandt", "2024-05-01")
    contents = config["contents"]
    assert contents["front"] == ["front/01-preface.md"]
    assert contents["chapters"] == [{"part": "Sources"}, "chapters/02-springs.md",
                                    "chapters/03-flow.md"]
    assert contents["appendices"] == ["appendices/04-gauging-stations.md"]
    springs = (bookdown["book"] / "chapters/02-springs.md").read_text()
    assert "@sec:flow" in springs
    assert "{#sec:flow}" in (bookdown["book"] / "chapters/03-flow.md").read_text()
    report = _report(bookdown)
    assert _has(report, "01-springs.Rmd", 8, "(ref:spring-note)")
    assert _has(report, "01-springs.Rmd", 10, "without its output")
    assert _has(report, "01-springs.Rmd", 14, "hidden r code cell")
    assert len(report) == 3, report


# --- every imported book checks clean and builds whole --------------------------------------

@pytest.mark.parametrize("name", BOOKS)
def test_checks_with_no_error_and_no_warning(name, request):
    check = request.getfixturevalue(name)["check"]
    assert check.returncode == 0, check.stdout + check.stderr
    assert "0 error(s), 0 warning(s)" in check.stdout + check.stderr


def _texts(made: dict) -> dict[str, str]:
    outputs = made["outputs"]
    pdf = unhyphenate_pdf_text("\n".join(
        page.get_textpage().get_text_range()
        for page in pypdfium2.PdfDocument(outputs["pdf"])))

    def markup(files: dict[str, bytes]) -> str:
        return "\n".join(lxml_html.fromstring(data).text_content()
                         for name, data in sorted(files.items())
                         if name.endswith((".html", ".xhtml")))

    return {"pdf": pdf, "epub": markup(epub_files(outputs["epub"])),
            "html": markup(html_files(outputs["html"]))}


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").replace("\u200b", "").split())


@pytest.mark.parametrize("name", BOOKS)
def test_text_is_complete_in_every_output(name, request):
    made = request.getfixturevalue(name)
    present, absent = WORDS[name]
    for format_name, text in _texts(made).items():
        text = _plain(text)
        for words in present:
            assert words in text, f"{name} {format_name}: '{words}' is missing"
        for words in absent:
            assert words not in text, f"{name} {format_name}: '{words}' should not be there"


@pytest.mark.parametrize("name", BOOKS)
def test_links_between_chapters_hold(name, request):
    outputs = request.getfixturevalue(name)["outputs"]
    assert broken_links(epub_files(outputs["epub"])) == []
    assert broken_links(html_files(outputs["html"])) == []


def test_links_land_on_their_headings(mdbook):
    files = epub_files(mdbook["outputs"]["epub"])
    chapter = next(data.decode() for name, data in files.items()
                   if name.endswith(".xhtml") and b"Installing the Tools" in data
                   and b"<h1" in data and b"the first program" in data)
    targets = dict(re.findall(r'<a href="([^"]*)"[^>]*>([^<]+)</a>', chapter)[::1])
    by_words = {words: href for href, words in targets.items()}
    assert by_words["the first program"].endswith("#running-it")
    assert by_words["splicing"].endswith("#splicing")
    assert by_words["the knots"].endswith("#knots-and-lines")
    assert by_words["old knots"].endswith("#old-knots"), "an old anchor in raw HTML"
    knots = (mdbook["book"] / "chapters/04-knots-and-lines.md").read_text()
    assert knots.startswith("# Knots and Lines\n"), "comments and anchors go below it"


@pytest.mark.slow
@pytest.mark.parametrize("name", BOOKS)
def test_epubcheck_finds_nothing(name, request):
    assert epubcheck_report(request.getfixturevalue(name)["outputs"]["epub"]) == ""
