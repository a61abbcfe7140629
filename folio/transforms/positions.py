"""Positions: every block of text gets a key (``data-pos``) that the print layout
reports and the EPUB finds again, so the EPUB can mark where each printed page
begins, and the print layout can name a table it had to set smaller. Blocks that
already have an id use it; the others are counted within what holds them (a
section, a note, a glossary entry, a chronology event): ``second-b1``, ``note-4-b2``.
A key changes only when its own section changes, so an edit in one chapter leaves
every other chapter's markup, and its laid-out pages, as they were."""

from __future__ import annotations

from ..model import Book

BLOCKS = ("p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "pre",
          "blockquote", "figcaption", "tr", "table")
_XPATH = " | ".join(f".//{tag}" for tag in BLOCKS)


def mark_positions(book: Book) -> None:
    roots = [(s.id, s.body) for s in book.sections if s.body is not None]
    roots += [(note.id, note.body) for note in book.notes]
    roots += [(entry.id, entry.definition) for entry in book.glossary]
    roots += [(f"event-{number}", event.text)
              for number, event in enumerate(book.chronology, start=1)]
    for owner, root in roots:
        counter = 0
        for element in root.xpath(_XPATH):
            if element.get("id"):
                continue
            counter += 1
            element.set("data-pos", f"{owner}-b{counter}")
