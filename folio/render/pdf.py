"""The PDF editions: the screen edition (cover first, every cross-reference a
link), the print interior (bleed and crop marks) and the print wrap cover."""

from __future__ import annotations

from pathlib import Path

import pydyf

from ..model import Book
from .fontcheck import check_fonts
from .joinpdf import join_parts
from .paper import length
from .printready import make_print_variant
from .typeset import Typesetter


def output_files(target: Path) -> dict[str, Path]:
    """The PDF files made beside *target* (the screen edition)."""
    stem = target.stem
    return {"screen": target, "print": target.with_name(f"{stem}-print.pdf"),
            "cover": target.with_name(f"{stem}-cover.pdf")}


def render_pdf(book: Book, target: Path, typesetter: Typesetter | None = None) -> None:
    typesetter = typesetter or Typesetter(book)
    interior = typesetter.interior
    files = output_files(target)
    cover = typesetter.cover_part()
    join_parts([cover, *interior.parts], target,
               page_labels(interior.folios.start + 1, cover=True), info_from=interior.front,
               font_files=typesetter.font_files, date=typesetter.context["build_timestamp"])
    make_print_variant(target, files["print"], length(book.config.bleed), cover_pages=1,
                       first_arabic=interior.folios.start)
    typesetter.cover(wrap=True).write_pdf(files["cover"])


def page_labels(start: int, cover: bool = False) -> list[tuple[int, dict]]:
    """Page labels that match the printed folios (roman up to the first chapter, page
    *start*, then arabic from 1), so a viewer's page box shows the number printed on
    the page; the cover, when there is one, is labelled "Cover"."""
    ranges: list[tuple[int, dict]] = [(0, {"P": "Cover"})] if cover else []
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
