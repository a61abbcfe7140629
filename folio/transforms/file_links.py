"""Links from one manuscript file to another (``[see](02-life.md#exile)``) point at the
chapter that file became: ``#exile`` (its id in the book) or, with no fragment, the
file's first section. Every format then finds the anchor's page as for any ``#id``
link (folio.links). A link to a file that is no manuscript file is left alone here:
the lint reports it (L002), as it does a fragment the file lacks (L001)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from ..model import Book

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def manuscript_file(target: str, source: Path, root: Path,
                    anchors_by_source: dict[Path, dict[str, str]]) -> Path | None:
    """The manuscript file an ``href`` written in *source* names (relative to the
    file's folder, else to the book's *root*), or None for an address, an anchor or
    a file that is not one of the book's Markdown files."""
    if not target or target.startswith("#") or _SCHEME.match(target):
        return None
    path = unquote(target.split("#")[0].split("?")[0])
    if not path:
        return None
    for folder in (source.parent, root):
        candidate = (folder / path).resolve()
        if candidate in anchors_by_source:
            return candidate
    return None


def point_file_links(book: Book) -> None:
    """Rewrite every link to a manuscript file, in the sections and their notes, as a
    link to the anchor in the book (see the module's docstring)."""
    first_section: dict[Path, str] = {}
    for section in book.sections:
        if section.source is not None and section.source in book.anchors_by_source:
            first_section.setdefault(section.source, section.id)
    root = book.config.root
    notes = book.notes_by_section()
    for section in book.sections:
        if section.body is None or section.source is None:
            continue
        roots = [section.body, *(note.body for note in notes.get(section.id, []))]
        for text in roots:
            for link in text.xpath(".//a[@href]"):
                target = link.get("href")
                file = manuscript_file(target, section.source, root, book.anchors_by_source)
                if file is None:
                    continue
                fragment = unquote(target.partition("#")[2])
                if not fragment:
                    link.set("href", f"#{first_section[file]}")
                elif fragment in book.anchors_by_source[file]:
                    link.set("href", f"#{book.anchors_by_source[file][fragment]}")
