"""The manuscript stage of every build and of ``build.py check``: book.yaml is
loaded once, the book is read once (``folio.read``), and the lint rules run on
its files and on the Book model (``folio.lint``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError, raise_all
from .files import read_once
from .lint import RULES, Finding, findings_of, lint_model, lint_sources, reported
from .model import Book
from .read import BookConfig, load_config, read_book
from .read.parsecache import ParseCache


@dataclass
class Checked:
    """What the check found: the configuration and the Book model when they could be
    read, and every finding, sorted, without those the book silences."""

    config: BookConfig | None
    book: Book | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]


def check_manuscript(root: Path, warn: Callable[[str], None] = lambda message: None,
                     cache: ParseCache | None = None) -> Checked:
    """Check the book in *root*: its book.yaml, then (when that loads) its files and
    its model."""
    try:
        config = load_config(root)
    except BuildError as error:
        return Checked(None, None, reported(findings_of(error, root), None))
    return check_book(config, warn, cache)


def check_book(config: BookConfig, warn: Callable[[str], None] = lambda message: None,
               cache: ParseCache | None = None) -> Checked:
    """Read and check the book whose configuration is *config*; each text file is read
    once (``files.read_once``)."""
    with read_once():
        findings = lint_sources(config)
        book = None
        try:
            book = read_book(config, warn=warn, cache=cache)
        except BuildError as error:
            findings += findings_of(error, config.root, config)
        else:
            findings += lint_model(book)
        return Checked(config, book, reported(findings, config))


def raise_findings(findings: list[Finding]) -> None:
    """Every error among *findings* raised at once (BuildErrors), each as
    ``file:line: CODE message``."""
    raise_all([BuildError(f"{f.code} {f.message}", f.path, f.line, f.column)
               for f in findings if f.is_error])


def checked_book(config: BookConfig, progress: Callable[[str], None],
                 cache: ParseCache | None = None) -> Checked:
    """The book, read once, after the same checks as ``build.py check``: an error stops
    the build (every error is listed), a warning is shown and the build goes on.
    Returns what was checked; its ``book`` is never None."""
    checked = check_book(config, progress, cache)
    show_warnings(checked.warnings, progress)
    raise_findings(checked.findings)
    if checked.book is None:
        raise BuildError("the manuscript could not be read")
    return checked


def show_warnings(warnings: list[Finding], progress: Callable[[str], None]) -> None:
    """Each of *warnings* as a build shows it: ``warning: file:line:col: CODE …``."""
    for warning in warnings:
        progress(f"warning: {warning.format(Path.cwd())}")


def stored_warnings(warnings: list[Finding], root: Path) -> list[list]:
    """*warnings* as JSON values (paths relative to the book's folder *root*), kept
    with the outputs so that a build with nothing to do shows them again."""
    def relative(path: Path | None) -> str | None:
        if path is None:
            return None
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            return str(path)

    return [[relative(w.path), w.line, w.column, w.code, w.message] for w in warnings]


def restored_warnings(stored: object, root: Path) -> list[Finding]:
    """The warnings :func:`stored_warnings` made, read back (none when *stored* is not
    what it made)."""
    restored = []
    for entry in stored if isinstance(stored, list) else []:
        if not (isinstance(entry, list) and len(entry) == 5 and entry[3] in RULES):
            continue
        path, line, column, code, message = entry
        restored.append(Finding(None if path is None else root / path, line, column, code,
                                str(message)))
    return restored


def loaded_config(root: Path) -> BookConfig:
    """book.yaml in *root*, loaded once for the whole build; its errors raised as
    findings (``book.yaml:3: M001 unknown setting …``)."""
    try:
        return load_config(root)
    except BuildError as error:
        raise_findings(findings_of(error, root))
        raise
