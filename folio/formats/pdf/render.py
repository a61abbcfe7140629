"""The PDF editions: the screen edition (cover first, every cross-reference a
link), the print interior (bleed and crop marks) and the print wrap cover."""

from __future__ import annotations

from pathlib import Path

from ...i18n import strings_of
from ...model import Book
from ...typeset.join import join_parts
from ...typeset.pagelabels import page_labels
from ...typeset.paper import length
from ...typeset.print_variant import make_print_variant
from ...typeset.typesetter import Typesetter


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
               page_labels(interior.folios.start + 1, cover=True,
                           cover_label=strings_of(book.config).text("cover")),
               info_from=interior.front,
               font_files=typesetter.font_files, date=typesetter.context["build_timestamp"],
               nested=[False, *interior.nested])
    make_print_variant(target, files["print"], length(book.config.bleed), cover_pages=1,
                       first_arabic=interior.folios.start)
    typesetter.cover(wrap=True).write_pdf(files["cover"])
