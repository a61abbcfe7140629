"""The print wrap cover: back (description, note, endorsements, the ISBN's barcode),
spine (title and author when the printer's rule and the spine's room allow) and
front, laid out by the theme's ``cover/cover.html`` and ``css/cover.css``."""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup
from weasyprint import Document

from ..errors import BuildError
from ..theme.fonts import FontPlan
from .isbnbarcode import isbn_barcode_svg
from .svgfonts import themed_svg
from .wrap import WrapGeometry
from .wrapmeasure import line_length, overrun

TOLERANCE = 0.01  # inches a measurement may be off by rounding


def wrap_cover(config, geometry: WrapGeometry,
               lay_out: Callable[[str], Document]) -> Document:
    """The wrap cover of *geometry*, laid out by *lay_out* (given what the spine
    carries: ``both`` title and author, ``title``, or ``""`` nothing). The spine
    carries the first that fits ``geometry.spine_length`` at ``geometry.spine_type``.
    Raises BuildError at *config*'s book.yaml when the back cover's text runs into the
    barcode's box."""
    choices = ["both", "title", ""] if geometry.spine_type else [""]
    for spine_text in choices:
        document = lay_out(spine_text)
        if not spine_text or line_length(document, "spine-text") \
                <= geometry.spine_length + TOLERANCE:
            break
    excess = overrun(document, "back-text")
    if excess > TOLERANCE:
        raise back_cover_error(config, excess)
    return document


def barcode_markup(isbn: str, price: str, plan: FontPlan) -> Markup:
    """The barcode of *isbn* (and the *price* add-on) as inline SVG, its digits in the
    theme's faces (*plan*'s fallbacks after them); empty without an ISBN (the white box
    is left for the printer's own)."""
    if not isbn:
        return Markup("")
    text = themed_svg(isbn_barcode_svg(isbn, price).encode(), plan).decode()
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
