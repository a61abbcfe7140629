"""A font other than the theme's in a PDF (a system font WeasyPrint fell back to for a
missing glyph) is an error, not a silent change of typeface."""

from __future__ import annotations

import pydyf

from ..errors import BuildError

# Every family the theme and its fallback chain declare is named "Folio …". A colour
# bitmap face (Noto Color Emoji) keeps its own name in the PDF, and text in an SVG
# image falls back through fontconfig, which finds the chain's Noto faces by their
# own names: both are the chain's faces.
THEME_FONT_PREFIXES = ("Folio", "Noto-")


def check_fonts(pdf: pydyf.PDF, prefixes: tuple[str, ...] = THEME_FONT_PREFIXES) -> None:
    foreign = sorted({
        str(obj["BaseFont"]).lstrip("/").split("+")[-1]
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font"
        and "BaseFont" in obj and not any(p in str(obj["BaseFont"]) for p in prefixes)
    })
    if foreign:
        raise BuildError(f"the PDF needed fonts outside the theme ({', '.join(foreign)}): "
                         "some characters are missing from the book's typeface")


def theme_fonts_only():
    """A WeasyPrint finisher that checks the fonts."""

    def finish(_document, pdf: pydyf.PDF) -> None:
        check_fonts(pdf)

    return finish
