"""Generated back matter: endnotes, glossary, chronology and index, where the book has them."""

from __future__ import annotations

from ..model import BACK, Book, Section

TITLES = {"notes": "Notes", "glossary": "Glossary", "chronology": "Chronology",
          "index": "Index"}


def add_back_matter(book: Book) -> None:
    present = {"notes": book.notes, "glossary": book.glossary,
               "chronology": book.chronology, "index": book.index}
    for role, items in present.items():
        if items:
            book.sections.append(Section(id=role, kind=BACK, title=TITLES[role], role=role))
