"""The back-of-book index, from ``[words]{.index term="Heading!Sub-heading"}`` marks.

Entries are sorted in the order of the book's language and cut into its letter groups
(folio/collation.py: ICU's collation and AlphabeticIndex). A mark may give the entry
the author's own sort key, ``[Ångström]{.index sort="Angstrom"}``, which then decides
its place and its letter group instead of its heading; with ``!`` in ``term`` the key
belongs to the last level. The first mark that gives an entry a key sets it."""

from __future__ import annotations

from .. import collation
from ..htmltree import text_of
from ..model import Book, IndexEntry, IndexGroup, Place


def sort_key(heading: str, language: str = "en") -> tuple[bytes, str]:
    """The key that sorts *heading* in an index in *language* (collation.sort_key):
    case, accents and punctuation matter only in a tie, an English leading article not
    at all."""
    return collation.sort_key(heading, language)


def collect_index(book: Book) -> None:
    entries: dict[str, IndexEntry] = {}
    keys: list[str] = []
    # Marks are counted within what holds them (a section, a note): an edit in one
    # chapter leaves every other chapter's ids, and its laid-out pages, as they were.
    places = [(s.id, s.id, s.body, None) for s in book.sections if s.body is not None]
    places += [(note.id, note.section_id, note.body, note.number) for note in book.notes]
    for owner, section_id, body, note_number in places:
        counter = 0
        for mark in body.xpath(".//span[contains(concat(' ', @class, ' '), ' index ')]"):
            term = (mark.get("data-term") or text_of(mark)).strip()
            path = [part.strip() for part in term.split("!") if part.strip()]
            sort_as = " ".join((mark.get("data-sort") or "").split()) or None
            if not path:
                continue
            counter += 1
            anchor = f"ixref-{owner}-{counter}"
            mark.set("id", anchor)
            mark.set("class", "index-mark")
            mark.attrib.pop("data-term", None)
            mark.attrib.pop("data-sort", None)
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
            if sort_as and entry.sort_as is None:
                entry.sort_as = sort_as
            entry.places.append(Place(anchor, section_id, note_number))
    language = book.config.language
    book.index_groups = [
        IndexGroup(group.label, group.kind, group.slug, group.items)
        for group in collation.groups(entries.values(), _text, language)]
    book.index = [entry for group in book.index_groups for entry in group.entries]
    for entry in book.index:
        _sort_children(entry, language)


def _text(entry: IndexEntry) -> str:
    return entry.sort_text


def _sort_children(entry: IndexEntry, language: str) -> None:
    entry.subentries = collation.sort(entry.subentries, _text, language)
    for child in entry.subentries:
        _sort_children(child, language)
