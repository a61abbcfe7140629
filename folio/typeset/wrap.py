"""The wrap cover's geometry: back, spine and front side by side, with bleed all round,
sized by the printer's rules and the interior's page count.

Every length here is in inches, as printers publish them (``printers.points``
converts). The layout, left to right: bleed, back, spine, front, bleed; top to
bottom: bleed, trim height, bleed (KDP's and IngramSpark's cover calculators)."""

from __future__ import annotations

from dataclasses import dataclass

from .paper import page_size
from .printers import POINTS_PER_INCH, Printer, preset_for

# The barcode's white box on the back cover: KDP keeps 2 × 1.2 in free for it, 0.25 in
# from the bottom trim and from the spine (KDP Help, "Paperback Cover Guidelines").
BARCODE_BOX = (2.0, 1.2)
BARCODE_INSET = 0.25
# Spine lettering: its largest size (points), its smallest legible size, the line's
# height a point of type takes, and what it keeps clear of the head and the foot.
SPINE_TYPE_MAX = 11.0
SPINE_TYPE_MIN = 6.0
SPINE_LINE = 1.25
SPINE_END_CLEARANCE = 0.5


@dataclass(frozen=True)
class WrapGeometry:
    """The wrap cover of one book: *panel* is a cover's trim width, *height* its trim
    height, *spine* the spine's width, *bleed* the bleed on every edge (inches);
    *pages* the page count the printer binds."""

    printer: Printer
    paper: str
    pages: int
    panel: float
    height: float
    spine: float
    bleed: float

    @property
    def width(self) -> float:
        """The trimmed wrap's width: back + spine + front."""
        return 2 * self.panel + self.spine

    @property
    def sheet(self) -> tuple[float, float]:
        """The whole file's (width, height) with bleed, in inches."""
        return self.width + 2 * self.bleed, self.height + 2 * self.bleed

    @property
    def spine_type(self) -> float | None:
        """The spine lettering's size in points, or None when the spine may carry
        none: fewer pages than the printer's ``spine_text_min_pages``, or a spine whose
        width less the printer's clearance on each side has no room for a line of
        ``SPINE_TYPE_MIN`` points."""
        if self.pages < self.printer.spine_text_min_pages:
            return None
        room = (self.spine - 2 * self.printer.spine_text_clearance) * POINTS_PER_INCH
        size = min(SPINE_TYPE_MAX, room / SPINE_LINE)
        return round(size, 2) if size >= SPINE_TYPE_MIN else None

    @property
    def spine_length(self) -> float:
        """The length of spine the lettering may take (inches)."""
        return self.height - 2 * SPINE_END_CLEARANCE


def wrap_geometry(config, pages: int) -> WrapGeometry:
    """The wrap cover for *config*'s printer and paper (``printers.preset_for``) and an
    interior of *pages* pages (padded to the count the printer binds)."""
    printer, paper = preset_for(config)
    bound = printer.printed_pages(pages)
    width, height = (value / POINTS_PER_INCH for value in page_size(config.trim))
    return WrapGeometry(printer, paper, bound, width, height,
                        printer.spine_width(bound, paper), printer.bleed)
