"""Rules that need the parsed book: empty chapters, headings, images' descriptions,
what the cleaning removed, glossary use, chronology order."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import find_line
from ..model import CHAPTER, Book
from .findings import Finding


def check_model(book: Book) -> list[Finding]:
    findings: list[Finding] = skipped_heading_levels(book)
    notes = book.notes_by_section()
    for section in book.sections:
        if section.body is None:
            continue
        source = section.source
        if section.kind == CHAPTER and not any(
                isinstance(child.tag, str) and child.text_content().strip()
                for child in section.body[1:]):
            findings.append(Finding(source, section.line, 1, "H002",
                                    f"chapter '{section.title}' has no text"))
        roots = [section.body, *(n.body for n in notes.get(section.id, []))]
        for root in roots:
            for image in root.xpath(".//img"):
                if not (image.get("alt") or "").strip():
                    written = book.image_files.get(image.get("src", ""), image.get("src", ""))
                    line = find_line(source, re.escape(Path(written).name), start=section.line)
                    findings.append(Finding(source, line, None, "X002",
                                            f"image '{image.get('src')}' needs a description: "
                                            "![what it shows](file)"))
    for removal in book.sanitized:
        findings.append(Finding(removal.path, removal.line, None, "S005", removal.message))
    glossary = book.config.contents.glossary
    for entry in book.glossary:
        if not entry.uses:
            findings.append(Finding(glossary, entry.line, None, "G003",
                                    f"'{entry.term}' is never used in the chapters (add an "
                                    "alias, mark a use with {.gloss}, or drop the entry)"))
    events = book.chronology
    for before, after in zip(events, events[1:], strict=False):
        if after.line < before.line:
            findings.append(Finding(book.config.contents.chronology, before.line, None, "C002",
                                    f"event of {before.date.iso()} comes after one of "
                                    f"{after.date.iso()} in the file; the book sorts them"))
            break
    return findings


def skipped_heading_levels(book: Book) -> list[Finding]:
    """H001: a heading more than one level below the one before it, however it was
    written (``#`` or an underlined heading), read from the parsed book."""
    findings = []
    for section in book.sections:
        if section.body is None or section.source is None:
            continue
        previous = 0
        for heading in section.body.iter("h1", "h2", "h3", "h4", "h5", "h6"):
            level = int(heading.tag[1])
            if previous and level > previous + 1:
                text = " ".join(heading.text_content().split())
                line = (find_line(section.source, rf"^#+\s.*{re.escape(text)}",
                                  start=section.line)
                        or find_line(section.source, re.escape(text), start=section.line))
                findings.append(Finding(section.source, line, 1 if line else None, "H001",
                                        f"heading level {level} follows level {previous}; "
                                        f"use level {previous + 1}"))
            previous = level
    return findings
