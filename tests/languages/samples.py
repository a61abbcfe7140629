"""Where the sample books in other languages live, and which there are."""

from __future__ import annotations

from pathlib import Path

LANGUAGE_BOOKS = Path(__file__).resolve().parent.parent / "data" / "languages"


def sample_languages() -> list[str]:
    """The language tags that have a sample book (a folder with book.yaml), in order."""
    return sorted(p.name for p in LANGUAGE_BOOKS.iterdir() if (p / "book.yaml").is_file())
