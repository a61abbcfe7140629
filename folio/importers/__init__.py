"""``build.py import SOURCE``: make a Folio book from a manuscript made elsewhere.

Each importer reads one kind of source (a Word or OpenDocument file, one long
Markdown file, an mdBook, a Quarto or bookdown book) into an ``ImportedBook``;
``folio.importers.writer`` writes that as a Folio book folder (book.yaml,
chapters, images, bibliography) that ``build.py check`` passes. What could not be
carried over is listed in the book's report, one ``file:line: what to do`` a line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import BuildError
from .model import ImportedBook, ImportedChapter, ReportLine
from .writer import write_book

__all__ = ["ImportedBook", "ImportedChapter", "ReportLine", "import_book", "importers"]


def importers() -> list:
    """Every importer, in the order they are tried: each a module with
    ``NAME`` (str), ``detects(source: Path) -> bool`` and
    ``read(source: Path, progress) -> ImportedBook``. An importer that can split a
    file into chapters at a chosen heading level says ``SPLITS = True`` and takes
    ``read(source, progress, split_level=N)``."""
    from . import bookdown, markdown, mdbook, office, quarto

    return [office, mdbook, quarto, bookdown, markdown]


def import_book(source: Path, destination: Path,
                progress: Callable[[str], None] = lambda message: None,
                split_level: int | None = None) -> ImportedBook:
    """Read *source* with the importer that knows it and write a Folio book into
    *destination* (a new or empty folder; nothing is written on failure).
    *split_level* (1–6) is the heading level that starts a chapter, for the
    importers that split (None: each importer's default).

    Raises BuildError when no importer knows the source, when it cannot be read,
    or when *split_level* is given for a source that is not split."""
    if not source.exists():
        raise BuildError("no such file or folder", source)
    if destination.exists() and (not destination.is_dir() or any(destination.iterdir())):
        raise BuildError("the book is written into a new or empty folder; this one holds "
                         "files (choose another with --to)", destination)
    for importer in importers():
        if importer.detects(source):
            progress(f"reading {source.name} as {importer.NAME}")
            if split_level is None:
                book = importer.read(source, progress)
            elif getattr(importer, "SPLITS", False):
                book = importer.read(source, progress, split_level=split_level)
            else:
                raise BuildError(f"--split-level does not apply to an {importer.NAME} "
                                 "book, whose chapters are its files", source)
            write_book(book, destination)
            return book
    raise BuildError("Folio cannot import this: it imports a .docx or .odt file, a "
                     "Markdown file (.md), an mdBook (a folder with book.toml), a Quarto "
                     "book (_quarto.yml) or a bookdown book (_bookdown.yml)", source)
