"""Page labels: the page numbers a PDF viewer shows, matching the printed folios."""

from __future__ import annotations

import pydyf

from .fontcheck import check_fonts


def page_labels(start: int, cover: bool = False,
                cover_label: str = "Cover") -> list[tuple[int, dict]]:
    """Page labels that match the printed folios (roman up to the first chapter, page
    *start*, then arabic from 1), so a viewer's page box shows the number printed on
    the page; the cover, when there is one, is labelled *cover_label* (the word of
    the book's language)."""
    ranges: list[tuple[int, dict]] = [(0, {"P": cover_label})] if cover else []
    if start > len(ranges):
        ranges.append((len(ranges), {"S": "/r"}))
    ranges.append((start, {"S": "/D"}))
    return ranges


def finisher(start: int):
    """Last touches on a PDF WeasyPrint writes in one piece (a handout): page labels
    (see `page_labels`), the document title shown, the theme's fonts only."""

    def finish(_document, pdf: pydyf.PDF) -> None:
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array([
            value for first, label in page_labels(start)
            for value in (first, pydyf.Dictionary({
                key: (value if value.startswith("/") else pydyf.String(value))
                for key, value in label.items()}))])})
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        check_fonts(pdf)

    return finish
