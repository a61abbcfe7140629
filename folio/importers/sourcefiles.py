"""Reading a source book that comes from a stranger: only its own files, no links.

A source folder (an mdBook, a Quarto or bookdown book) names its files by paths
relative to a file or to the folder. :class:`SourceTree` resolves such a name
without following anything: a name that is absolute, that leaves the folder with
``..``, or that passes through a symbolic link (even one pointing inside) is
refused with a reason, and the file is then read by Folio's one rule
(:mod:`folio.files`: a regular file, opened without blocking, size and text
limits). Nothing outside the folder is ever opened.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ..errors import BuildError
from ..files import MAX_TEXT_BYTES, read_bytes, read_text
from .model import ReportLine

MAX_IMAGE_BYTES = 50 * 1024 * 1024  # the most Folio reads of one image
NO_AUTHOR = ("no author is named: book.yaml says 'Unknown Author' until you write the "
             "name")


class Refused(Exception):
    """A name the source may not use; the message says why, for the report."""


@dataclass
class SourceTree:
    """The source folder *root*, and the report lines of what was left out."""

    root: Path
    report: list[ReportLine] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.root = self.root.resolve()

    def note(self, path: Path, line: int, message: str) -> None:
        """Add ``path:line: message`` to the report (line 0: the whole file)."""
        entry = ReportLine(path, line, message)
        if entry not in self.report:
            self.report.append(entry)

    def relative(self, path: Path) -> str:
        """*path* (inside the root) as a POSIX path relative to the root."""
        return path.relative_to(self.root).as_posix()

    def locate(self, name: str, base: Path | None = None) -> Path:
        """The file *name* (a POSIX path, relative to the folder *base*, by default the
        root) as a path inside the root. Raises Refused when the name is absolute,
        leaves the root, or passes through a symbolic link; does not check that the
        file exists."""
        if not name or "\x00" in name:
            raise Refused("an empty file name")
        pure = PurePosixPath(name)
        if pure.is_absolute() or (pure.parts and pure.parts[0].endswith(":")):
            raise Refused(f"'{name}' is an absolute path: only the book's own files are read")
        start = self.relative(base) if base is not None and base != self.root else ""
        joined = posixpath.normpath(posixpath.join(start, name))
        if joined == ".." or joined.startswith("../") or joined == ".":
            raise Refused(f"'{name}' is outside the book's folder: only its own files are "
                          "read")
        current = self.root
        for part in PurePosixPath(joined).parts:
            current = current / part
            if current.is_symlink():
                raise Refused(f"'{name}' passes through a symbolic link "
                              f"({self.relative(current)}), which is not followed: copy "
                              "the file into the book")
        return current

    def exists(self, name: str, base: Path | None = None) -> Path | None:
        """The path of *name* when it is a regular file the source may use, else None."""
        try:
            path = self.locate(name, base)
        except Refused:
            return None
        return path if path.is_file() else None

    def text(self, path: Path) -> str:
        """The UTF-8 text of *path* (already located). Raises Refused with the reason
        (not a file, too large, not UTF-8, control characters)."""
        try:
            return read_text(path, [self.root], MAX_TEXT_BYTES, "source file")
        except BuildError as error:
            raise Refused(_reason(error)) from None

    def data(self, path: Path) -> bytes:
        """The bytes of *path* (already located), at most 50 MB; Refused otherwise."""
        try:
            return read_bytes(path, [self.root], MAX_IMAGE_BYTES, "file")
        except BuildError as error:
            raise Refused(_reason(error)) from None

    def read_named(self, name: str, base: Path | None = None) -> tuple[Path, str]:
        """Locate and read the text file *name*; Refused when it cannot be used."""
        path = self.locate(name, base)
        if not path.exists():
            raise Refused(f"'{name}' does not exist")
        return path, self.text(path)


def _reason(error: BuildError) -> str:
    where = f" (line {error.line})" if error.line else ""
    return f"{error.message}{where}"
