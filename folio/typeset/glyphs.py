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


def check_glyphs(book: Book, font: Path) -> None:
    covered = _covered(font)
    errors: list[BuildError] = []
    reported: set[str] = set()
    sources = [(s.source, s.body) for s in book.sections if s.body is not None]
    sources += [(book.section(n.section_id).source, n.body) for n in book.notes]
    sources += [(book.config.contents.glossary, e.definition) for e in book.glossary]
    sources += [(book.config.contents.chronology, e.text) for e in book.chronology]
    for path, root in sources:
        for char in set(root.text_content()):
            if char in _IGNORED or char in reported or ord(char) in covered:
                continue
            reported.add(char)
            line = find_line(path, _escape(char)) if path else None
            errors.append(BuildError(
                f"the character {char!r} (U+{ord(char):04X}) is not in the book's typeface "
                f"({font.name}); use another character or a font that has it", path, line))
    raise_all(errors)


def _escape(char: str) -> str:
    return re.escape(char)
