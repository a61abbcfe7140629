"""Errors a user can act on: each names the file (and line) at fault."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


class BuildError(Exception):
    """A problem in the user's input, reported as ``file:line: message``."""

    def __init__(self, message: str, path: Path | str | None = None, line: int | None = None,
                 column: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column

    def __reduce__(self):  # errors cross process boundaries (the web book's fork)
        return (type(self), (self.message, self.path, self.line, self.column))

    def location(self, relative_to: Path | None = None) -> str:
        if self.path is None:
            return ""
        path = shown_path(self.path, relative_to)
        if not self.line:
            return str(path)
        return f"{path}:{self.line}:{self.column}" if self.column else f"{path}:{self.line}"

    def format(self, relative_to: Path | None = None) -> str:
        where = self.location(relative_to)
        return f"{where}: {self.message}" if where else self.message

    def __str__(self) -> str:
        return self.format()


class BuildErrors(BuildError):
    """Several input problems found in one pass, reported together."""

    def __init__(self, errors: list[BuildError]):
        super().__init__(f"{len(errors)} error(s)")
        self.errors = errors

    def __reduce__(self):
        return (type(self), (self.errors,))

    def format(self, relative_to: Path | None = None) -> str:
        return "\n".join(error.format(relative_to) for error in self.errors)


def shown_path(path: Path, relative_to: Path | None) -> Path:
    """*path* as a message shows it: relative to *relative_to* when inside it, and as
    named, not where its links lead (a link out of the book is shown as the link)."""
    if relative_to is None:
        return path
    named = Path(os.path.abspath(path))
    for base in (Path(os.path.abspath(relative_to)), relative_to.resolve()):
        with contextlib.suppress(ValueError):
            return named.relative_to(base)
    with contextlib.suppress(ValueError, OSError):
        return path.resolve().relative_to(relative_to.resolve())
    return path


def raise_all(errors: list[BuildError]) -> None:
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise BuildErrors(errors)


def find_line(path: Path, pattern: str, occurrence: int = 1, start: int = 1) -> int | None:
    """The line number of the *occurrence*-th line of *path* matching *pattern*, from
    line *start* on (a file may hold several chapters: search from a chapter's own)."""
    import re

    from .files import read_text

    regex = re.compile(pattern)
    try:
        lines = read_text(path, [path.parent]).splitlines()
    except BuildError:
        return None
    seen = 0
    for number, line in enumerate(lines, start=1):
        if number >= start and regex.search(line):
            seen += 1
            if seen == occurrence:
                return number
    return None
