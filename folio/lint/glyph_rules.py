"""F001: a character that no font of the theme or of the fallback chain has."""

from __future__ import annotations

from pathlib import Path

from ..model import Book
from ..theme.fonts import INSTALL_HINT, LIST_MARKERS, SYSTEM_FONTS, book_texts, plan_for_book
from ..theme.templates import Theme
from .findings import Finding


def missing_glyphs(book: Book) -> list[Finding]:
    """One finding a character no font has, at the first line that uses it."""
    plan = plan_for_book(book, Theme(book.config.root))
    if not plan.missing:
        return []
    if not SYSTEM_FONTS.is_dir() or not any(SYSTEM_FONTS.rglob("Noto*")):
        return [Finding(book.config.path, None, None, "F001",
                        f"characters {''.join(plan.missing)!r} are not in the theme's fonts, "
                        f"and the fallback fonts are missing: {INSTALL_HINT}")]
    findings = []
    texts = book_texts(book)
    for char in plan.missing:
        path = next((p for p, text in texts if char in text), None)
        line, column = _first_use(path, char)
        what = "a list marker the stylesheet draws" if char in LIST_MARKERS else "the text"
        findings.append(Finding(path, line, column, "F001",
                                f"the character {char!r} (U+{ord(char):04X}) in {what} is in "
                                "no font of the theme or of its fallback chain: use another "
                                "character, or add a font that has it to templates/fonts/"))
    return findings


def _first_use(path: Path | None, char: str) -> tuple[int | None, int | None]:
    if path is None:
        return None, None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None, None
    for number, line in enumerate(lines, start=1):
        if char in line:
            return number, line.index(char) + 1
    return None, None
