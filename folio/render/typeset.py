"""Typesetting with WeasyPrint: the book's interior and its cover, laid out once per
build and shared by every output that needs the layout (the PDFs, the EPUB's
print page numbers and cover image).

The interior is laid out a section at a time, each from a right-hand page: first
the main matter in order (chapters, then notes, glossary, chronology, index), then
the front matter. A section is laid out when every page before it is known, so
the page numbers it prints of earlier sections (a note's "p. 12", the index's
merged "4–5", the contents) are set as plain text, with no second layout and no
target-counter across the book. The sections' pages are joined into one document.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import cached_property

from weasyprint import CSS, HTML, Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from ..errors import BuildError
from ..model import FRONT, Book, IndexEntry
from ..sandbox import ProjectFetcher
from . import pdfwriter  # noqa: F401 - fixes the PDF writer on import
from .context import render_context
from .glyphs import check_glyphs
from .paper import length, page_size, pt
from .theme import Theme

SPINE_TEXT_MINIMUM = 0.25 * 72  # points; narrower spines carry no lettering


def stylesheet(theme: Theme, book: Book) -> str:
    font_url = theme.asset("fonts/LinLibertine_R.otf").parent.as_uri() + "/"
    parts = [
        theme.env.get_template("css/fonts.css").render(font_url=font_url),
        theme.env.get_template("css/book.css").render(),
        theme.env.get_template("css/pdf.css").render(
            trim=book.config.trim, book_title=book.config.title.replace('"', "'")),
    ]
    return "\n".join(parts)


class Folios:
    """The printed page number of each page: roman before the first chapter, then arabic."""

    def __init__(self, document: Document, book: Book):
        first = book.chapters[0].id
        self.start = next((i for i, page in enumerate(document.pages) if first in page.anchors),
                          0)
        self.page_of: dict[str, int] = {}
        for number, page in enumerate(document.pages):
            for anchor in page.anchors:
                # An element split across pages is found where it begins.
                self.page_of.setdefault(anchor, number)

    def label(self, page: int) -> str:
        """The folio printed on page *page* (counted from 0): ``xii``, ``1``, ``2`` …"""
        return str(page - self.start + 1) if page >= self.start else _roman(page + 1)

    def number(self, anchor: str) -> int | None:
        """The arabic folio of the page holding *anchor*, None in the front matter."""
        page = self.page_of.get(anchor)
        return None if page is None or page < self.start else page - self.start + 1


def _first_folio(number: int) -> str:
    return f"@page :nth(1 of main) {{ counter-set: page {number}; }}"


class PageNumbers:
    """The page numbers known so far, for the sections laid out after: the arabic
    numbers of the main matter's anchors and the roman ones of the front matter's
    (from its draft). An unknown anchor gets *placeholder*, or None."""

    def __init__(self, front_pages: list = (), placeholder: str | None = None) -> None:
        self.number_of: dict[str, int] = {}
        self.placeholder = placeholder
        self.front_label_of = _roman_labels(front_pages)
        self.front_asked: set[str] = set()

    def add(self, pages: list, first: int) -> None:
        for offset, page in enumerate(pages):
            for anchor in page.anchors:
                self.number_of.setdefault(anchor, first + offset)

    def number(self, anchor: str) -> int | None:
        return self.number_of.get(anchor)

    def label(self, anchor: str) -> str | None:
        number = self.number_of.get(anchor)
        if number is not None:
            return str(number)
        if anchor in self.front_label_of:
            self.front_asked.add(anchor)
            return self.front_label_of[anchor]
        return self.placeholder

    def front_labels_hold(self, front_pages: list) -> bool:
        """Whether the final front matter has the anchors the main matter named where
        its draft had them."""
        final = _roman_labels(front_pages)
        return all(final.get(a) == self.front_label_of[a] for a in self.front_asked)

    def ranges(self, entry: IndexEntry) -> list[tuple[str, str]]:
        """An index entry's pages, merged: ``[("ixref-3", "4–5"), ("ixref-9", "12")]``."""
        first_anchor: dict[int, str] = {}
        for place in entry.places:
            page = self.number(place.anchor)
            if page is not None:
                first_anchor.setdefault(page, place.anchor)
        pages = sorted(first_anchor)
        merged: list[list[int]] = []
        for page in pages:
            if merged and page == merged[-1][-1] + 1:
                merged[-1].append(page)
            else:
                merged.append([page])
        return [(first_anchor[run[0]], f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
                for run in merged]

    def with_page_backlink(self, body):
        """A note's body with its back-link naming the page of the note's reference."""
        link = next(iter(body.iterfind(".//a[@class='backlink']")), None)
        label = self.label(link.get("href", "").lstrip("#")) if link is not None else None
        if label is None:
            return body
        body = copy.deepcopy(body)
        link = next(body.iterfind(".//a[@class='backlink']"))
        link.text = f"(p.\u00a0{label})"
        return body

    def context(self) -> dict:
        return {"page_label": self.label, "index_ranges": self.ranges,
                "page_backlinked": self.with_page_backlink}


def _roman_labels(pages: list) -> dict[str, str]:
    labels: dict[str, str] = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            labels.setdefault(anchor, _roman(number))
    return labels


class Typesetter:
    """Lays out the book (once) and its covers with the theme's templates and CSS."""

    def __init__(self, book: Book):
        self.book = book
        self.theme = Theme(book.config.root)
        check_glyphs(book, self.theme.asset("fonts/LinLibertine_R.otf"))
        self.context = render_context(book)
        self.fetcher = ProjectFetcher([book.config.root, *self.theme.folders])
        self.fonts = FontConfiguration()
        self.css = CSS(string=stylesheet(self.theme, book), url_fetcher=self.fetcher,
                       font_config=self.fonts)

    def layout(self, template: str, extra_css: str = "", sheets=None, **extra) -> Document:
        markup = self.theme.render(template, self.book, "pdf", **self.context, **extra)
        sheets = list(sheets or [self.css])
        if extra_css:
            sheets.append(CSS(string=extra_css, font_config=self.fonts))
        document = HTML(string=markup, base_url=str(self.book.config.root) + "/",
                        url_fetcher=self.fetcher).render(stylesheets=sheets,
                                                         font_config=self.fonts)
        self.fetcher.raise_refusals([s.source for s in self.book.sections if s.source])
        return document

    @cached_property
    def interior(self) -> tuple[Document, Folios]:
        """The book's pages (no cover) and their folios."""
        # A first draft of the front matter (its contents page shows the main
        # matter's numbers as placeholders) tells where its anchors fall, for a note
        # or glossary entry that names a page of the introduction.
        front = self.layout("pdf/front.html", **PageNumbers(placeholder="00").context())
        for _attempt in range(3):
            numbers = PageNumbers(front_pages=front.pages)
            main = self._main_matter(numbers)
            final = self.layout("pdf/front.html", **numbers.context())
            if numbers.front_labels_hold(final.pages):
                break
            front = final
        else:  # pragma: no cover - needs a front matter that never settles
            raise BuildError("the front matter's page numbers do not settle")
        pages = [*final.pages, *([self.blank_page] if len(final.pages) % 2 else []), *main]
        document = final.copy(pages)
        return document, Folios(document, self.book)

    def _main_matter(self, numbers: PageNumbers) -> list:
        """The main matter's pages, a section at a time, each from a right-hand page."""
        main: list = []
        for section in self.book.sections:
            if section.kind == FRONT:
                continue
            if len(main) % 2:
                main.append(self.blank_page)
            first = len(main) + 1
            part = self.layout("pdf/part.html", extra_css=_first_folio(first),
                               section=section, **numbers.context())
            numbers.add(part.pages, first)
            main += part.pages
        return main

    @cached_property
    def blank_page(self):
        """An empty page of the book's size: the left-hand page before a section that
        would otherwise open on one."""
        sheet = CSS(string=f"@page {{ size: {self.book.config.trim}; margin: 0; }}",
                    font_config=self.fonts)
        return HTML(string="<!DOCTYPE html><html><body></body></html>").render(
            stylesheets=[sheet], font_config=self.fonts).pages[0]

    def cover(self, wrap: bool) -> Document:
        """The front cover at trim size, or (*wrap*) back, spine and front with bleed."""
        pages = len(self.interior[0].pages) if wrap else 0
        sheet, spine_text = self._cover_stylesheet(wrap, pages)
        css = CSS(string=sheet, url_fetcher=self.fetcher, font_config=self.fonts)
        return self.layout("cover/cover.html", wrap=wrap, spine_text=spine_text, sheets=[css])

    def _cover_stylesheet(self, wrap: bool, pages: int) -> tuple[str, bool]:
        """The cover's CSS at its real size, and whether the spine is wide enough for text.

        The spine is as thick as the interior's leaves (two pages a leaf) times the
        paper's caliper."""
        config, theme = self.book.config, self.theme
        width, height = page_size(config.trim)
        bleed = length(config.bleed) if wrap else 0.0
        spine = (pages + 1) // 2 * length(config.caliper) if wrap else 0.0
        total = 2 * width + spine if wrap else width
        font_url = theme.asset("fonts/LinLibertine_R.otf").parent.as_uri() + "/"
        sheet = theme.env.get_template("css/fonts.css").render(font_url=font_url)
        sheet += theme.env.get_template("css/cover.css").render(
            width=pt(total), height=pt(height), front_width=pt(width), spine=pt(spine),
            bleed=pt(bleed))
        return sheet, spine >= SPINE_TEXT_MINIMUM


@dataclass(frozen=True)
class PageStart:
    """Where a printed page begins: its folio, the block it begins in (a ``data-pos``
    key or an id) and the first words printed on it."""

    folio: str
    key: str
    words: str


# Block elements whose id can stand for a position when they carry no data-pos.
_KEYED_TAGS = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "nav"}


def page_starts(document: Document, folios: Folios) -> list[PageStart]:
    """The first text line of every page that has one, with the block it belongs to."""
    starts = []
    for number, page in enumerate(document.pages):
        found = _first_line(page._page_box, None)
        if found is not None:
            key, words = found
            starts.append(PageStart(folios.label(number), key, words))
    return starts


def _first_line(box, key: str | None) -> tuple[str, str] | None:
    if isinstance(box, boxes.MarginBox):
        return None
    element = getattr(box, "element", None)
    if element is not None and box.element_tag in _KEYED_TAGS | {"td", "th", "pre"}:
        own = element.get("data-pos") or (element.get("id")
                                          if box.element_tag in _KEYED_TAGS else None)
        key = own or key
    if isinstance(box, boxes.LineBox):
        text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
        return (key, " ".join(text.split())) if key and text.strip() else None
    for child in getattr(box, "children", []):
        found = _first_line(child, key)
        if found is not None:
            return found
    return None


def _roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    result = ""
    for value, letters in numerals:
        while number >= value:
            result += letters
            number -= value
    return result
