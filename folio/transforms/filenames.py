"""Each section's file name in the EPUB and the web book, made from its id.

An author may give a heading any id pandoc accepts (``{#sec:intro}``,
``{#Einleitung}``, ``{#глава}``, a raw ``<h1 id="../x">``). The id stays the
anchor that links name; the file name is made safe on every system and in every
URL: ASCII lower-case letters, digits and hyphens, starting with a letter, at most
``MAX_LENGTH`` characters, unique in the book (a colon would read as a URL
scheme, a slash as a folder, and two names differing only in case collide on
macOS and Windows). EPUB 3.3 §6.1.3 (file names) and XML 1.0 names for the
manifest and NCX ids, which are these names too."""

from __future__ import annotations

import re
import unicodedata

from ..model import Book

MAX_LENGTH = 60
# The names the formats' own files take (EPUB pages, the web book's home and
# single page, ebooklib's navigation files).
RESERVED = {"cover", "titlepage", "imprint", "contents", "nav", "toc", "index", "book",
            "search", "style"}


def safe_name(text: str, fallback: str) -> str:
    """*text* as a safe file stem (see the module's rules); *fallback* when nothing
    of it survives."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:MAX_LENGTH].strip("-")
    if not stem:
        return fallback
    return stem if stem[0].isalpha() else f"s-{stem}"


def name_files(book: Book) -> None:
    """Set ``section.file`` for every section, generated ones included."""
    taken: set[str] = set()
    for number, section in enumerate(book.sections, start=1):
        stem = safe_name(section.id, f"section-{number}")
        if stem in RESERVED and section.role != stem:
            stem = f"section-{stem}"
        candidate, counter = stem, 2
        while candidate in taken:
            candidate = f"{stem}-{counter}"
            counter += 1
        taken.add(candidate)
        section.file = candidate
