"""The EAN-13 barcode of an ISBN, with an optional five-digit price add-on (EAN-5),
as inline SVG for the back cover.

The EAN-13 symbol is python-barcode's (its SVG writer, human-readable digits grouped
under the bars); the add-on, which python-barcode does not make, is drawn here from
the same character sets (python-barcode's ``charsets.ean``) by the rules of GS1
General Specifications §5.2.3.5 (EAN-5: start 01011, a 01 separator between digits,
each digit in set A or B by a parity pattern its checksum picks; 7 to 12 modules of
space after the main symbol). Lengths are millimetres unless said otherwise."""

from __future__ import annotations

from barcode import EAN13
from barcode.charsets import ean as charsets
from barcode.writer import SVGWriter
from lxml import etree

MODULE = 0.28  # mm: a module, 85 % of the nominal 0.33 mm (GS1 allows 80 to 200 %)
BAR_HEIGHT = 17.0  # mm: the bars' height (the box is 1.2 in tall, with text above)
QUIET_LEFT, QUIET_RIGHT = 11, 7  # modules of light margin either side (GS1)
ADD_ON_GAP = 9  # modules between the main symbol and the add-on
ADD_ON_QUIET = 5  # modules of light margin after the add-on
DIGITS_PT = 8.0  # the human-readable digits' size in points
# The add-on's parity (A or B a digit) by its checksum, GS1 Figure 5.2.3.5-1.
ADD_ON_PARITY = ("BBAAA", "BABAA", "BAABA", "BAAAB", "ABBAA",
                 "AABBA", "AAABB", "ABABA", "ABAAB", "AABAB")
SVG = "http://www.w3.org/2000/svg"


def add_on_modules(price: str) -> str:
    """The EAN-5 add-on of the five digits *price* as modules ('1' dark, '0' light)."""
    digits = [int(d) for d in price]
    check = (3 * (digits[0] + digits[2] + digits[4]) + 9 * (digits[1] + digits[3])) % 10
    pattern = ADD_ON_PARITY[check]
    return "01011" + "01".join(charsets.CODES[pattern[i]][d] for i, d in enumerate(digits))


def isbn_barcode_svg(isbn: str, price: str = "") -> str:
    """An SVG element (text, without an XML declaration) drawing the EAN-13 of *isbn*
    (ISBN-13, hyphens allowed) and, with *price* (five digits, such as ``51995`` for
    US$19.95 or ``90000`` for no price), its add-on. Its width and height are in mm."""
    digits = isbn.replace("-", "")
    writer = SVGWriter()
    options = {"module_width": MODULE, "module_height": BAR_HEIGHT,
               "quiet_zone": QUIET_LEFT * MODULE, "font_size": DIGITS_PT,
               "text_distance": 2.5, "margin_top": 4.0 if price else 1.0,
               "margin_bottom": 0.5, "guard_height_factor": 1.08}
    code = EAN13(digits, writer=writer, guardbar=True)
    root = etree.fromstring(code.render(options),
                            etree.XMLParser(resolve_entities=False, no_network=True))
    width = QUIET_LEFT * MODULE + 95 * MODULE + QUIET_RIGHT * MODULE
    group = root.find(f"{{{SVG}}}g")
    if price:
        start = (QUIET_LEFT + 95 + ADD_ON_GAP) * MODULE
        top = options["margin_top"]
        modules = add_on_modules(price)
        for index, module in enumerate(modules):
            if module == "1":
                etree.SubElement(group, f"{{{SVG}}}rect", x=f"{start + index * MODULE:.3f}mm",
                                 y=f"{top:.3f}mm", width=f"{MODULE:.3f}mm",
                                 height=f"{BAR_HEIGHT * 1.08:.3f}mm", style="fill:black;")
        label = etree.SubElement(group, f"{{{SVG}}}text",
                                 x=f"{start + len(modules) * MODULE / 2:.3f}mm",
                                 y=f"{top - 0.8:.3f}mm",
                                 style=f"fill:black;font-size:{DIGITS_PT}pt;"
                                       "text-anchor:middle;")
        label.text = price
        width = start + (len(modules) + ADD_ON_QUIET) * MODULE
    root.set("width", f"{width:.3f}mm")
    for comment in root.xpath("//comment()"):
        comment.getparent().remove(comment)
    return etree.tostring(root, encoding="unicode")
