"""What an importer reads from a source: the book's settings, its chapters as
Markdown, the files they use, and what could not be carried over."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

FRONT, CHAPTER, APPENDIX = "front", "chapter", "appendix"


@dataclass(frozen=True)
class ReportLine:
    """One thing the import could not carry over, and what to do about it, at the
    line of the source where it is (line 0: the whole file)."""

    path: Path
    line: int
    message: str

    def format(self, relative_to: Path | None = None) -> str:
        where = self.path
        if relative_to is not None:
            with contextlib.suppress(ValueError):
                where = self.path.resolve().relative_to(relative_to.resolve())
        return f"{where}:{self.line}: {self.message}" if self.line else f"{where}: {self.message}"


@dataclass
class ImportedChapter:
    """One chapter of the new book: *name* is its file's stem (letters, digits and
    hyphens), *markdown* its text beginning with its level-1 heading, *kind* one of
    FRONT, CHAPTER, APPENDIX; *part* the title of a part that opens before it.
    *report* lists what still needs a hand in this chapter, as (line of *markdown*,
    what to do): the writer reports them at the chapter's file in the new book."""

    name: str
    markdown: str
    kind: str = CHAPTER
    part: str | None = None
    report: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class ImportedBook:
    """A book ready to be written as a Folio book folder.

    *files* maps paths inside the new book (``images/fig1.png``) to their bytes;
    *bibliography* lists the paths (keys of *files*) of bibliography files and *csl*
    the path of a style file or the name of a shipped style; *cover* the path (a key of
    *files*) of a PNG or JPEG front cover."""

    title: str
    author: str = "Unknown Author"
    language: str = "en"
    subtitle: str | None = None
    date: str | None = None  # YYYY-MM-DD
    description: str | None = None
    chapters: list[ImportedChapter] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)
    bibliography: list[str] = field(default_factory=list)
    csl: str | None = None
    cover: str | None = None
    report: list[ReportLine] = field(default_factory=list)
    lint_ignore: list[str] = field(default_factory=list)  # codes book.yaml silences
