"""The PDF editions: the screen edition (cover first, every cross-reference a
link), the print interior for the book's printer (``print:`` in book.yaml: bleed,
no marks, PDF/X as the printer asks), on request its proof with crop marks, and
the print wrap cover."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ...errors import BuildError
from ...formats import Work
from ...i18n import strings_of
from ...model import Book
from ...typeset.join import join_parts
from ...typeset.pagelabels import page_labels
from ...typeset.print_variant import PrintJob, make_print_cover, make_print_variant, make_proof
from ...typeset.printers import preset_for
from ...typeset.typesetter import Typesetter
from ...typeset.xmp import identification


def output_files(target: Path) -> dict[str, Path]:
    """The PDF files made beside *target* (the screen edition); the proof only when
    asked for."""
    stem = target.stem
    return {"screen": target, "print": target.with_name(f"{stem}-print.pdf"),
            "cover": target.with_name(f"{stem}-cover.pdf")}


def proof_file(target: Path) -> Path:
    """The proof of the print interior beside *target*: ``<slug>-proof.pdf``."""
    return target.with_name(f"{target.stem}-proof.pdf")


def print_job(book: Book) -> PrintJob:
    """The printer, paper and inks book.yaml's ``print:`` names."""
    printer, paper = preset_for(book.config)
    return PrintJob(printer, paper, book.config.print.get("colour", "black-and-white"))


def check_page_count(book: Book, job: PrintJob, pages: int) -> None:
    """A BuildError at book.yaml's ``print:`` when the interior of *pages* pages (before
    padding) binds to fewer pages than the printer's minimum or more than its paper's
    maximum."""
    printer, config = job.printer, book.config
    printed = printer.printed_pages(pages)
    line = config.line_of("print")
    if printed < printer.min_pages:
        raise BuildError(f"the print interior has {printed} pages, and {printer.title} "
                         f"prints at least {printer.min_pages}", config.path, line)
    most = printer.max_pages(job.paper)
    if printed > most:
        raise BuildError(f"the print interior has {printed} pages, and {printer.title} "
                         f"prints at most {most} on {job.paper} paper", config.path, line)


def render_pdf(book: Book, target: Path, typesetter: Typesetter | None = None,
               proof: bool = False, screen_only: bool = False,
               aside: Callable[[Work], None] | None = None) -> None:
    """The screen edition at *target*, and beside it (unless *screen_only*) the print
    interior, its proof when *proof*, and the wrap cover (``output_files``): those
    three made by *aside* (``Job.aside``; default: here, before this returns)."""
    typesetter = typesetter or Typesetter(book)
    job = print_job(book)
    interior = typesetter.interior
    check_page_count(book, job, interior.pages)
    files = output_files(target)
    cover = typesetter.cover_part()
    join_parts([cover, *interior.parts], target,
               page_labels(interior.folios.start + 1, cover=True,
                           cover_label=strings_of(book.config).text("cover")),
               info_from=interior.front,
               font_files=typesetter.font_files, date=typesetter.context["build_timestamp"],
               nested=[False, *interior.nested], identification=identification(book),
               direction=book.config.direction, layers=[None, *interior.layers])
    if screen_only:
        return

    def print_files(progress: Callable[[str], None]) -> None:
        make_print_variant(target, files["print"], job, cover_pages=1,
                           first_arabic=interior.folios.start,
                           warn=lambda message: progress(f"warning: {message}"))
        if proof:
            make_proof(files["print"], proof_file(target))
        typesetter.cover(wrap=True).write_pdf(files["cover"])
        # A cover is RGB as a rule, so its fallback level is news, not a warning.
        make_print_cover(files["cover"], job, warn=progress)

    (aside or (lambda work: work(typesetter.progress)))(print_files)
