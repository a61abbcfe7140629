"""The command line: help everywhere; bad input exits 1 with file:line: message."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from helpers import LOCATED, MINIMAL_CONFIG, ROOT, SAMPLE, snapshot, write_book

from folio.cli import main

COMMANDS = ["pdf", "epub", "html", "all"]
WITH_GLOSSARY = MINIMAL_CONFIG.replace("contents:\n", "contents:\n  glossary: glossary.yaml\n")
WITH_CHRONOLOGY = MINIMAL_CONFIG.replace("contents:\n",
                                         "contents:\n  chronology: chronology.yaml\n")


def run_build(*args, cwd=ROOT, timeout=120):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})


# --- help ---------------------------------------------------------------------------------

def test_help_lists_every_command():
    result = run_build("--help")
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
    for command in COMMANDS:
        assert f"  {command} " in result.stdout, f"{command} missing from --help"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_of_each_command(command):
    result = CliRunner().invoke(main, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output and f" {command} [OPTIONS]" in result.output
    for option in ("--book", "--output", "--quiet"):
        assert option in result.output


def test_short_help_option():
    assert CliRunner().invoke(main, ["-h"]).exit_code == 0


def test_unknown_command_is_a_usage_error():
    result = run_build("docx")
    assert result.returncode == 2
    assert "No such command" in result.stderr and "Traceback" not in result.stderr


# --- bad input ----------------------------------------------------------------------------

# (name, book.yaml, chapters/one.md or None for the minimal one, other files,
#  expected path, expected line (None: no line, "any": some line, "maybe": either),
#  words of the message)
BAD_BOOKS = [
    ("missing chapter file", MINIMAL_CONFIG + "    - chapters/two.md\n", None, {},
     "book/book.yaml", 8, "'chapters/two.md' in 'contents.chapters': file not found"),
    ("missing title", MINIMAL_CONFIG.replace("title: A Minimal Book\n", ""), None, {},
     "book/book.yaml", "any", "missing required setting 'title'"),
    ("title of the wrong type", MINIMAL_CONFIG.replace("A Minimal Book", "{a: b}"), None, {},
     "book/book.yaml", 1, "'title' must be text"),
    ("bad language", MINIMAL_CONFIG.replace("language: en", "language: English!"), None, {},
     "book/book.yaml", 3, "'language' must be a language tag"),
    ("unknown key", MINIMAL_CONFIG + "titel: Again\n", None, {},
     "book/book.yaml", 8, "unknown setting 'titel'"),
    ("invalid YAML syntax", MINIMAL_CONFIG.replace("author: Test Author",
                                                   "author: Test: Author"), None, {},
     "book/book.yaml", 2, "invalid YAML"),
    ("duplicate key", MINIMAL_CONFIG + "title: Again\n", None, {},
     "book/book.yaml", 8, "duplicate key 'title'"),
    ("glossary entry without definition", WITH_GLOSSARY, None,
     {"glossary.yaml": "- term: Soviet\n  definition: A council.\n\n- term: Duma\n"},
     "book/glossary.yaml", 4, "glossary entry 'Duma' has no definition"),
    ("glossary with invalid YAML", WITH_GLOSSARY, None,
     {"glossary.yaml": "- term: Soviet\n  definition: [unclosed\n- term: Duma\n"},
     "book/glossary.yaml", "any", "invalid YAML"),
    ("chronology date that does not parse", WITH_CHRONOLOGY, None,
     {"chronology.yaml": '- date: "1917"\n  event: Ok.\n- date: "25 October 1917"\n'
                         "  event: Bad.\n"},
     "book/chronology.yaml", 3, "25 October 1917"),
    ("chronology end before start", WITH_CHRONOLOGY, None,
     {"chronology.yaml": '- date: "1917-10"\n  end: "1905"\n  event: Backwards.\n'},
     "book/chronology.yaml", 2, "ends (1905) before it begins (1917-10)"),
    ("chronology link to a missing chapter id", WITH_CHRONOLOGY, None,
     {"chronology.yaml": '- date: "1917"\n  event: Ok.\n  chapters: [one]\n'
                         '- date: "1918"\n  event: Bad.\n  chapters: [nowhere]\n'},
     "book/chronology.yaml", 4, "'nowhere'"),
    ("chapter without level-1 heading", MINIMAL_CONFIG, "Text first.\n\n## Sub\n", {},
     "book/chapters/one.md", 1, "level-1 heading"),
    ("empty heading of a file's second chapter", MINIMAL_CONFIG,
     "# One\n\nText.\n\n```\n# not a heading\n```\n\n#\n\nMore.\n", {},
     "book/chapters/one.md", 9, "the chapter heading is empty"),
    ("no book.yaml", None, None, {}, "book/book.yaml", None, "file not found"),
    ("chapter image outside the book", MINIMAL_CONFIG,
     "# One {#one}\n\nText.\n\n![A secret](/etc/hostname)\n", {},
     "book/chapters/one.md", "maybe", "/etc/hostname"),
]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A working folder holding book/ and a previous output/; paths print relative to it."""
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "output"
    (output / "html").mkdir(parents=True)
    (output / "a-minimal-book.pdf").write_bytes(b"%PDF previous")
    (output / "html" / "index.html").write_text("previous", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name, config, chapter, files, path, line, words", BAD_BOOKS,
                         ids=[case[0] for case in BAD_BOOKS])
def test_bad_input(workdir, name, config, chapter, files, path, line, words):
    book = workdir / "book"
    if config is not None:
        write_book(book, config, chapter or "# Chapter One {#one}\n\nText.\n", files)
    before = snapshot(workdir / "output")
    result = CliRunner().invoke(main, ["all", "--quiet", "--book", "book", "--output", "output"])
    stderr = result.stderr
    assert result.exit_code == 1, f"exit {result.exit_code}: {stderr}"
    assert isinstance(result.exception, SystemExit), f"uncaught {result.exception!r}"
    assert "Traceback" not in stderr + result.stdout
    first = stderr.splitlines()[0]
    match = LOCATED.match(first)
    assert match, f"not 'path:line: message': {first!r}"
    assert match["path"] == path, first
    if line == "any":
        assert match["line"] is not None, f"no line number: {first!r}"
    elif line != "maybe":
        assert match["line"] == (str(line) if line else None), first
    assert words in match["message"], first
    assert snapshot(workdir / "output") == before, "the previous outputs changed"


def test_bad_input_in_a_real_process(tmp_path):
    """The same through python build.py, where a traceback would really show."""
    write_book(tmp_path / "book", MINIMAL_CONFIG.replace("language: en", "language: 42x"))
    output = tmp_path / "output"
    output.mkdir()
    (output / "keep.txt").write_text("kept", encoding="utf-8")
    result = run_build("pdf", "--book", "book", "--output", "output", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert any(line.startswith("book/book.yaml:3: M001 'language' must be a language tag")
               for line in result.stderr.splitlines()), result.stderr
    assert result.stderr.rstrip().endswith("the previous outputs are unchanged")
    assert snapshot(output) == {"keep.txt": b"kept"}


def test_every_problem_is_listed(workdir):
    write_book(workdir / "book", MINIMAL_CONFIG.replace("language: en", "language: xx_1")
               + "colour: red\n")
    result = CliRunner().invoke(main, ["pdf", "-q", "-b", "book", "-o", "output"])
    assert result.exit_code == 1
    located = [LOCATED.match(line) for line in result.stderr.splitlines()
               if line.startswith("book/")]
    assert sorted(m["line"] for m in located if m) == ["3", "8"], result.stderr


# --- a good build -------------------------------------------------------------------------

def test_build_prints_what_it_made(tmp_path):
    result = run_build("html", "--book", str(SAMPLE), "--output", str(tmp_path / "out"),
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "out/html"
    assert "rendering HTML" in result.stderr
    assert (tmp_path / "out" / "html" / "index.html").is_file()


def test_quiet_build_prints_nothing_on_stderr(tmp_path):
    result = CliRunner().invoke(main, ["html", "-q", "-b", str(SAMPLE), "-o",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
