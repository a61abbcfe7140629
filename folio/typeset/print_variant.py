"""The print interior: the screen edition's pages, less its cover, as a printer asks
for them (``printers``): each page trim plus bleed on the top, bottom and outside
edge (recto: right, verso: left; on every edge for a printer that asks so), its
TrimBox and BleedBox, no printer's marks and no links, blank pages at the end up
to the count the printer binds, black in black ink only for a black-and-white
interior (``inks``), and the printer's PDF/X level (``pdfx``). Made from the
written PDF with qpdf (pikepdf), so its pages are exactly the screen edition's and
nothing is laid out or written twice: the sheet grows around the page (the
MediaBox reaches past the trim), the page's own content is not touched.

The crop marks of the proof are content no structure element holds, and the links
are gone: the print interior does not claim the screen edition's PDF/UA-1
conformance.

The proof (``make_proof``) is the same interior with crop marks around each page,
for checking the trim on a desk printer; printers refuse marks in an upload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from . import pdfx
from .inks import black_ink_only, rgb_and_transparency
from .printers import POINTS_PER_INCH, Printer

MARK_LENGTH = 14.0  # points of crop mark beyond the bleed


@dataclass(frozen=True)
class PrintJob:
    """What the print interior is made for: the printer, the paper, the inks
    (``black-and-white`` or ``colour``)."""

    printer: Printer
    paper: str
    colour: str = "black-and-white"

    @property
    def bleed(self) -> float:
        """The bleed in points."""
        return self.printer.bleed * POINTS_PER_INCH


def bleed_box(trim: list[float], recto: bool, bleed: float,
              spine_edge: bool = False) -> list[float]:
    """The box of a page with bleed, from its *trim* box ``[left, bottom, right,
    top]`` in points: *bleed* beyond the top, the bottom and the outside edge (a
    *recto*'s right, a verso's left), and the spine edge too when *spine_edge*."""
    left, bottom, right, top = trim
    inside = bleed if spine_edge else 0.0
    if recto:
        return [left - inside, bottom - bleed, right + bleed, top + bleed]
    return [left - bleed, bottom - bleed, right + inside, top + bleed]


def crop_marks(trim: list[float], bleed: list[float]) -> bytes:
    """Registration-colour lines at the four corners of *trim*, each from the edge of
    *bleed* outwards by MARK_LENGTH points."""
    left, bottom, right, top = trim
    b_left, b_bottom, b_right, b_top = bleed
    lines = []
    for x in (left, right):
        lines += [(x, b_bottom - MARK_LENGTH, x, b_bottom), (x, b_top, x, b_top + MARK_LENGTH)]
    for y in (bottom, top):
        lines += [(b_left - MARK_LENGTH, y, b_left, y), (b_right, y, b_right + MARK_LENGTH, y)]
    path = " ".join(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l" for x1, y1, x2, y2 in lines)
    return f"q 0.25 w 1 1 1 1 K {path} S Q".encode()


def make_print_variant(screen_pdf: Path, target: Path, job: PrintJob, cover_pages: int,
                       first_arabic: int,
                       warn: Callable[[str], None] = lambda message: None) -> str | None:
    """Write *target* from *screen_pdf*: without its first *cover_pages*, padded with
    blank pages to the count *job*'s printer binds, each page with its bleed, no
    marks, no links, page labels roman up to page *first_arabic* (counted without
    the cover) and arabic from there, the inks and PDF/X level of *job*. Returns the
    PDF/X level written (None: a plain PDF); *warn* is told when the printer's level
    cannot be met and its fallback is written instead. Raises BuildError when no
    level the printer accepts can be met."""
    printer = job.printer
    with pikepdf.open(screen_pdf) as pdf:
        for _ in range(cover_pages):
            del pdf.pages[0]
        _pad(pdf, printer.printed_pages(len(pdf.pages)))
        for number, page in enumerate(pdf.pages):
            trim = [float(v) for v in page.mediabox]
            sheet = bleed_box(trim, number % 2 == 0, job.bleed, printer.bleed_spine_edge)
            page.obj.MediaBox = pikepdf.Array(sheet)
            page.obj.CropBox = pikepdf.Array(sheet)
            page.obj.BleedBox = pikepdf.Array(sheet)
            page.obj.TrimBox = pikepdf.Array(trim)
            if "/Annots" in page.obj:
                del page.obj.Annots
        labels = [0, pikepdf.Dictionary(S=pikepdf.Name.r)] if first_arabic else []
        labels += [first_arabic, pikepdf.Dictionary(S=pikepdf.Name.D)]
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
        _drop_pdfua_claim(pdf)
        black_ink_only(pdf, every_colour=job.colour == "black-and-white")
        level = _level(pdf, printer, warn)
        if level:
            pdfx.make_pdfx(pdf, level)
        _save(pdf, target, pdfx.pdf_version(level))
    return level


def make_print_cover(cover_pdf: Path, job: PrintJob,
                     warn: Callable[[str], None] = lambda message: None) -> str | None:
    """Rewrite the wrap cover *cover_pdf* at the PDF/X level *job*'s printer asks for
    (a cover's pictures and colours are RGB, so a printer asking for PDF/X-1a gets its
    fallback, with *warn* told); its TrimBox and BleedBox come from the layout. Returns
    the level written (None: a plain PDF). Raises BuildError as make_print_variant."""
    with pikepdf.open(cover_pdf, allow_overwriting_input=True) as pdf:
        level = _level(pdf, job.printer, warn, what="cover")
        if level is None:
            return None
        pdfx.make_pdfx(pdf, level)
        _save(pdf, cover_pdf, pdfx.pdf_version(level))
    return level


def _level(pdf: pikepdf.Pdf, printer: Printer, warn: Callable[[str], None],
           what: str = "print interior") -> str | None:
    """The PDF/X level to write: the printer's, or its fallback when the *what* has
    what PDF/X-1a forbids (RGB images, transparency)."""
    from ..errors import BuildError

    level = printer.pdfx
    if level != "pdf/x-1a":
        return level
    problems = rgb_and_transparency(pdf)
    if not problems:
        return level
    why = ", ".join(problems)
    if printer.pdfx_fallback is None:
        raise BuildError(f"{printer.title} asks for PDF/X-1a, which allows no RGB and no "
                         f"transparency, and the {what} has {why}: use CMYK or "
                         "greyscale images without transparency")
    warn(f"the {what} has {why}, which PDF/X-1a forbids: it is written as "
         f"{printer.pdfx_fallback.upper()}, which {printer.title} accepts too")
    return printer.pdfx_fallback


def _pad(pdf: pikepdf.Pdf, pages: int) -> None:
    """Blank pages of the last page's size at the end of *pdf* up to *pages* pages."""
    while len(pdf.pages) < pages:
        left, bottom, right, top = (float(v) for v in pdf.pages[-1].mediabox)
        blank = pdf.add_blank_page(page_size=(right - left, top - bottom))
        blank.obj.MediaBox = pikepdf.Array([left, bottom, right, top])


def _save(pdf: pikepdf.Pdf, target: Path, version: str | None) -> None:
    if version is None:
        pdf.save(target, deterministic_id=True)
        return
    old = float(version) < 1.5  # no object or cross-reference streams before PDF 1.5
    pdf.save(target, deterministic_id=True, force_version=version,
             object_stream_mode=pikepdf.ObjectStreamMode.disable if old
             else pikepdf.ObjectStreamMode.preserve)


def make_proof(print_pdf: Path, target: Path) -> None:
    """Write *target*: the print interior *print_pdf* with crop marks at each page's
    trim, on a sheet grown to hold them."""
    with pikepdf.open(print_pdf) as pdf:
        save_state = pdf.make_stream(b"q")
        restore = b"Q "
        for page in pdf.pages:
            trim = [float(v) for v in page.trimbox]
            bleed = [float(v) for v in page.bleedbox]
            sheet = [bleed[0] - MARK_LENGTH, bleed[1] - MARK_LENGTH,
                     bleed[2] + MARK_LENGTH, bleed[3] + MARK_LENGTH]
            page.obj.MediaBox = pikepdf.Array(sheet)
            page.obj.CropBox = pikepdf.Array(sheet)
            page.contents_add(save_state, prepend=True)
            page.contents_add(pdf.make_stream(restore + crop_marks(trim, bleed)))
        pdf.save(target, deterministic_id=True)


def _drop_pdfua_claim(pdf: pikepdf.Pdf) -> None:
    """*pdf*'s XMP without its PDF/UA identification (``pdfuaid:part``), if it has one."""
    if "/Metadata" not in pdf.Root:
        return
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]
