"""Chronology events link to the chapters that discuss them: those ids must exist."""

from __future__ import annotations

from ..errors import BuildError, raise_all
from ..model import Book


def check_chronology_links(book: Book) -> None:
    anchors = {heading_id for s in book.sections for _, heading_id, _ in s.headings}
    anchors |= {s.id for s in book.sections}
    errors = []
    for event in book.chronology:
        for target in event.chapters:
            if target not in anchors:
                errors.append(BuildError(
                    f"chronology event links to '{target}', which is no chapter or section id "
                    f"(known: {', '.join(s.id for s in book.chapters)})",
                    book.config.contents.chronology, event.line))
    raise_all(errors)
