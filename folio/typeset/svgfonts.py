"""Text in SVG images drawn with the theme's faces.

A diagram names the fonts of the machine it was drawn on (Helvetica, Arial,
"DejaVu Sans", serif…). In the PDF, WeasyPrint draws SVG text itself, and a font
the theme does not declare would come from the system, so each family is
mapped to the theme's: serif faces to "Folio Serif", monospaced ones to "Folio
Mono", every other to "Folio Sans", followed by the fallback chain the book's
characters need. (In the EPUB and the web book an SVG shown as an image is a
document of its own that cannot reach the book's fonts: there the reading
system's fonts draw its text.)"""

from __future__ import annotations

import re

from lxml import etree

from ..theme.fonts import FontPlan

SERIF = re.compile(r"serif|times|georgia|garamond|palatino|cambria|libertine|minion|"
                   r"book|roman", re.IGNORECASE)
SANS = re.compile(r"sans", re.IGNORECASE)
MONO = re.compile(r"mono|courier|consol|menlo|code|typewriter", re.IGNORECASE)
_STYLE_FAMILY = re.compile(r"(font-family\s*:\s*)([^;}\"]+(?:\"[^\"]*\"[^;}\"]*)*)")
_STYLE_FONT = re.compile(r"(\bfont\s*:[^;}]*?)([\w\"' -]+(?:,[\w\"' -]+)*)\s*(?=;|}|$)")


def theme_family(families: str) -> str:
    """The theme family that stands for a CSS family list (its first entry decides)."""
    first = families.split(",")[0].strip().strip("\"'")
    if MONO.search(first):
        return "Folio Mono"
    if SERIF.search(first) and not SANS.search(first):
        return "Folio Serif"
    return "Folio Sans"


def themed_svg(data: bytes, plan: FontPlan) -> bytes:
    """*data* (a cleaned SVG) with every font family the theme's, then *plan*'s."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return data
    chain = "".join(f', "{family}"' for family in plan.families)

    def family_list(families: str) -> str:
        return f'"{theme_family(families)}"{chain}'

    if root.get("font-family") is None:
        root.set("font-family", family_list("sans-serif"))
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("font-family") is not None:
            element.set("font-family", family_list(element.get("font-family")))
        style = element.get("style")
        if style and "font" in style:
            element.set("style", _STYLE_FAMILY.sub(
                lambda m: m[1] + family_list(m[2]), style))
        if etree.QName(element).localname == "style" and element.text:
            element.text = _STYLE_FAMILY.sub(lambda m: m[1] + family_list(m[2]), element.text)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")
