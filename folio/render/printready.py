"""The print variant: the screen PDF's pages on larger sheets with bleed, crop
marks, TrimBox and BleedBox, as print-on-demand services ask for. Made from
the laid-out PDF, so its pages are exactly the screen edition's.

The sheet grows around the page (the MediaBox reaches into negative
coordinates), so the page's own content is not touched, only framed."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, RectangleObject

MARK_LENGTH = 14.0  # points of crop mark beyond the bleed


def crop_marks(width: float, height: float, bleed: float) -> bytes:
    """Registration-colour lines at the four corners, from the bleed's edge outwards."""
    near, far = bleed, bleed + MARK_LENGTH
    lines = []
    for x in (0.0, width):
        lines += [(x, -far, x, -near), (x, height + near, x, height + far)]
    for y in (0.0, height):
        lines += [(-far, y, -near, y), (width + near, y, width + far, y)]
    path = " ".join(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l" for x1, y1, x2, y2 in lines)
    return f"Q q 0.25 w 1 1 1 1 K {path} S Q".encode()


def _stream(writer: PdfWriter, data: bytes):
    stream = DecodedStreamObject()
    stream.set_data(data)
    return writer._add_object(stream)


def make_print_variant(interior_pdf: bytes, target: Path, bleed: float) -> None:
    """Write *target*: the pages of *interior_pdf* with *bleed* points of bleed and
    crop marks; links are removed (paper has none)."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(interior_pdf)))
    save_state = _stream(writer, b"q")
    offset = bleed + MARK_LENGTH
    marks_by_size: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        box = page.mediabox
        left, bottom = float(box.left), float(box.bottom)
        width, height = float(box.width), float(box.height)
        size = (width, height)
        if size not in marks_by_size:
            marks_by_size[size] = _stream(writer, crop_marks(width, height, bleed))
        page.mediabox = RectangleObject([left - offset, bottom - offset,
                                         left + width + offset, bottom + height + offset])
        page.cropbox = page.mediabox
        page.trimbox = RectangleObject([left, bottom, left + width, bottom + height])
        page.bleedbox = RectangleObject([left - bleed, bottom - bleed,
                                         left + width + bleed, bottom + height + bleed])
        contents = page.get("/Contents")
        existing = list(contents.get_object()) if isinstance(contents.get_object(), list) \
            else [contents]
        page[NameObject("/Contents")] = ArrayObject(
            [save_state, *existing, marks_by_size[size]])
        if "/Annots" in page:
            del page["/Annots"]
    with target.open("wb") as file:
        writer.write(file)
