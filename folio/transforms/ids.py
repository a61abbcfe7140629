"""Every anchor gets one id, unique in the whole book."""

from __future__ import annotations

import re

from ..model import Book

# Ids the book's own pages use; an author's heading may not take them.
RESERVED = {"halftitle", "titlepage", "imprint", "contents", "notes", "glossary",
            "chronology", "bibliography", "index", "cover", "main", "list-of-figures",
            "list-of-tables"}
# Ids the transforms generate: notes, note references, glossary entries and links,
# index marks, the per-chapter groups of the Notes section and the bibliography's entries.
# Glossary links and index marks are counted within what holds them (``glossref-first-2``),
# so that an edit in one chapter leaves the ids, and the pages, of every other alone.
GENERATED = re.compile(r"^((note|noteref)-\d+|(glossref|ixref)-.+|gloss-.*|notes-.*|ref-.*)$")


def _taken(anchor: str, seen: set[str]) -> bool:
    return anchor in seen or bool(GENERATED.match(anchor))


def make_ids_unique(book: Book) -> None:
    seen: set[str] = set(RESERVED)
    for section in book.sections:
        renamed: dict[str, str] = {}
        manuscript = section.source is not None and section.source.suffix == ".md"
        written = book.anchors_by_source.setdefault(section.source, {}) if manuscript else {}
        for element in section.body.xpath(".//*[@id]"):
            old = element.get("id")
            new = old
            if _taken(new, seen):
                # A heading id taken elsewhere is prefixed with its chapter's id.
                prefix = "section" if element is section.body[0] else section.body[0].get("id")
                new = f"{prefix}-{old}"
                counter = 2
                while _taken(new, seen):
                    new = f"{prefix}-{old}-{counter}"
                    counter += 1
                renamed[old] = new
                element.set("id", new)
            seen.add(new)
            written.setdefault(old, new)
        for link in section.body.xpath(".//a[starts-with(@href, '#')]"):
            target = link.get("href")[1:]
            if target in renamed:
                link.set("href", "#" + renamed[target])
        section.id = section.body[0].get("id")
        section.headings = [
            (int(h.tag[1]), h.get("id"), h.text_content().strip())
            for h in section.body.xpath("h1|h2|h3|h4|h5|h6") if h.get("id")
        ]
