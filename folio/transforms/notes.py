"""Endnotes: numbered through the whole book, each linked to its reference and back."""

from __future__ import annotations

from lxml import html as lxml_html

from ..htmltree import fragment
from ..i18n import Strings, strings_of
from ..model import Book, Note


def number_notes(book: Book, pending: list[list[str]]) -> None:
    """Number the notes through the book; *pending* holds each section's notes (HTML),
    in the order of ``book.sections`` (keyed by position: two chapters may share a
    heading, and so an id, until ids are made unique)."""
    number = 0
    strings = strings_of(book.config)
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
            _add_backlink(note, strings)
            book.notes.append(note)


def _add_backlink(note: Note, strings: Strings | None = None) -> None:
    """End the note with a link back to its reference, inside its last paragraph; its
    label ("Back to the text of note 3") in the language of *strings* (English when
    None)."""
    strings = strings or Strings("en")
    backlink = lxml_html.Element("a", {
        "href": f"#{note.ref_id}", "class": "backlink", "role": "doc-backlink",
        "data-epub-type": "backlink", "aria-label": strings.text("back_to_note", n=note.number),
    })
    backlink.text = "↑"
    holder = _last_words(note.body)
    if len(holder):
        holder[-1].tail = (holder[-1].tail or "") + " "
    else:
        holder.text = (holder.text or "") + " "
    holder.append(backlink)


# Blocks a note's last words may sit in, and blocks that hold other blocks.
_TEXT_BLOCKS = {"p", "li", "dd", "dt", "td", "th", "figcaption", "h1", "h2", "h3", "h4",
                "h5", "h6", "div"}
_CONTAINERS = {"blockquote", "ul", "ol", "dl", "li", "dd", "div", "table", "thead",
               "tbody", "tfoot", "tr", "td", "th", "figure", "section"}


def _last_words(body):
    """The element holding a note's last words, however deep its last block nests
    (a quotation, a list, a table): the back-link follows them, not a line of its own.
    A note ending in code or a line block gets the link after that block."""
    holder = body
    while len(holder):
        last = holder[-1]
        if not isinstance(last.tag, str) or (last.tail or "").strip():
            break
        if last.tag in _CONTAINERS and len(last) and last[-1].tag in (
                _TEXT_BLOCKS | _CONTAINERS) and not (last.text or "").strip():
            holder = last
            continue
        if last.tag in _TEXT_BLOCKS:
            holder = last
        break
    return holder
