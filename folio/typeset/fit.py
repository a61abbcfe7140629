"""Tables that fit the measure. A table takes the width its content needs (automatic
layout), so one with many columns or long values can need more than the text block
holds. The print layout measures every table it lays out: one that runs past the
page's content area is marked ``data-fit="small"`` (the theme sets it in smaller
type) and laid out again, then ``data-fit="smaller"``; one that still runs past is
marked ``data-fit="squeezed"`` (its values break wherever a line must end) and
reported as a warning at its line.

A table is named by its ``data-pos`` key (``folio.transforms.positions``) or its id."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from weasyprint import Document
from weasyprint.formatting_structure import boxes

from ..model import Book

LEVELS = ("small", "smaller", "squeezed")
TOLERANCE = 0.5  # points a table may reach past the content area (rounding)


def overflowing_tables(document: Document) -> list[str]:
    """The keys of the tables that reach past the right edge of their page's content
    area, in order, once each."""
    found: list[str] = []
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width
        for table in _tables(box):
            key = _key(table.element)
            if key and key not in found \
                    and table.border_box_x() + table.border_width() > right + TOLERANCE:
                found.append(key)
    return found


def _tables(box) -> Iterator[boxes.TableBox]:
    for child in box.descendants():
        if isinstance(child, boxes.TableBox) and child.element is not None:
            yield child


def _key(element) -> str | None:
    return element.get("data-pos") or element.get("id")


def mark_tables(markup: str, levels: dict[str, int]) -> str:
    """*markup* with each table named in *levels* marked ``data-fit`` at its level
    (an index into LEVELS)."""
    for key, level in levels.items():
        value = re.escape(_attribute(key))
        pattern = re.compile(rf'<table\b(?=[^>]*\s(?:data-pos|id)="{value}")')
        markup = pattern.sub(f'<table data-fit="{LEVELS[level]}"', markup, count=1)
    return markup


def _attribute(value: str) -> str:
    """*value* as the templates write it in a double-quoted attribute."""
    return value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def table_location(book: Book, key: str) -> tuple[Path | None, int | None]:
    """(Markdown file, line) of the table named *key*: the first line of the file that
    holds the text of its first cell, or no line when that text is not found."""
    from ..errors import find_line
    from ..htmltree import text_of

    places = [(s.source, s.body) for s in book.sections if s.body is not None]
    sections = book.sections_by_id()
    places += [(sections[n.section_id].source, n.body) for n in book.notes]
    for source, body in places:
        for table in body.iter("table"):
            if _key(table) != key:
                continue
            cells = [text_of(cell) for cell in table.iter("th", "td")]
            first = next((text for text in cells if text), "")
            line = find_line(source, re.escape(first)) if first and source else None
            return source, line
    return None, None
