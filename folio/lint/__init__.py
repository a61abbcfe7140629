"""The manuscript's lint rules, run on its source files and on the Book model.

Findings are ``file:line:col: CODE message``; the codes are in the catalogue
(``build.py check --list``). Reading the book is the read stage's work
(``folio.read``); ``folio.check`` runs both, for ``build.py check`` and at the
start of every build."""

from __future__ import annotations

from pathlib import Path

from ..errors import BuildError, BuildErrors
from ..model import Book
from ..read.config import CONFIG_NAME, BookConfig
from .catalogue import RULES
from .findings import Finding
from .glyph_rules import missing_glyphs
from .language_rules import language_findings
from .model_rules import check_model
from .parsed_rules import check_parsed
from .source_rules import check_file, duplicate_ids, ignored_codes, lines_of

__all__ = ["Finding", "RULES", "lint_sources", "lint_model", "findings_of", "reported"]


def lint_sources(config: BookConfig) -> list[Finding]:
    """The rules that read the Markdown files as written (index marks, mdBook's
    directives, explicit ids), and whether each file can be read at all."""
    markdown = config.contents.markdown
    findings: list[Finding] = []
    readable = []
    for path in markdown:
        try:
            findings += check_file(path, config.root)
        except BuildError as error:  # reported by the read stage too, as the same finding
            findings += findings_of(error, config.root, config)
            continue
        readable.append(path)
    return findings + duplicate_ids(readable) + language_findings(config)


def lint_model(book: Book) -> list[Finding]:
    """The rules that look at the book as read: pandoc's reading of each file (its
    warnings, raw passages, links and text), notes, glossary uses, chapters,
    cross-references and formulas, the characters the fonts must have."""
    return check_model(book) + check_parsed(book) + missing_glyphs(book) + [
        Finding(f.path, f.line, None, f.code, f.message) for f in book.reading_findings]


def findings_of(error: BuildError, root: Path, config: BookConfig | None = None) -> list[Finding]:
    """The errors of reading the book (or its book.yaml, when *config* is None) as
    findings, each with the code of its kind."""
    errors = error.errors if isinstance(error, BuildErrors) else [error]
    return [Finding(e.path, e.line, e.column, _code_of(e, root, config), e.message)
            for e in errors]


def reported(findings: list[Finding], config: BookConfig | None) -> list[Finding]:
    """*findings* sorted, once each, without those the book silences (``lint: ignore``
    in book.yaml, ``<!-- lint: ignore CODE -->`` on the line before)."""
    if config is not None:
        findings = _without_ignored(findings, config)
    return sorted(set(findings), key=Finding.sort_key)


def _code_of(error: BuildError, root: Path, config: BookConfig | None) -> str:
    path, message = error.path, error.message
    if getattr(error, "code", None) in RULES:  # an error that knows its rule (citations)
        return error.code
    if path is not None and path.name == CONFIG_NAME and path.parent.resolve() == root.resolve():
        return "M002" if "file not found" in message else "M001"
    if config is not None and path is not None:
        if path == config.contents.glossary:
            return "G001"
        if path == config.contents.chronology:
            return "C001"
    if message.startswith("this is ") and ", not text:" in message:
        return "P002"  # a file named as text that is not (files.read_text)
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
                try:
                    inline[finding.path] = ignored_codes(lines_of(finding.path))
                except BuildError:
                    inline[finding.path] = {}
            if finding.code in inline[finding.path].get(finding.line, set()):
                continue
        kept.append(finding)
    return kept
