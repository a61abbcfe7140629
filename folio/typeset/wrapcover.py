"""The print wrap cover: back (description, note, endorsements, the ISBN's barcode),
spine (title and author when the printer's rule and the spine's room allow) and
front, laid out by the theme's ``cover/cover.html`` and ``css/cover.css``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup
from weasyprint import Document

from ..errors import BuildError
from .isbnbarcode import isbn_barcode_svg
from .svgfonts import themed_svg
from .wrap import WrapGeometry
from .wrapmeasure import line_length, overrun

if TYPE_CHECKING:
    from .typesetter import Typesetter

TOLERANCE = 0.01  # inches a measurement may be off by rounding


def wrap_cover(typesetter: Typesetter, geometry: WrapGeometry) -> Document:
    """The wrap cover of *geometry*, laid out. The spine carries title and author, or
    the title alone, whichever first fits ``geometry.spine_length`` at
    ``geometry.spine_type``, or nothing. Raises BuildError at book.yaml when the back
    cover's text runs into the barcode's box."""
    config = typesetter.book.config
    barcode = barcode_markup(typesetter, config.isbn.get("print", ""), config.isbn_price)
    sheet = typesetter._sheet(typesetter._cover_stylesheet(geometry, geometry.spine_type))
    choices = ["both", "title", ""] if geometry.spine_type else [""]
    for spine_text in choices:
        document = typesetter.layout("cover/cover.html", wrap=True, spine_text=spine_text,
                                     barcode=barcode, sheets=[sheet],
                                     cover_image=typesetter.cover_image)
        if not spine_text or line_length(document, "spine-text") \
                <= geometry.spine_length + TOLERANCE:
            break
    excess = overrun(document, "back-text")
    if excess > TOLERANCE:
        raise back_cover_error(config, excess)
    return document


def barcode_markup(typesetter: Typesetter, isbn: str, price: str) -> Markup:
    """The barcode of *isbn* (and the *price* add-on) as inline SVG in the theme's faces;
    empty without an ISBN (the white box is left for the printer's own)."""
    if not isbn:
        return Markup("")
    svg = themed_svg(isbn_barcode_svg(isbn, price).encode(), typesetter.font_plan)
    text = svg.decode()
    return Markup(text[text.index("<svg"):])


def back_cover_error(config, excess: float) -> BuildError:
    """The error for back-cover text *excess* inches too long, naming what to shorten
    at the first of those settings in book.yaml."""
    names = [name for name, present in (
        ("description", bool(config.description)),
        ("back_cover.note", bool(config.back_cover.note)),
        ("back_cover.endorsements", bool(config.back_cover.endorsements))) if present]
    line = config.line_of("description") if config.description else config.back_cover.line
    return BuildError(
        f"the back cover's text is {excess:.2f} in too long: it would run into the "
        f"barcode's box; shorten {' or '.join(repr(n) for n in names)}",
        config.path, line or 1)
