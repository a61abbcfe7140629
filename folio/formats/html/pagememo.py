"""Pages kept from one rendering of the web book to the next (``serve``): a page is
made again only when what it is made from changed.

A section's page is made from its section (body, title, number, headings …) and
from what every page shares: the book's model apart from the sections' bodies
(settings, notes, glossary, index, chronology, bibliography, images), every
section's title, number and headings (the contents, the previous and next links),
the theme's files and the page values of the renderer. The first is the page's
key, the second the book's key (:func:`digest` of each); a page is taken from the
memo when both are as they were. Its links are pointed again when any id moved to
another page (``folio.links``)."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from lxml import html as lxml_html

from ...model import Book, Section

# Fields of the Book that no page shows: what the lint reads.
_NOT_SHOWN = {"sections", "sanitized", "inventories", "reading_findings"}


@dataclasses.dataclass
class Page:
    key: str
    titled: str  # the page as rendered, glossary titles added, links not yet pointed
    ids: list[str]  # the ids in it, in order
    final: str  # the page as written


@dataclasses.dataclass
class PageMemo:
    """The pages of the last rendering, by name, and the keys they were made with."""

    book_key: str = ""
    anchors: dict[str, str] = dataclasses.field(default_factory=dict)
    pages: dict[str, Page] = dataclasses.field(default_factory=dict)
    made: list[str] = dataclasses.field(default_factory=list)  # rendered the last time
    single: tuple[str, str] | None = None  # the single-page edition: (key, markup)

    def kept(self, name: str, key: str, book_key: str) -> Page | None:
        """The page *name* as it was, when made with *key* and *book_key*."""
        page = self.pages.get(name)
        return page if page is not None and page.key == key and book_key == self.book_key \
            else None


def book_key(book: Book, *values: object) -> str:
    """The key of what every page shares (see the module's note); *values* are the
    renderer's own page values."""
    digest = hashlib.sha256()
    for field in dataclasses.fields(book):
        if field.name not in _NOT_SHOWN:
            _feed(digest, getattr(book, field.name))
    for section in book.sections:
        _feed(digest, [(f.name, getattr(section, f.name)) for f in dataclasses.fields(section)
                       if f.name != "body"])
    _feed(digest, [_theme_files(book.config.root), *values])
    return digest.hexdigest()


def page_key(section: Section) -> str:
    """The key of one section's own page."""
    digest = hashlib.sha256()
    _feed(digest, section)
    return digest.hexdigest()


def _theme_files(root: Path) -> list[tuple[str, int, int]]:
    """Each file of the themes (the book's own ``templates/`` and the default): name,
    size, time of change. A theme that changes makes every page again."""
    from ...theme.templates import DEFAULT_TEMPLATES

    found = []
    for folder in (root / "templates", DEFAULT_TEMPLATES):
        for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
            if path.is_file():
                status = path.stat()
                found.append((str(path), status.st_size, status.st_mtime_ns))
    return found


def _feed(digest, value) -> None:
    """Feed *value* to *digest*: by its ``repr`` when that names no object by its
    address (an lxml element's does), else lxml trees as their markup, dataclasses,
    mappings and sequences part by part."""
    if isinstance(value, lxml_html.HtmlElement):
        digest.update(lxml_html.tostring(value))
        return
    text = repr(value)
    if " at 0x" not in text:
        digest.update(text.encode() + b";")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(type(value).__name__.encode() + b"(")
        for field in dataclasses.fields(value):
            digest.update(field.name.encode() + b"=")
            _feed(digest, getattr(value, field.name))
        digest.update(b")")
    elif isinstance(value, dict):
        digest.update(b"{")
        for key, item in value.items():
            _feed(digest, key)
            _feed(digest, item)
        digest.update(b"}")
    elif isinstance(value, (list, tuple)):
        digest.update(b"[")
        for item in value:
            _feed(digest, item)
        digest.update(b"]")
    elif isinstance(value, (set, frozenset)):
        digest.update(b"{" + repr(sorted(map(repr, value))).encode() + b"}")
    else:
        digest.update(repr(value).encode() + b";")
