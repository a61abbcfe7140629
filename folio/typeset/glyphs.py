"""Every character the book prints must be in its typeface: a missing glyph would
print as an empty box (or in another face), so it is reported before layout."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from ..errors import BuildError, find_line, raise_all
from ..model import Book

_IGNORED = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff",
            *(chr(c) for c in range(0xFE00, 0xFE10))}  # variation selectors


@cache
def _covered(font: Path) -> frozenset[int]:
    return frozenset(TTFont(font, lazy=True).getBestCmap())


# The settings of book.yaml printed in the PDF (title page, imprint, cover).
PRINTED_SETTINGS = ("title", "subtitle", "author", "editor", "publisher", "description",
                    "version", "identifier")


def check_glyphs(book: Book, font: Path) -> None:
    """BuildErrors for every character of the printed text, the printed settings of
    book.yaml included, that *font* lacks, each at the first line that has it."""
    covered = _covered(font)
    errors: list[BuildError] = []
    reported: set[str] = set()
    config = book.config
    sources = [(s.source, s.body.text_content(), None) for s in book.sections
               if s.body is not None]
    sources += [(book.section(n.section_id).source, n.body.text_content(), None)
                for n in book.notes]
    sources += [(config.contents.glossary, e.definition.text_content(), None)
                for e in book.glossary]
    sources += [(config.contents.chronology, e.text.text_content(), None)
                for e in book.chronology]
    sources += [(config.path, str(getattr(config, key) or ""), config.line_of(key))
                for key in PRINTED_SETTINGS]
    sources += [(config.path, element.text_content(), config.line_of(key))
                for key, element in book.meta_html.items()]
    for path, text, known_line in sources:
        for char in sorted(set(text)):
            if char in _IGNORED or char in reported or ord(char) in covered:
                continue
            reported.add(char)
            line = known_line or (find_line(path, _escape(char)) if path else None)
            errors.append(BuildError(
                f"the character {char!r} (U+{ord(char):04X}) is not in the book's typeface "
                f"({font.name}); use another character or a font that has it", path, line))
    raise_all(errors)


def _escape(char: str) -> str:
    return re.escape(char)
