"""Values every template may use: dates, labels for places in the book."""

from __future__ import annotations

import datetime as dt
import os

from ..dates import PartialDate
from ..model import APPENDIX, CHAPTER, FRONT, Book, Place, Section


def build_time() -> dt.datetime:
    """The build's timestamp: SOURCE_DATE_EPOCH when set, so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def render_context(book: Book) -> dict:
    built = build_time()
    sections = {s.id: s for s in book.sections}
    headings = {h[1]: (s, h[2]) for s in book.sections for h in s.headings}

    def place_label(place: Place) -> str:
        if place.note is not None:
            return f"n. {place.note}"
        section = sections[place.section_id]
        if section.kind in (CHAPTER, APPENDIX) and section.label:
            return section.label
        return section.title.split()[-1].lower() if section.kind == FRONT else section.title

    def section_name(section: Section) -> str:
        """"chapter 3", "appendix B", or the title of a section without a number."""
        if section.kind in (CHAPTER, APPENDIX) and section.label:
            return f"{section.kind} {section.label}"
        return f"“{section.title}”"

    def anchor_label(anchor: str) -> str:
        section, text = headings.get(anchor, (sections.get(anchor), anchor))
        if section is not None and section.id == anchor and section.kind in (CHAPTER, APPENDIX):
            return section_name(section)
        if section is not None and section.kind in (CHAPTER, APPENDIX):
            return f"{section_name(section)}, “{text}”"
        return text

    edition = book.config.date
    return {
        "build_timestamp": built.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "build_date": PartialDate(built.year, built.month, built.day).display(),
        "edition_date": PartialDate.parse(edition).display() if edition else "",
        "place_label": place_label,
        "anchor_label": anchor_label,
    }
