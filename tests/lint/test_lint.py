"""`build.py check`: a corpus of broken books, each with the finding it must produce."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import LOCATED, MANUSCRIPT, ROOT, SAMPLE, write_book

from folio.check import check_manuscript
from folio.cli import main
from folio.lint.catalogue import RULES

BROKEN = Path(__file__).parents[1] / "data" / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def _expected(case: str) -> list[tuple[str, str]]:
    """The findings a broken book must give, one a line of its ``expected``:
    ``path:line[:col]: CODE`` (``path: CODE`` when the finding has no line)."""
    lines = (BROKEN / case / "expected").read_text().splitlines()
    return [(line.rsplit(" ", 1)[0], line.rsplit(" ", 1)[1]) for line in lines if line.strip()]


def _where_and_code(finding) -> tuple[str, str]:
    return finding.format(BROKEN).split(f" {finding.code} ", 1)[0], finding.code


def test_the_corpus_covers_every_rule():
    """Every rule `check` applies has a broken book; those of the print layout have tests
    of their own (tests/typeset/test_fit.py), and a retired rule has none."""
    assert len(CASES) >= 40
    expected = {code for case in CASES for _, code in _expected(case)}
    checked = {code for code, rule in RULES.items() if not rule.layout and not rule.retired}
    assert expected == checked, checked ^ expected


@pytest.mark.parametrize("case", CASES)
def test_each_broken_book_gets_its_findings_at_their_places_and_no_other(case):
    root = BROKEN / case
    findings = check_manuscript(root).findings
    got = sorted((f.format(root).split(f" {f.code} ", 1)[0], f.code) for f in findings)
    assert got == sorted(_expected(case)), "\n".join(f.format(root) for f in findings)


def _located_findings(output: str) -> set[str]:
    """The findings a command printed, ``path:line:col: CODE message`` each, from its
    output (a build prefixes warnings with ``warning:``)."""
    found = set()
    for line in output.splitlines():
        line = line.strip().removeprefix("warning: ")
        match = LOCATED.match(line)
        if match and re.match(r"[A-Z]\d{3} ", match["message"]):
            found.add(line)
    return found


@pytest.mark.parametrize("case", CASES)
def test_check_and_a_build_report_the_same_findings(case, tmp_path, monkeypatch):
    """`build.py check` and a build run one list of rules: on every broken book they
    print the same findings, each where the corpus expects it, and fail alike."""
    monkeypatch.chdir(BROKEN / case)
    runner = CliRunner()
    check = runner.invoke(main, ["check", "--book", "."])
    build = runner.invoke(main, ["html", "--book", ".", "--output", str(tmp_path / "out")])
    for result in (check, build):
        assert "Traceback" not in result.output, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            result.output
    checked = _located_findings(check.stdout)
    built = _located_findings(build.stdout + build.stderr)
    assert checked == built, f"check:\n{check.stdout}\nbuild:\n{build.stderr}"
    for where, code in _expected(case):
        assert any(f.startswith(f"{where} {code} ") for f in checked), (where, code, checked)
    errors = any(RULES[code].severity == "error" for _, code in _expected(case))
    assert check.exit_code == build.exit_code == (1 if errors else 0), build.stderr


def test_a_word_file_in_the_contents_is_a_clean_error_from_the_command_line(tmp_path):
    """The same through a separate process, as a user runs it: `file: message`, exit
    status 1, no traceback, from `check` and a build."""
    root = BROKEN / "p-not-text"
    for arguments in (["check"], ["all", "--output", str(tmp_path / "out")]):
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), *arguments,
                                 "--book", "."], cwd=root, capture_output=True, text=True,
                                timeout=300, check=False)
        assert result.returncode == 1, result.stderr
        assert "Traceback" not in result.stderr and "internal error" not in result.stderr
        assert "chapters/one.docx: P002 this is a ZIP archive" in result.stdout + result.stderr


@pytest.mark.parametrize("case", CASES)
def test_check_exit_status_follows_severity(case, monkeypatch):
    root = BROKEN / case
    monkeypatch.chdir(root)
    codes = [code for _, code in _expected(case)]
    result = CliRunner().invoke(main, ["check", "--book", "."])
    assert "Traceback" not in result.output
    for line in result.stdout.splitlines():
        assert LOCATED.match(line), line
    if any(RULES[code].severity == "error" for code in codes):
        assert result.exit_code == 1, result.output
    else:
        assert result.exit_code == 0, result.output
        strict = CliRunner().invoke(main, ["check", "--strict", "--book", "."])
        assert strict.exit_code == 1


def test_the_book_is_clean_and_the_sample_has_no_error():
    checked = check_manuscript(MANUSCRIPT)
    findings, book = checked.findings, checked.book
    assert book is not None
    assert not findings, "\n".join(f.format(MANUSCRIPT) for f in findings)
    # The sample keeps its chronology out of order on purpose (the book sorts it).
    checked = check_manuscript(SAMPLE)
    findings, book = checked.findings, checked.book
    assert book is not None
    assert [f.code for f in findings] == ["C002"]


def test_a_code_can_be_silenced_for_the_book_or_for_a_line(tmp_path):
    import shutil

    book = tmp_path / "book"
    shutil.copytree(BROKEN / "t-double-hyphen", book)
    chapter = book / "chapters" / "one.md"
    text = chapter.read_text()
    chapter.write_text(text.replace("A pause", "<!-- lint: ignore T003 -->\nA pause"))
    assert not check_manuscript(book).findings
    chapter.write_text(text)
    (book / "book.yaml").write_text((book / "book.yaml").read_text() + "lint:\n  ignore: [T003]\n")
    assert not check_manuscript(book).findings


def test_usage_errors_exit_with_2():
    assert CliRunner().invoke(main, ["check", "--no-such-option"]).exit_code == 2


def test_list_prints_the_catalogue():
    result = CliRunner().invoke(main, ["check", "--list"])
    assert result.exit_code == 0
    assert all(code in result.output for code in RULES)


def test_a_build_stops_on_the_same_findings(tmp_path):
    from folio.build import build
    from folio.errors import BuildError

    with pytest.raises(BuildError) as raised:
        build(BROKEN / "s-script", tmp_path / "out", ["html"])
    assert "S001" in raised.value.format()
    assert not (tmp_path / "out" / "html").exists()


def test_valid_varied_markdown_gets_no_finding_at_all(monkeypatch):
    """tests/data/everything holds every construct of pandoc's Markdown and the
    look-alikes that rules reading the source mistook for faults (markup, quotes,
    dashes and note labels in code, comments, notes indented by up to three spaces,
    definition lists, tables aligned by spaces, raw links): no error, no warning."""
    root = ROOT / "tests" / "data" / "everything"
    checked = check_manuscript(root)
    assert checked.book is not None
    assert checked.findings == [], "\n".join(f.format(root) for f in checked.findings)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check", "--strict", "--book", "."])
    assert (result.exit_code, result.stdout) == (0, ""), result.output


def test_the_look_alikes_are_real_faults_once_out_of_code(tmp_path):
    """The same look-alikes as prose, not code, are found: the valid book is clean
    because the rules see what pandoc parsed, not because they look away."""
    import shutil

    book = tmp_path / "book"
    shutil.copytree(ROOT / "tests" / "data" / "everything", book)
    chapter = book / "chapters" / "lookalikes.md"
    chapter.write_text(chapter.read_text() + "\nProse: <script>go()</script>, "
                       "<span onclick=\"go()\">here</span>, fall back on \\LaTeX if, "
                       "\\\"escaped\\\" and a [b][rb], [^nowhere] and [c](missing-c.html).\n"
                       "\n[rb]: missing-b.html\n")
    lines = chapter.read_text().splitlines()
    prose, definition = len(lines) - 2, len(lines)
    found = {(f.line, f.code) for f in check_manuscript(book).findings
             if f.path == chapter}
    assert found >= {(prose, "S001"), (prose, "S003"), (prose, "R001"), (prose, "T001"),
                     (prose, "N001"), (prose, "L002"), (definition, "L002")}, found


def test_a_build_with_nothing_to_do_shows_the_same_warnings(tmp_path, monkeypatch):
    """A second build of an unchanged book makes nothing, and still says what the
    first said about the manuscript."""
    monkeypatch.chdir(BROKEN / "t-double-hyphen")
    arguments = ["html", "--book", ".", "--output", str(tmp_path / "out")]
    first = CliRunner().invoke(main, arguments)
    again = CliRunner().invoke(main, arguments)
    assert first.exit_code == again.exit_code == 0, first.output + again.output
    assert "up to date" in again.stderr
    warned = _located_findings(first.stderr)
    assert warned and _located_findings(again.stderr) == warned
    assert warned == _located_findings(CliRunner().invoke(main, ["check", "--book", "."]).stdout)


def test_an_id_in_code_or_a_helper_is_no_duplicate(tmp_path):
    """D001 reads ids written in the Markdown: not in inline code, not in a code block
    (a four-backtick fence holding three-backtick lines included), and not mdBook's
    ``{{#include …}}``, whose ``{#include`` looks like an attribute."""
    chapter = ("# One {#one}\n\nText with `{#one}` in code and a [span]{#two}.\n\n"
               "````md\n```\n# Two {#two}\n```\n````\n\n"
               "    # Three {#one}\n\nMore text.\n")
    write_book(tmp_path, chapter=chapter)
    codes = [f.code for f in check_manuscript(tmp_path).findings]
    assert "D001" not in codes, codes
    (tmp_path / "chapters" / "one.md").write_text(chapter + "\n## Again {#two}\n\nText.\n")
    found = [(f.code, f.line) for f in check_manuscript(tmp_path).findings]
    assert ("D001", 15) in found, found
