"""The PDF editions: the screen edition (cover first, every cross-reference a
link), the print interior (bleed and crop marks) and the print wrap cover."""

from __future__ import annotations

from pathlib import Path

import pydyf

from ..errors import BuildError
from ..model import Book
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
    interior, folios = typesetter.interior
    files = output_files(target)
    screen = interior.copy([typesetter.cover(wrap=False).pages[0], *interior.pages])
    screen.write_pdf(target, pdf_tags=True, finisher=finisher(folios.start + 1, cover=True))
    make_print_variant(target, files["print"], length(book.config.bleed), cover_pages=1,
                       first_arabic=folios.start)
    typesetter.cover(wrap=True).write_pdf(files["cover"])


def finisher(start: int, cover: bool = False, font_family_prefix: str = "Folio"):
    """Last touches on the PDF before it is written:

    - page labels that match the printed folios (roman up to the first chapter, then
      arabic from 1), so a viewer's page box shows the number printed on the page;
    - viewers show the document title, not the file name;
    - a font other than the theme's (a system font WeasyPrint fell back to for a
      missing glyph) is an error, not a silent change of typeface.
    """

    def finish(_document, pdf: pydyf.PDF) -> None:
        ranges = [0, pydyf.Dictionary({"P": pydyf.String("Cover")})] if cover else []
        if start > len(ranges) // 2:
            ranges += [len(ranges) // 2, pydyf.Dictionary({"S": "/r"})]
        ranges += [start, pydyf.Dictionary({"S": "/D"})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        foreign = sorted({
            str(obj["BaseFont"]).lstrip("/").split("+")[-1]
            for obj in pdf.objects
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font"
            and "BaseFont" in obj and font_family_prefix not in str(obj["BaseFont"])
        })
        if foreign:
            raise BuildError(f"the PDF needed fonts outside the theme ({', '.join(foreign)}): "
                             "some characters are missing from the book's typeface")

    return finish
