"""Endnotes: numbered through the whole book, each linked to its reference and back."""

from __future__ import annotations

from lxml import html as lxml_html

from ..htmltree import fragment
from ..model import Book, Note


def number_notes(book: Book, pending: dict[str, list[str]]) -> None:
    number = 0
    for section in book.sections:
        if section.body is None:
            continue
        texts = pending.get(section.id, [])
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
            book.notes.append(note)
