"""Write an ``ImportedBook`` as a Folio book folder, all at once or not at all."""

from __future__ import annotations

import re
import shutil
import tempfile
import unicodedata
from pathlib import Path, PurePosixPath

import yaml

from ..errors import BuildError
from .model import APPENDIX, CHAPTER, FRONT, ImportedBook, ReportLine

FOLDERS = {FRONT: "front", CHAPTER: "chapters", APPENDIX: "appendices"}
REPORT_NAME = "import-report.txt"


def slug(text: str, fallback: str = "chapter") -> str:
    """*text* as a file stem: ASCII letters, digits and hyphens, at most 40 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:40].strip("-")
    return stem or fallback


def write_book(book: ImportedBook, destination: Path) -> list[Path]:
    """Write *book* into *destination* (new or empty): book.yaml, ``front/``,
    ``chapters/``, ``appendices/`` (one Markdown file a chapter, numbered in order),
    the files it uses, and ``import-report.txt`` when something needs a hand.
    Each chapter's own report lines are added to ``book.report``, located at the
    chapter's file in *destination*; the report file names the book's files
    relative to it. The folder is made beside *destination* and moved into place
    at the end, so a failure leaves nothing behind. Returns the files written."""
    destination = destination.resolve()
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}-", dir=destination.parent))
    try:
        written = _write(book, staging, destination)
        if destination.exists():
            destination.rmdir()  # empty, checked by the caller
        staging.rename(destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [destination / path.relative_to(staging) for path in written]


def _write(book: ImportedBook, root: Path, destination: Path) -> list[Path]:
    written = []
    for name, data in book.files.items():
        target = _inside(root, name)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    contents: dict[str, list] = {}
    used: set[str] = set()
    for number, chapter in enumerate(book.chapters, start=1):
        folder = FOLDERS[chapter.kind]
        stem = f"{number:02d}-{slug(chapter.name)}"
        while f"{folder}/{stem}" in used:
            stem += "-x"
        used.add(f"{folder}/{stem}")
        relative = f"{folder}/{stem}.md"
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        text = chapter.markdown if chapter.markdown.endswith("\n") else chapter.markdown + "\n"
        target.write_text(text, encoding="utf-8")
        written.append(target)
        entries = contents.setdefault(FOLDERS[chapter.kind], [])
        if chapter.part and chapter.kind == CHAPTER:
            entries.append({"part": chapter.part})
        entries.append(relative)
        book.report += [ReportLine(destination / relative, line, message)
                        for line, message in sorted(chapter.report)]
    (root / "book.yaml").write_text(book_yaml(book, contents), encoding="utf-8")
    written.append(root / "book.yaml")
    if book.report:
        lines = [line.format(relative_to=destination) for line in book.report]
        (root / REPORT_NAME).write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(root / REPORT_NAME)
    return written


def book_yaml(book: ImportedBook, contents: dict[str, list]) -> str:
    """book.yaml for *book*, whose chapter files are *contents* (front, chapters,
    appendices, in Folio's order)."""
    settings: dict = {"title": book.title, "author": book.author or "Unknown Author",
                      "language": book.language or "en"}
    for key in ("subtitle", "date", "description", "cover"):
        if getattr(book, key):
            settings[key] = getattr(book, key)
    settings["contents"] = {key: contents[key] for key in ("front", "chapters", "appendices")
                            if key in contents}
    if book.bibliography:
        settings["bibliography"] = (book.bibliography[0] if len(book.bibliography) == 1
                                    else list(book.bibliography))
    if book.csl:
        settings["csl"] = book.csl
    if book.lint_ignore:
        settings["lint"] = {"ignore": list(book.lint_ignore)}
    header = "# Imported by `build.py import`; every setting is described in README.md.\n"
    return header + yaml.safe_dump(settings, sort_keys=False, allow_unicode=True, width=88)


def _inside(root: Path, name: str) -> Path:
    relative = PurePosixPath(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BuildError(f"an imported file would be written outside the book: {name}")
    return root.joinpath(*relative.parts)
