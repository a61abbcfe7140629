"""The Kindle edition's metadata that Calibre loses or makes anew at each conversion:
a stable identifier, the subjects whole, the rights."""

from __future__ import annotations

import uuid
from pathlib import Path

from ...htmltree import text_of
from ...model import Book
from ...theme.context import build_time
from .exth import ASIN, CONTENT_KEY, RIGHTS, SOURCE, SUBJECT, read_exth, rewrite_exth

# Calibre writes a new random UUID as the ASIN and the source at every conversion, and
# splits each subject at its commas ("Trotsky, Leon, 1879-1940" becomes three).
REPLACED = {SUBJECT, RIGHTS, SOURCE, ASIN, CONTENT_KEY}


def kindle_id(identifier: str) -> str:
    """The book's UUID (from ``urn:uuid:…``), or one derived from any other identifier:
    the same for every build of the book, so a Kindle that has the book keeps the
    reader's place, notes and highlights when a rebuild replaces it."""
    if identifier.lower().startswith("urn:uuid:"):
        return str(uuid.UUID(identifier[9:]))
    return str(uuid.uuid5(uuid.NAMESPACE_URL, identifier))


def fix_metadata(azw3: Path, book: Book) -> None:
    """Rewrite *azw3*'s metadata records: the book's stable id as the ASIN, the
    content key and the source; each subject as one record; the rights; the
    database's dates at the build's time (SOURCE_DATE_EPOCH)."""
    config = book.config
    stable = kindle_id(config.identifier).encode()
    records = [(kind, data) for kind, data in read_exth(azw3.read_bytes())
               if kind not in REPLACED]
    records += [(SUBJECT, subject.encode()) for subject in config.subjects]
    rights = book.meta_html.get("rights")
    if rights is not None:
        records.append((RIGHTS, text_of(rights).encode()))
    records += [(SOURCE, f"urn:uuid:{stable.decode()}".encode()), (ASIN, stable),
                (CONTENT_KEY, stable)]
    azw3.write_bytes(rewrite_exth(azw3.read_bytes(), records, int(build_time().timestamp())))
