"""The geometry check run on every PDF the tests build: nothing the page draws (a glyph,
an image or a vector drawing) lies outside the page's text block, less a small
tolerance, except running heads and folios, which are text in the margins above and
below the text block (their margin boxes). Measured with pypdfium2 on the page
objects as drawn, in points, PDF coordinates (origin at the bottom left).

Also allowed: a drawing that covers the whole page (the page's background) and, on
a sheet with bleed, a drawing wholly outside the bleed (a crop mark)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw

INCH, MM = 72.0, 72.0 / 25.4
TOLERANCE = 1.5  # points: glyph outlines may reach a little past their line's box
# Arabic letters in Naskh sweep further: a final yeh's or noon's tail reaches past the
# glyph's advance, out of the line's box at its left end.
ARABIC_TOLERANCE = 3.0
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
KINDS = {pdfium_raw.FPDF_PAGEOBJ_TEXT: "text", pdfium_raw.FPDF_PAGEOBJ_PATH: "drawing",
         pdfium_raw.FPDF_PAGEOBJ_IMAGE: "image", pdfium_raw.FPDF_PAGEOBJ_SHADING: "shading",
         pdfium_raw.FPDF_PAGEOBJ_FORM: "form"}


@dataclass(frozen=True)
class TextBlock:
    """A page's margins in points, as the theme's ``@page`` rules set them. On a
    *mirrored* page the inner margin is on the side of the binding: on the left of a
    recto, or on its right in a book read right to left (bound on the right)."""

    top: float
    bottom: float
    inner: float
    outer: float
    mirrored: bool = True

    def on(self, box: tuple[float, float, float, float], recto: bool,
           rtl: bool = False) -> Box:
        left, bottom, right, top = box
        near, far = (self.inner, self.outer) if recto != rtl or not self.mirrored \
            else (self.outer, self.inner)
        return Box(left + near, bottom + self.bottom, right - far, top - self.top)


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    def holds(self, other: Box, tolerance: float = 0.0) -> bool:
        return (other.left >= self.left - tolerance and other.right <= self.right + tolerance
                and other.bottom >= self.bottom - tolerance
                and other.top <= self.top + tolerance)

    def meets(self, other: Box) -> bool:
        return not (other.right <= self.left or other.left >= self.right
                    or other.top <= self.bottom or other.bottom >= self.top)

    def __str__(self) -> str:
        return f"[{self.left:.1f} {self.bottom:.1f} {self.right:.1f} {self.top:.1f}]"


# The default theme's text blocks (templates/css/pdf.css and handouts.css).
BOOK = TextBlock(top=0.75 * INCH, bottom=0.8 * INCH, inner=0.85 * INCH, outer=0.7 * INCH)
HANDOUT = TextBlock(18 * MM, 18 * MM, 22 * MM, 22 * MM, mirrored=False)
HANDOUT_APPARATUS = TextBlock(13 * MM, 12 * MM, 13 * MM, 13 * MM, mirrored=False)
BOOKLET = TextBlock(14 * MM, 14 * MM, 12 * MM, 12 * MM, mirrored=False)
BOOKLET_APPARATUS = TextBlock(12 * MM, 13 * MM, 11 * MM, 11 * MM, mirrored=False)


def geometry_problems(path: Path, block: TextBlock, *, first_recto: int = 0,
                      skip: Iterable[int] = (), pages_per_sheet: int = 1,
                      tolerance: float = TOLERANCE) -> list[str]:
    """What lies outside the text block on each page of the PDF *path*, as
    ``page N: <kind> [left bottom right top] …``. Pages are counted from 0; page
    *first_recto* is a right-hand page and the pages alternate from there; pages in
    *skip* (a cover) are not looked at. A sheet carrying *pages_per_sheet* pages side by
    side (an imposed booklet) is cut into that many pages of equal width."""
    skipped = set(skip)
    problems: list[str] = []
    rtl = read_right_to_left(path)
    document = pdfium.PdfDocument(path)
    try:
        for number, page in enumerate(document):
            if number in skipped:
                continue
            problems += [f"page {number + 1}: {problem}"
                         for problem in _page_problems(page, number, block, first_recto,
                                                       pages_per_sheet, tolerance, rtl)]
    finally:
        document.close()
    return problems


def read_right_to_left(path: Path) -> bool:
    """Whether the PDF says it is read right to left (/ViewerPreferences /Direction
    /R2L): its rectos are bound on the right."""
    with pikepdf.open(path) as pdf:
        preferences = pdf.Root.get("/ViewerPreferences", {})
        return str(preferences.get("/Direction", "/L2R")) == "/R2L"


def _page_problems(page, number: int, block: TextBlock, first_recto: int,
                   pages_per_sheet: int, tolerance: float, rtl: bool = False) -> list[str]:
    trim = Box(*page.get_trimbox())
    bleed = Box(*page.get_bleedbox())
    width = (trim.right - trim.left) / pages_per_sheet
    recto = (number - first_recto) % 2 == 0
    areas, bands = [], []
    for index in range(pages_per_sheet):
        left = trim.left + index * width
        area = block.on((left, trim.bottom, left + width, trim.top), recto, rtl)
        areas.append(area)
        # The margin boxes of running heads and folios: above and below the text block.
        bands += [Box(area.left, area.top, area.right, trim.top),
                  Box(area.left, trim.bottom, area.right, area.bottom)]
    problems = []
    for kind, box in _objects(page):
        if any(area.holds(box, tolerance) for area in areas):
            continue
        if kind == "text" and any(area.holds(box, ARABIC_TOLERANCE) for area in areas) \
                and _ARABIC.search(_sample(page, box, kind)):
            continue
        if kind in ("text", "form") and any(band.holds(box, tolerance) for band in bands):
            continue  # a running head, or a folio (laid over the page as a form)
        if box.holds(trim, 1.0) and kind in ("drawing", "shading"):
            continue  # the page's background
        if kind == "drawing" and bleed != trim and not bleed.meets(box):
            continue  # a printer's mark beyond the bleed
        problems.append(f"{kind} {box} outside the text block "
                        f"{' '.join(str(a) for a in areas)}{_sample(page, box, kind)}")
    return problems


def _objects(page) -> Iterable[tuple[str, Box]]:
    for item in page.get_objects(max_depth=0):
        left, bottom, right, top = item.get_bounds()
        yield KINDS.get(item.type, f"object {item.type}"), Box(left, bottom, right, top)


def _sample(page, box: Box, kind: str) -> str:
    if kind != "text":
        return ""
    text = page.get_textpage().get_text_bounded(box.left, box.bottom, box.right, box.top)
    return f": {' '.join(text.split())[:60]!r}"


def assert_fits(path: Path, block: TextBlock = BOOK, **options) -> None:
    """Fail with every object that lies outside the text block (geometry_problems)."""
    problems = geometry_problems(path, block, **options)
    assert not problems, f"{Path(path).name}: {len(problems)} object(s) outside the text " \
                         "block:\n" + "\n".join(problems[:40])


def check_book_pdfs(files: dict[str, Path], check: Callable[..., None] = assert_fits) -> None:
    """The geometry check on a book's PDFs (folio.formats.pdf.render.output_files): the
    screen edition after its cover, the print interior; the wrap cover is design."""
    check(files["screen"], BOOK, first_recto=1, skip=[0])
    check(files["print"], BOOK, first_recto=0)


def check_handouts(paths: Iterable[Path], check: Callable[..., None] = assert_fits) -> None:
    """The geometry check on study handouts (folio.formats.handouts): a chapter's on its
    page, the glossary and chronology (reference sheets) on fuller pages, a booklet's
    sheets two pages side by side."""
    for path in paths:
        path = Path(path)
        apparatus = path.stem in ("glossary", "chronology")
        if path.parent.name == "booklet":
            check(path, BOOKLET_APPARATUS if apparatus else BOOKLET, pages_per_sheet=2)
        else:
            check(path, HANDOUT_APPARATUS if apparatus else HANDOUT)
