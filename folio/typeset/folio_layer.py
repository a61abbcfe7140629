"""The folios (printed page numbers) of the main matter as a layer of their own.

A section of the main matter is laid out without the margin boxes that print the
page counter (``counter(page)``, ``counter(pages)``: the folios in the default theme,
wherever a theme puts them), so that its layout and its PDF do not depend on the
page it starts on: sections are laid out side by side, and a section whose pages
only moved is not laid out again. What the folios need is kept with the part: each
page's page type (side, blank, named page, index and page groups, which the
``@page`` selectors match) and the named strings set on each page
(``string-set``, for a margin box beside the folio). Once every section's first
page is known, the layer is made from those alone, by WeasyPrint's own margin-box
layout with the book's stylesheet: one page for each page of the part, holding only
the folio boxes, which ``join`` lays over the part's pages as pagination artifacts
(PDF 1.7 § 14.8.2.2).

A margin box that prints both the page counter and a running element (``element()``)
gets the element's text empty in the layer: running elements are boxes, not kept.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from html import escape
from pathlib import Path

import weasyprint.layout
from weasyprint import CSS, HTML, Document
from weasyprint.document import DocumentMetadata, Page
from weasyprint.formatting_structure import boxes
from weasyprint.layout.background import layout_backgrounds
from weasyprint.layout.page import (
    PageType,
    page_height,
    page_width,
    set_page_type_computed_styles,
)
from weasyprint.layout.percent import resolve_percentages
from weasyprint.text.fonts import FontConfiguration

_PAGE_COUNTERS = {"page", "pages"}
_make_margin_boxes = weasyprint.layout.make_margin_boxes


class Recording:
    """What a part's layout keeps for its folio layer: each page's type, as plain
    lists, and the named strings set on each page ({name: {page from 1: [text]}})."""

    def __init__(self) -> None:
        self.page_types: list[list] = []
        self.strings: dict[str, dict[str, list[str]]] = {}
        self.folios = 0  # folio boxes left out of the part

    def meta(self) -> dict:
        return {"page_types": self.page_types, "strings": self.strings}


_recording: contextvars.ContextVar[Recording | None] = contextvars.ContextVar(
    "folio_recording", default=None)


def prints_page_counter(box: boxes.MarginBox) -> bool:
    """Whether a margin box's ``content`` holds ``counter()``/``counters()`` of the page
    counter (``page`` or ``pages``)."""
    content = box.style["content"]
    if not box.is_generated or not isinstance(content, tuple):
        return False
    return any(kind in ("counter()", "counters()") and value and value[0] in _PAGE_COUNTERS
               for kind, value in content)


def _margin_boxes(context, page, state) -> Iterator[boxes.MarginBox]:
    """WeasyPrint's margin boxes of *page*, less the folio boxes while a part is laid
    out for a folio layer (``recording``)."""
    recording = _recording.get()
    if recording is None:
        yield from _make_margin_boxes(context, page, state)
        return
    side, blank, name, index, groups = page.page_type
    recording.page_types.append([side, blank, name, index, [list(g) for g in groups]])
    if len(recording.page_types) == 1:
        recording.strings = {
            name: {str(number): list(texts) for number, texts in pages.items() if texts}
            for name, pages in context.string_set.items()}
    for box in _make_margin_boxes(context, page, state):
        if prints_page_counter(box):
            recording.folios += 1
            continue
        yield box


weasyprint.layout.make_margin_boxes = _margin_boxes


@contextmanager
def recording(active: bool = True) -> Iterator[Recording]:
    """Lay out (``HTML.render``) inside this to leave the folio boxes out and keep
    what the layer needs in the Recording (*active* False: a layout as any other)."""
    kept = Recording()
    if not active:
        yield kept
        return
    token = _recording.set(kept)
    try:
        yield kept
    finally:
        _recording.reset(token)


class LayerMaker:
    """Writes folio layers with the book's *stylesheet* (a CSS of WeasyPrint's,
    parsed once) for a book in *lang* written *direction*; WeasyPrint's layout
    context is made once, for every layer of a build."""

    def __init__(self, stylesheet: CSS, fonts: FontConfiguration, lang: str = "",
                 direction: str = "ltr"):
        self.stylesheet, self.fonts = stylesheet, fonts
        self.root = (f'<!DOCTYPE html><html lang="{escape(lang)}" dir="{escape(direction)}">'
                     "<body></body></html>")
        self._made: tuple | None = None

    def _context(self) -> tuple:
        if self._made is None:
            html = HTML(string=self.root)
            captured: list = []

            def capture(context, page, state):
                captured.append(context)
                return iter(())

            weasyprint.layout.make_margin_boxes = capture
            try:
                base = html.render(stylesheets=[self.stylesheet], font_config=self.fonts)
            finally:
                weasyprint.layout.make_margin_boxes = _margin_boxes
            self._made = (html, captured[0], base.pages[0]._page_box.children[0],
                          base.url_fetcher)
        return self._made

    def write(self, target: Path, meta: dict, first: int, total: int) -> bool:
        """Write to *target* a PDF of one page for each page of a part (*meta*: a
        Recording's ``meta()``), each holding only the part's folio boxes, its page
        counter starting at *first* and ``pages`` at *total*. Returns False, writing
        nothing, when no page has a folio box."""
        html, context, root_box, url_fetcher = self._context()
        context.string_set.clear()
        for name, pages in meta["strings"].items():
            for number, texts in pages.items():
                context.string_set[name][int(number)] = list(texts)
        made: list[Page] = []
        any_folio = False
        for number, (side, blank, name, index, groups) in enumerate(meta["page_types"],
                                                                    start=1):
            page_type = PageType(side, blank, name, index, tuple(tuple(g) for g in groups))
            page = self._page(html, context, page_type)
            context.current_page = number
            state = ([0], {"page": [first + number - 1], "pages": [total]}, [set()], [])
            folios = [box for box in _make_margin_boxes(context, page, state)
                      if prints_page_counter(box)]
            any_folio = any_folio or bool(folios)
            page.children = (_empty_root(root_box), *folios)
            layout_backgrounds(page, context.get_image_from_uri)
            made.append(Page(page))
        if not any_folio:
            return False
        document = Document(made, DocumentMetadata(), url_fetcher, self.fonts, {}, None)
        document.write_pdf(target)
        return True

    @staticmethod
    def _page(html, context, page_type: PageType) -> boxes.PageBox:
        set_page_type_computed_styles(page_type, html, context.style_for)
        page = boxes.PageBox(page_type, context.style_for(page_type))
        size = page.style["size"]
        resolve_percentages(page, size)
        page.position_x = page.position_y = 0
        page_width(page, context, size[0])
        page_height(page, context, size[1])
        return page


def _empty_root(root_box) -> boxes.BlockBox:
    """An empty anonymous root box: no background of the book's root painted twice."""
    empty = boxes.BlockBox.anonymous_from(root_box, [])
    empty.position_x = empty.position_y = 0
    empty.width = empty.height = 0
    for side in ("top", "right", "bottom", "left"):
        setattr(empty, f"margin_{side}", 0)
        setattr(empty, f"padding_{side}", 0)
        setattr(empty, f"border_{side}_width", 0)
    return empty

