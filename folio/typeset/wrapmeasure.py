"""Measurements of a laid-out wrap cover (WeasyPrint's box tree), for the rules that
decide what it may carry: how long the spine's line of lettering runs and how far the
back cover's text runs past the space it has. Lengths are in CSS pixels (WeasyPrint's
unit, 96 to the inch) unless said otherwise."""

from __future__ import annotations

from collections.abc import Iterator

from weasyprint import Document
from weasyprint.formatting_structure import boxes

PX_PER_INCH = 96.0


def _boxes(box) -> Iterator:
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def _with_class(document: Document, name: str):
    """The first box of the cover's page whose element has the class *name*, or None."""
    for box in _boxes(document.pages[0]._page_box):
        element = getattr(box, "element", None)
        if element is not None and name in (element.get("class") or "").split() \
                and not isinstance(box, boxes.LineBox | boxes.InlineBox | boxes.TextBox):
            return box
    return None


def line_length(document: Document, name: str) -> float:
    """The length in inches of the lettering in the block of class *name* (one line,
    measured before its rotation): from its first glyph to its last. 0 when absent."""
    block = _with_class(document, name)
    if block is None:
        return 0.0
    texts = [box for box in _boxes(block) if isinstance(box, boxes.TextBox)]
    if not texts:
        return 0.0
    start = min(box.position_x for box in texts)
    end = max(box.position_x + box.width for box in texts)
    return (end - start) / PX_PER_INCH


def overrun(document: Document, name: str) -> float:
    """How far in inches the content of the block of class *name* runs past the
    bottom of its box (its height is fixed by the stylesheet); 0 when it fits."""
    block = _with_class(document, name)
    if block is None or not block.children:
        return 0.0
    bottom = block.content_box_y() + block.height
    content = max(child.position_y + child.margin_height() - child.margin_bottom
                  for child in block.children)
    return max(0.0, (content - bottom) / PX_PER_INCH)
