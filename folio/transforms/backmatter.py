"""Generated back matter: endnotes, glossary, chronology, bibliography and index, where
the book has them, in the Chicago Manual's order (bibliography before the index)."""

from __future__ import annotations

from ..i18n import strings_of
from ..model import BACK, Book, Section


def add_back_matter(book: Book) -> None:
    bibliography = book.bibliography
    present = {"notes": book.notes, "glossary": book.glossary,
               "chronology": book.chronology,
               "bibliography": bibliography.entries if bibliography else [],
               "index": book.index}
    strings = strings_of(book.config)  # the titles in the book's language
    for role, items in present.items():
        if items:
            title = bibliography.title if role == "bibliography" else strings.text(role)
            book.sections.append(Section(id=role, kind=BACK, title=title, role=role))
