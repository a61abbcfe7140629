"""Print-on-demand printers' rules for a paperback: trim sizes, bleed, inside margin
(gutter) by page count, page-count limits, spine width by paper, and when a spine
may carry text.

Lengths are in inches, as the printers publish them; :func:`points` converts. The
figures are the printers' published guides as of 2026 (named in each preset's
``source``); printers revise them, so check the current guide before a first upload.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

POINTS_PER_INCH = 72.0


def points(inches: float) -> float:
    """*inches* in PDF points (1 in = 72 pt)."""
    return inches * POINTS_PER_INCH


@dataclass(frozen=True)
class Paper:
    """A paper stock: its thickness a page (one side of a leaf), in inches, and an
    allowance the printer adds to the spine for the cover's own fold."""

    page_thickness: float
    spine_allowance: float = 0.0
    max_pages: int = 828


@dataclass(frozen=True)
class Printer:
    """One printer's rules for a perfect-bound paperback.

    ``trims`` are (width, height) in inches; ``gutter`` is a list of (last page count,
    inside margin in inches), ascending; ``pdfx`` is the PDF/X level WeasyPrint writes
    for the interior (``None``: a plain PDF)."""

    name: str
    title: str
    source: str
    trims: tuple[tuple[float, float], ...]  # empty: any trim in Folio's own range
    bleed: float  # inches: top, bottom and outside edge of the interior; all round the cover
    papers: dict[str, Paper]
    min_pages: int
    gutter: tuple[tuple[int, float], ...]
    min_outside_margin: float  # inches from the trim to the text, with bleed
    spine_text_min_pages: int  # fewer pages: the spine stays blank
    spine_text_clearance: float  # inches kept clear on each side of the spine's text
    even_pages: bool = True
    pdfx: str | None = "pdf/x-4"
    colour: tuple[str, ...] = field(default=("black-and-white",))

    def spine_width(self, pages: int, paper: str) -> float:
        """The spine's width in inches for *pages* pages (both sides of every leaf,
        blanks included) on *paper*. Raises KeyError for a paper the printer lacks."""
        stock = self.papers[paper]
        return pages * stock.page_thickness + stock.spine_allowance

    def printed_pages(self, pages: int) -> int:
        """The page count the printer binds for an interior of *pages* pages: rounded
        up to an even count when the printer asks for one (blank pages at the end)."""
        return pages + pages % 2 if self.even_pages else pages

    def inside_margin(self, pages: int) -> float:
        """The printer's minimum inside margin (gutter) in inches for *pages* pages;
        the last row holds for any longer book."""
        for last, margin in self.gutter:
            if pages <= last:
                return margin
        return self.gutter[-1][1]

    def allows_trim(self, width: float, height: float) -> bool:
        """Whether a page of *width* × *height* inches is one of the printer's trims
        (to 0.01 in, as trims are published to two decimals)."""
        if not self.trims:
            return True
        return any(abs(width - w) < 0.006 and abs(height - h) < 0.006 for w, h in self.trims)

    def trim_names(self) -> str:
        """The allowed trims as text for an error message: ``5 × 8 in, 6 × 9 in, …``."""
        return ", ".join(f"{w:g} × {h:g} in" for w, h in self.trims)


KDP_GUTTER = ((150, 0.375), (300, 0.5), (500, 0.625), (700, 0.75), (828, 0.875))

PRINTERS: dict[str, Printer] = {
    "kdp": Printer(
        name="kdp", title="Amazon KDP",
        source="KDP Help: 'Paperback Submission Guidelines', 'Set Trim Size, Bleed, and "
               "Margins' and the paperback cover calculator",
        trims=((5, 8), (5.06, 7.81), (5.25, 8), (5.5, 8.5), (6, 9), (6.14, 9.21),
               (6.69, 9.61), (7, 10), (7.44, 9.69), (7.5, 9.25), (8, 10), (8.25, 6),
               (8.25, 8.25), (8.5, 8.5), (8.5, 11), (8.27, 11.69), (8.25, 11)),
        bleed=0.125,
        papers={"white": Paper(0.002252), "cream": Paper(0.0025, max_pages=776),
                "colour": Paper(0.002347, max_pages=828)},
        min_pages=24, gutter=KDP_GUTTER, min_outside_margin=0.375,
        spine_text_min_pages=80, spine_text_clearance=0.0625,
        even_pages=True, pdfx=None,  # KDP takes a plain PDF with fonts embedded
        colour=("black-and-white", "colour")),
    "ingramspark": Printer(
        name="ingramspark", title="IngramSpark",
        source="IngramSpark File Creation Guide (interior and cover specifications) and "
               "its cover template generator",
        trims=((5, 8), (5.06, 7.81), (5.25, 8), (5.5, 8.5), (6, 9), (6.14, 9.21),
               (6.69, 9.61), (7, 10), (7.44, 9.69), (7.5, 9.25), (8, 10), (8.5, 8.5),
               (8.5, 11), (8.27, 11.69)),
        bleed=0.125,
        papers={"white": Paper(1 / 444), "cream": Paper(1 / 434),
                "colour": Paper(1 / 444)},
        min_pages=18, gutter=KDP_GUTTER, min_outside_margin=0.5,
        spine_text_min_pages=48, spine_text_clearance=0.0625,
        even_pages=True, pdfx="pdf/x-1a",
        colour=("black-and-white", "colour")),
    "lulu": Printer(
        name="lulu", title="Lulu",
        source="Lulu Book Creation Guide (paperback spine width: pages / 444 + 0.06 in)",
        trims=((4.25, 6.875), (5, 8), (5.5, 8.5), (5.83, 8.27), (6, 9), (6.14, 9.21),
               (6.69, 9.61), (7, 10), (7.44, 9.69), (7.5, 7.5), (8.5, 8.5), (8.5, 11),
               (8.27, 11.69), (9, 7), (11, 8.5), (6.625, 10.25)),
        bleed=0.125,
        papers={"white": Paper(1 / 444, spine_allowance=0.06),
                "cream": Paper(1 / 444, spine_allowance=0.06)},
        min_pages=32, gutter=((60, 0.125), (150, 0.5), (400, 0.625), (600, 0.75),
                              (800, 0.875)),
        min_outside_margin=0.5, spine_text_min_pages=80, spine_text_clearance=0.0625,
        even_pages=True, pdfx="pdf/x-4"),
    "generic": Printer(
        name="generic", title="any printer",
        source="Folio's defaults: the book's own trim, bleed and caliper",
        trims=(), bleed=0.125, papers={"white": Paper(0.00125), "cream": Paper(0.00125)},
        min_pages=1, gutter=((100000, 0.0),), min_outside_margin=0.0,
        spine_text_min_pages=80, spine_text_clearance=0.0625, even_pages=True, pdfx=None),
}


DEFAULT_PAPER = "white"


def preset_for(config: Any) -> tuple[Printer, str]:
    """The printer and paper a book is printed with: (Printer, paper name).

    Read from book.yaml's ``print:`` section (``printer:``, ``paper:``) when the
    configuration has one; otherwise, and for ``generic``, Folio's own rules: the
    book's ``pdf.bleed`` all round and ``pdf.caliper`` (the thickness of a leaf, two
    pages) for the spine. A name the printers lack falls back to ``generic`` (the
    configuration reports it)."""
    from .paper import length

    section = getattr(config, "print", None) or {}

    def setting(key: str) -> str:
        value = section.get(key) if isinstance(section, dict) else getattr(section, key, None)
        return str(value).strip().lower() if value else ""

    printer = PRINTERS.get(setting("printer") or "generic", PRINTERS["generic"])
    paper = setting("paper") or DEFAULT_PAPER
    if printer.name != "generic":
        return printer, paper if paper in printer.papers else DEFAULT_PAPER
    leaf = length(config.caliper) / POINTS_PER_INCH
    stock = Paper(leaf / 2)
    printer = replace(printer, bleed=length(config.bleed) / POINTS_PER_INCH,
                      papers={name: stock for name in printer.papers})
    return printer, paper if paper in printer.papers else DEFAULT_PAPER
