"""The print variant: the screen edition's pages, less its cover, on larger sheets with
bleed, crop marks, TrimBox and BleedBox, as print-on-demand services ask for. Made
from the written PDF with qpdf (pikepdf), so its pages are exactly the screen
edition's and nothing is laid out or written twice.

The sheet grows around the page (the MediaBox reaches into negative coordinates),
so the page's own content is not touched, only framed. The crop marks are content no
structure element holds, and the links are gone: the print interior does not claim
the screen edition's PDF/UA-1 conformance."""

from __future__ import annotations

from pathlib import Path

import pikepdf

MARK_LENGTH = 14.0  # points of crop mark beyond the bleed


def crop_marks(left: float, bottom: float, width: float, height: float,
               bleed: float) -> bytes:
    """Registration-colour lines at the four corners, from the bleed's edge outwards."""
    near, far = bleed, bleed + MARK_LENGTH
    right, top = left + width, bottom + height
    lines = []
    for x in (left, right):
        lines += [(x, bottom - far, x, bottom - near), (x, top + near, x, top + far)]
    for y in (bottom, top):
        lines += [(left - far, y, left - near, y), (right + near, y, right + far, y)]
    path = " ".join(f"{x1:.2f} {y1:.2f} m {x2:.2f} {y2:.2f} l" for x1, y1, x2, y2 in lines)
    return f"Q q 0.25 w 1 1 1 1 K {path} S Q".encode()


def make_print_variant(screen_pdf: Path, target: Path, bleed: float, cover_pages: int,
                       first_arabic: int) -> None:
    """Write *target* from *screen_pdf*: without its first *cover_pages*, with *bleed*
    points of bleed and crop marks, no links (paper has none), and page labels roman
    up to page *first_arabic* (counted without the cover), arabic from there."""
    with pikepdf.open(screen_pdf) as pdf:
        for _ in range(cover_pages):
            del pdf.pages[0]
        offset = bleed + MARK_LENGTH
        save_state = pdf.make_stream(b"q")
        for page in pdf.pages:
            left, bottom, right, top = (float(v) for v in page.mediabox)
            width, height = right - left, top - bottom
            sheet = [left - offset, bottom - offset, right + offset, top + offset]
            page.obj.MediaBox = pikepdf.Array(sheet)
            page.obj.CropBox = pikepdf.Array(sheet)
            page.obj.TrimBox = pikepdf.Array([left, bottom, right, top])
            page.obj.BleedBox = pikepdf.Array([left - bleed, bottom - bleed, right + bleed,
                                               top + bleed])
            page.contents_add(save_state, prepend=True)
            page.contents_add(pdf.make_stream(crop_marks(left, bottom, width, height, bleed)))
            if "/Annots" in page.obj:
                del page.obj.Annots
        labels = [0, pikepdf.Dictionary(S=pikepdf.Name.r)] if first_arabic else []
        labels += [first_arabic, pikepdf.Dictionary(S=pikepdf.Name.D)]
        pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(labels))
        _drop_pdfua_claim(pdf)
        pdf.save(target, deterministic_id=True)


def _drop_pdfua_claim(pdf: pikepdf.Pdf) -> None:
    """*pdf*'s XMP without its PDF/UA identification (``pdfuaid:part``), if it has one."""
    if "/Metadata" not in pdf.Root:
        return
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        if "pdfuaid:part" in meta:
            del meta["pdfuaid:part"]
