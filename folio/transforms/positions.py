"""Positions: every block of text gets a key (``data-pos``) that the print layout
reports and the EPUB finds again, so the EPUB can mark where each printed page
begins, and the print layout can name a table it had to set smaller. Blocks that
already have an id use it; the others get ``b1``, ``b2`` …"""

from __future__ import annotations

from ..model import Book

BLOCKS = ("p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre",
          "blockquote", "figcaption", "tr", "table")
_XPATH = " | ".join(f".//{tag}" for tag in BLOCKS)


def mark_positions(book: Book) -> None:
    roots = [s.body for s in book.sections if s.body is not None]
    roots += [note.body for note in book.notes]
    roots += [entry.definition for entry in book.glossary]
    roots += [event.text for event in book.chronology]
    counter = 0
    for root in roots:
        for element in root.xpath(_XPATH):
            if element.get("id"):
                continue
            counter += 1
            element.set("data-pos", f"b{counter}")
