"""The back-of-book index, from ``[words]{.index term="Heading!Sub-heading"}`` marks."""

from __future__ import annotations

import re
import unicodedata

from ..htmltree import text_of
from ..model import Book, IndexEntry, Place

_ARTICLES = re.compile(r"^(the|a|an)\s+", re.IGNORECASE)


def sort_key(heading: str) -> tuple[str, str]:
    """Sort ignoring leading articles, case, accents and punctuation."""
    text = _ARTICLES.sub("", heading.strip())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    folded = re.sub(r"[^\w\s]", "", text.casefold())
    return (re.sub(r"\s+", " ", folded).strip(), heading)


def collect_index(book: Book) -> None:
    entries: dict[str, IndexEntry] = {}
    keys: list[str] = []
    counter = 0
    places = [(s.id, s.body, None) for s in book.sections if s.body is not None]
    places += [(note.section_id, note.body, note.number) for note in book.notes]
    for section_id, body, note_number in places:
        for mark in body.xpath(".//span[contains(concat(' ', @class, ' '), ' index ')]"):
            term = (mark.get("data-term") or text_of(mark)).strip()
            path = [part.strip() for part in term.split("!") if part.strip()]
            if not path:
                continue
            counter += 1
            anchor = f"ixref-{counter}"
            mark.set("id", anchor)
            mark.set("class", "index-mark")
            mark.attrib.pop("data-term", None)
            if path[0] not in entries:
                entries[path[0]] = IndexEntry(path[0], key=f"ixe-{len(keys) + 1}")
                keys.append(path[0])
            entry = entries[path[0]]
            for sub in path[1:]:
                child = next((e for e in entry.subentries if e.heading == sub), None)
                if child is None:
                    keys.append(sub)
                    child = IndexEntry(sub, key=f"ixe-{len(keys)}")
                    entry.subentries.append(child)
                entry = child
            entry.places.append(Place(anchor, section_id, note_number))
    book.index = sorted(entries.values(), key=lambda e: sort_key(e.heading))
    for entry in book.index:
        _sort_children(entry)


def _sort_children(entry: IndexEntry) -> None:
    entry.subentries.sort(key=lambda e: sort_key(e.heading))
    for child in entry.subentries:
        _sort_children(child)
