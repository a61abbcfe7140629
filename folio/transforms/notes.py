"""Endnotes: numbered through the whole book, each linked to its reference and back."""

from __future__ import annotations

from lxml import html as lxml_html

from ..htmltree import fragment
from ..model import Book, Note


def number_notes(book: Book, pending: list[list[str]]) -> None:
    """Number the notes through the book; *pending* holds each section's notes (HTML),
    in the order of ``book.sections`` (keyed by position: two chapters may share a
    heading, and so an id, until ids are made unique)."""
    number = 0
    for section, texts in zip(book.sections, pending, strict=False):
        if section.body is None:
            continue
        for marker in section.body.xpath(".//span[@class='folio-noteref']"):
            number += 1
            text = texts[int(marker.get("data-note")) - 1]
            note = Note(number=number, id=f"note-{number}", ref_id=f"noteref-{number}",
                        section_id=section.id, body=fragment(text))
            link = lxml_html.Element("a", {
                "href": f"#{note.id}", "id": note.ref_id, "class": "noteref",
                "role": "doc-noteref", "data-epub-type": "noteref",
            })
            link.text = str(number)
            link.tail = marker.tail
            marker.getparent().replace(marker, link)
            _add_backlink(note)
            book.notes.append(note)


def _add_backlink(note: Note) -> None:
    """End the note with a link back to its reference, inside its last paragraph."""
    backlink = lxml_html.Element("a", {
        "href": f"#{note.ref_id}", "class": "backlink", "role": "doc-backlink",
        "data-epub-type": "backlink", "aria-label": f"Back to the text of note {note.number}",
    })
    backlink.text = "↑"
    last = note.body[-1] if len(note.body) else None
    holder = last if last is not None and last.tag == "p" else note.body
    if len(holder):
        holder[-1].tail = (holder[-1].tail or "") + " "
    else:
        holder.text = (holder.text or "") + " "
    holder.append(backlink)
