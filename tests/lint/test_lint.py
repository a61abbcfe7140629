"""`build.py check`: a corpus of broken books, each with the finding it must produce."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import LOCATED, MANUSCRIPT, SAMPLE

from folio.check import check_manuscript
from folio.cli import main
from folio.lint.catalogue import RULES

BROKEN = Path(__file__).parents[1] / "data" / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def test_the_corpus_covers_every_rule():
    """Every rule `check` applies; those of the print layout have tests of their own
    (tests/typeset/test_fit.py)."""
    assert len(CASES) >= 30
    expected = {(BROKEN / c / "expected").read_text().split()[-1] for c in CASES}
    checked = {code for code, rule in RULES.items() if not rule.layout}
    assert expected == checked - {"P002"}, checked - {"P002"} - expected


@pytest.mark.parametrize("case", CASES)
def test_each_broken_book_gets_its_finding_at_its_place(case):
    root = BROKEN / case
    where, code = (root / "expected").read_text().split()
    checked = check_manuscript(root)
    findings = checked.findings
    located = [f.format(root) for f in findings]
    # The expected place may leave out the column: then any column on that line will do.
    prefix = where.removesuffix(":")
    assert any(f.code == code and (f.format(root).startswith(f"{prefix}: ")
                                   or f.format(root).startswith(f"{prefix}:"))
               for f in findings), \
        f"expected {where} {code}, got:\n" + "\n".join(located)


@pytest.mark.parametrize("case", CASES)
def test_check_exit_status_follows_severity(case, monkeypatch):
    root = BROKEN / case
    monkeypatch.chdir(root)
    code = (root / "expected").read_text().split()[-1]
    result = CliRunner().invoke(main, ["check", "--book", "."])
    assert "Traceback" not in result.output
    for line in result.stdout.splitlines():
        assert LOCATED.match(line), line
    if RULES[code].severity == "error":
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
