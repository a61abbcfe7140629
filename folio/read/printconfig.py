"""``print:`` in book.yaml: the printer the print interior is made for, its paper and
its inks.

    print:
      printer: kdp            # kdp | ingramspark | lulu | generic (pdf.trim, pdf.bleed)
      paper: white            # white | cream | colour, as the printer offers
      colour: black-and-white # black-and-white (text in black ink only) | colour

A printer's rules (trims, bleed, margins, page counts, PDF/X) are in
``folio.typeset.printers``; a ``pdf.trim`` the printer does not print is an error at
its line, naming the trims it does.
"""

from __future__ import annotations

from collections.abc import Callable

from ..typeset.printers import PRINT_DEFAULTS, PRINTERS
from .yamlfile import LineDict

COLOURS = ("black-and-white", "colour")


def load_print(data: LineDict, error: Callable[..., None], trim: str) -> dict[str, str]:
    """The ``print`` settings of *data* (book.yaml), defaults filled in; each bad value
    reported through *error* (message, key, line) and the default kept. *trim* is the
    book's ``pdf.trim``, checked against the printer's trims."""
    settings = dict(PRINT_DEFAULTS)
    section = data.get("print")
    if section is None:
        return settings
    if not isinstance(section, LineDict):
        error("'print' must be a mapping (printer: kdp, paper: white, colour: "
              "black-and-white)", "print")
        return settings
    for key, value in section.items():
        line = section.line_of(key)
        if key not in PRINT_DEFAULTS:
            error(f"unknown setting 'print.{key}' (known: {', '.join(PRINT_DEFAULTS)})",
                  line=line)
        elif not isinstance(value, str) or not value.strip():
            error(f"'print.{key}' must be a word such as '{PRINT_DEFAULTS[key]}'", line=line)
        else:
            settings[key] = value.strip().lower()
    if settings["printer"] not in PRINTERS:
        error(f"unknown printer '{settings['printer']}' in 'print.printer' (known: "
              f"{', '.join(PRINTERS)})", line=section.line_of("printer"))
        return dict(PRINT_DEFAULTS)
    printer = PRINTERS[settings["printer"]]
    if settings["paper"] not in printer.papers:
        error(f"{printer.title} has no paper '{settings['paper']}' (known: "
              f"{', '.join(printer.papers)})", line=section.line_of("paper"))
        settings["paper"] = PRINT_DEFAULTS["paper"]
    if settings["colour"] not in COLOURS:
        error(f"'print.colour' must be black-and-white or colour, not "
              f"'{settings['colour']}'", line=section.line_of("colour"))
        settings["colour"] = PRINT_DEFAULTS["colour"]
    elif settings["colour"] not in printer.colour:
        error(f"{printer.title} prints no '{settings['colour']}' interior (it prints: "
              f"{', '.join(printer.colour)})", line=section.line_of("colour"))
    _check_trim(printer, trim, data, section, error)
    return settings


def _check_trim(printer, trim: str, data: LineDict, section: LineDict, error) -> None:
    """An error unless *trim* is one of *printer*'s, at ``pdf.trim``'s line (or the
    printer's, when the trim is the default)."""
    from ..typeset.paper import page_size

    try:
        width, height = (value / 72 for value in page_size(trim))
    except (ValueError, KeyError):
        return  # a malformed trim is reported by the pdf settings
    if printer.allows_trim(width, height):
        return
    pdf = data.get("pdf")
    line = pdf.line_of("trim") if isinstance(pdf, LineDict) and "trim" in pdf else None
    error(f"{printer.title} does not print a trim of {round(width, 2):g} × {round(height, 2):g} in "
          f"('pdf.trim'); its trims: {printer.trim_names()}",
          line=line or section.line_of("printer"))
