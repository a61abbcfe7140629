"""Values every template may use: dates, labels for places in the book, in the book's
language (folio.i18n)."""

from __future__ import annotations

import datetime as dt
import os

from ..dates import PartialDate
from ..i18n import strings_of
from ..model import APPENDIX, CHAPTER, FRONT, Book, Place, Section


def build_time() -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def render_context(book: Book) -> dict:
    built = build_time()
    strings = strings_of(book.config)
    sections = {s.id: s for s in book.sections}
    headings = {h[1]: (s, h[2]) for s in book.sections for h in s.headings}

    def place_label(place: Place) -> str:
        if place.note is not None:
            return strings.text("note_n", n=place.note)
        section = sections[place.section_id]
        if section.kind in (CHAPTER, APPENDIX) and section.label:
            return section.label
        return section.title.split()[-1].lower() if section.kind == FRONT else section.title

    def section_name(section: Section) -> str:
        """"chapter 3", "appendix B", or the title of a section without a number, quoted."""
        if section.kind in (CHAPTER, APPENDIX) and section.label:
            return strings.text(f"{section.kind}_n", n=section.label)
        return strings.text("quoted", text=section.title)

    def anchor_label(anchor: str) -> str:
        section, text = headings.get(anchor, (sections.get(anchor), anchor))
        if section is not None and section.id == anchor and section.kind in (CHAPTER, APPENDIX):
            return section_name(section)
        if section is not None and section.kind in (CHAPTER, APPENDIX):
            return (section_name(section) + strings.text("list_separator")
                    + strings.text("quoted", text=text))
        return text

    edition = book.config.date
    return {
        "build_timestamp": built.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "build_date": strings.date(PartialDate(built.year, built.month, built.day)),
        "edition_date": strings.date(PartialDate.parse(edition)) if edition else "",
        "place_label": place_label,
        "anchor_label": anchor_label,
    }
