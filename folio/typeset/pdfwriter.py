"""A fix for the PDF writer WeasyPrint uses (pydyf), applied on import.

``pydyf.PDF.page_references`` builds a tuple of every page's reference each time
it is read, and WeasyPrint's tagging reads it once per tagged element and link:
time grows with pages × elements, about 15 s of a 1,300-page book. The list only
grows (pages are appended), so it is kept and rebuilt when the page count changes.
"""

from __future__ import annotations

import pydyf


def _page_references(pdf: pydyf.PDF) -> tuple[bytes, ...]:
    kids = pdf.pages["Kids"]
    cached = pdf.__dict__.get("_folio_page_references")
    if cached is None or cached[0] != len(kids):
        references = tuple(f"{number} 0 R".encode("ascii") for number in kids[::3])
        cached = (len(kids), references)
        pdf.__dict__["_folio_page_references"] = cached
    return cached[1]


pydyf.PDF.page_references = property(_page_references)
