"""``build.py check``: the manuscript linter, also run at the start of every build.

Fast (pandoc parses, nothing is laid out). Findings are ``file:line:col: CODE
message``; the codes are in the catalogue (``build.py check --list``)."""

from __future__ import annotations

from pathlib import Path

from ..config import CONFIG_NAME, BookConfig, load_config
from ..errors import BuildError, BuildErrors
from ..model import Book
from ..parsecache import ParseCache
from ..reader import read_book
from .catalogue import RULES
from .findings import Finding
from .model_rules import check_model
from .source_rules import check_file, duplicate_ids, ignored_codes, lines_of

__all__ = ["Finding", "RULES", "lint"]


def lint(root: Path, warn=lambda message: None,
         cache: ParseCache | None = None) -> tuple[list[Finding], Book | None]:
    """Check the book in *root*; returns the findings (sorted) and the Book model when
    the manuscript could be read (a build goes on with it when there is no error)."""
    try:
        config = load_config(root)
    except BuildError as error:
        return _from_errors(error, root, None), None
    markdown = [*config.contents.front, *config.contents.chapters]
    findings: list[Finding] = []
    for path in markdown:
        findings += check_file(path, root)
    findings += duplicate_ids(markdown)
    book = None
    try:
        book = read_book(root, warn=warn, cache=cache)
    except BuildError as error:
        findings += _from_errors(error, root, config)
    else:
        findings += check_model(book)
    findings = _without_ignored(findings, config)
    return sorted(set(findings), key=Finding.sort_key), book


def _from_errors(error: BuildError, root: Path, config: BookConfig | None) -> list[Finding]:
    errors = error.errors if isinstance(error, BuildErrors) else [error]
    return [Finding(e.path, e.line, None, _code_of(e, root, config), e.message) for e in errors]


def _code_of(error: BuildError, root: Path, config: BookConfig | None) -> str:
    path, message = error.path, error.message
    if path is not None and path.name == CONFIG_NAME and path.parent.resolve() == root.resolve():
        return "M002" if "file not found" in message else "M001"
    if config is not None and path is not None:
        if path == config.contents.glossary:
            return "G001"
        if path == config.contents.chronology:
            return "C001"
    if "glossary term" in message:
        return "G002"
    if "image" in message:
        return "X001"
    if "level-1 heading" in message:
        return "P001"
    return "P002"


def _without_ignored(findings: list[Finding], config: BookConfig) -> list[Finding]:
    everywhere = set(config.lint_ignore)
    inline: dict[Path, dict[int, set[str]]] = {}
    kept = []
    for finding in findings:
        if finding.code in everywhere:
            continue
        if finding.path is not None and finding.line and finding.path.suffix == ".md":
            if finding.path not in inline:
                inline[finding.path] = ignored_codes(lines_of(finding.path))
            if finding.code in inline[finding.path].get(finding.line, set()):
                continue
        kept.append(finding)
    return kept
