"""A font other than the theme's in a PDF (a system font WeasyPrint fell back to for a
missing glyph) is an error, not a silent change of typeface."""

from __future__ import annotations

import pydyf

from ..errors import BuildError

THEME_FONT_PREFIX = "Folio"  # every family the theme declares is named "Folio …"


def check_fonts(pdf: pydyf.PDF, prefix: str = THEME_FONT_PREFIX) -> None:
    foreign = sorted({
        str(obj["BaseFont"]).lstrip("/").split("+")[-1]
        for obj in pdf.objects
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font"
        and "BaseFont" in obj and prefix not in str(obj["BaseFont"])
    })
    if foreign:
        raise BuildError(f"the PDF needed fonts outside the theme ({', '.join(foreign)}): "
                         "some characters are missing from the book's typeface")


def theme_fonts_only():
    """A WeasyPrint finisher that checks the fonts."""

    def finish(_document, pdf: pydyf.PDF) -> None:
        check_fonts(pdf)

    return finish
