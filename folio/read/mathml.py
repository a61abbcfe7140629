"""Mathematics: the MathML pandoc's converter (texmath) writes for each TeX formula,
cleaned to MathML Core's presentation elements and put in the place the Lua reader
marked (``<span class="folio-math" data-math="N">``, see filters/mathml.lua).

A manuscript's own raw MathML is still removed by the HTML cleaning (``sanitize``):
the only MathML in a book is what the converter made from its TeX, and every
formula carries ``alttext``, a plain linear reading of it (``x² + 1``, ``(a)/(b)``),
never its TeX source. Elements and attributes: MathML Core
(https://www.w3.org/TR/mathml-core/), which current browsers and EPUB 3 reading
systems render."""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from ..errors import find_line
from ..htmltree import fragment, inner_html
from ..model import TextFault

NAMESPACE = "http://www.w3.org/1998/Math/MathML"
# MathML Core's presentation elements (semantics and annotations are left out: pandoc's
# annotation holds the TeX source).
ELEMENTS = frozenset({
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "mfrac", "msqrt", "mroot",
    "msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts",
    "mprescripts", "none", "mtable", "mtr", "mtd", "mstyle", "mpadded", "mphantom",
    "merror",
})
ATTRIBUTES = frozenset({
    "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace",
    "form", "accent", "accentunder", "largeop", "movablelimits", "symmetric", "minsize",
    "maxsize", "linethickness", "columnalign", "rowalign", "columnspacing", "rowspacing",
    "columnlines", "rowlines", "frame", "scriptlevel", "displaystyle", "width", "height",
    "depth", "voffset", "columnspan", "rowspan",
})
_SUPERSCRIPTS = str.maketrans("0123456789+-−=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁱⁿ")
_SUBSCRIPTS = str.maketrans("0123456789+-−=()", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎")
_SPACED = set("=+−±×÷<>≤≥≈≠→←⇒⇔∈∉⊂⊆∪∩")


def clean_mathml(markup: str) -> lxml_html.HtmlElement:
    """The formula *markup* (one ``<math>`` element, as pandoc writes it) as an element
    of an HTML tree: MathML Core elements and attributes only (others go, their
    content kept), ``xmlns`` (XHTML needs it) and ``alttext`` set. ValueError when it
    is no MathML."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        source = etree.fromstring(markup.encode("utf-8"), parser)
    except etree.XMLSyntaxError as error:
        raise ValueError(f"the converter's MathML does not parse: {error}") from None
    if etree.QName(source).localname != "math":
        raise ValueError("the converter's output is no <math> element")
    element = _copy(source)
    element.set("xmlns", NAMESPACE)
    text = linear_text(element)
    if text:
        element.set("alttext", text)
    return element


def _copy(source: etree._Element) -> lxml_html.HtmlElement:
    """*source* and what it holds, rebuilt as HTML-tree elements without namespaces."""
    name = etree.QName(source).localname
    element = lxml_html.Element(name if name in ELEMENTS else "mrow")
    for key, value in source.attrib.items():
        local = etree.QName(key).localname
        if local in ATTRIBUTES and "\n" not in value:
            element.set(local, value)
    element.text = source.text
    for child in source:
        if not isinstance(child.tag, str):  # a comment or processing instruction
            continue
        copied = _copy(child)
        copied.tail = child.tail
        element.append(copied)
    return element


def place_formulas(markup: str, formulas: list[str]) -> str:
    """*markup* (a cleaned HTML fragment) with each marker ``<span class="folio-math"
    data-math="N">`` replaced by formula N of *formulas* (MathML, 1-based); a marker
    that names no formula, or one already placed (written by hand), is unmarked."""
    if "folio-math" not in markup:
        return markup
    root = fragment(markup)
    placed: set[str] = set()
    for marker in root.xpath(".//span[@class='folio-math']"):
        number = marker.get("data-math", "")
        if number.isdigit() and 1 <= int(number) <= len(formulas) and number not in placed:
            placed.add(number)
            formula = clean_mathml(formulas[int(number) - 1])
            formula.tail = marker.tail
            marker.getparent().replace(marker, formula)
        else:
            marker.attrib.pop("class")
            marker.attrib.pop("data-math", None)
    return inner_html(root)


def linear_text(element: etree._Element) -> str:
    """A plain reading of the formula *element* for assistive technology and for the
    PDF's alternate text: ``x² + y²``, ``(−b ± √(b² − 4ac))/(2a)``, ``∑_(i=1)^n i``."""
    text = _linear(element).translate(_INVISIBLE)
    return " ".join(text.split())


# Function application and the other invisible operators read as a space; accents
# over a letter become combining marks (û, x̄, v⃗).
_INVISIBLE = str.maketrans({"\u2061": " ", "\u2062": "", "\u2063": ", ", "\u2064": "+"})
_ACCENTS = {"^": "\u0302", "\u02c6": "\u0302", "\u0302": "\u0302", "~": "\u0303",
            "\u02dc": "\u0303", "\u00af": "\u0304", "\u203e": "\u0304",
            "\u2192": "\u20d7", "\u02d9": "\u0307", "\u00a8": "\u0308"}


def _linear(element: etree._Element) -> str:
    name = etree.QName(element).localname if isinstance(element.tag, str) else ""
    children = [c for c in element if isinstance(c.tag, str)]
    parts = [_linear(child) for child in children]
    if name in ("mi", "mn", "mtext", "ms"):
        text = "".join(element.itertext())
        return f" {text} " if name == "mi" and len(text) > 1 else text  # sin, log
    if name == "mo":
        symbol = "".join(element.itertext()).strip()
        return f" {symbol} " if symbol in _SPACED else symbol
    if name == "mspace":
        return " "
    if name == "mfrac" and len(parts) == 2:
        return f"{_grouped(parts[0])}/{_grouped(parts[1])}"
    if name == "msqrt":
        return f"√{_grouped(''.join(parts), always=len(parts) > 1)}"
    if name == "mroot" and len(parts) == 2:
        return f"root {_grouped(parts[1])} of {_grouped(parts[0])}"
    if name == "mover" and len(parts) == 2 and parts[1].strip() in _ACCENTS:
        return parts[0] + _ACCENTS[parts[1].strip()]
    if name in ("msup", "mover") and len(parts) == 2:
        return parts[0] + _script(parts[1], _SUPERSCRIPTS, "^")
    if name in ("msub", "munder") and len(parts) == 2:
        return parts[0] + _script(parts[1], _SUBSCRIPTS, "_")
    if name in ("msubsup", "munderover") and len(parts) == 3:
        return parts[0] + _script(parts[1], _SUBSCRIPTS, "_") + _script(
            parts[2], _SUPERSCRIPTS, "^") + (" " if name == "munderover" else "")
    if name == "mtable":
        return "[" + "; ".join(parts) + "]"
    if name == "mtr":
        return ", ".join(parts)
    if name == "mphantom":
        return ""
    return "".join(parts)


def _grouped(text: str, always: bool = False) -> str:
    text = " ".join(text.split())
    plain = not any(c in text for c in " +−-±=/,()")
    return f"({text})" if always or (len(text) > 1 and not plain) else text


def _script(text: str, table: dict[int, str], mark: str) -> str:
    text = " ".join(text.split())
    translated = text.translate(table)
    if text and all(ord(c) in table for c in text):
        return translated
    if len(text) == 1 and text.isalpha() and mark == "^" and text in "in":
        return translated
    return f"{mark}{_grouped(text)}"


def formula_faults(fragments: list) -> list[TextFault]:
    """E001 for each formula of *fragments* (``pandoc.Fragment``) the converter could
    not read, at the first line of its file that holds its TeX."""
    faults = []
    for parsed in fragments:
        for tex, why in parsed.math_errors:
            first = tex.strip().splitlines()[0] if tex.strip() else tex
            line = find_line(parsed.source, re.escape(first.strip())) if first.strip() else None
            faults.append(TextFault("E001", parsed.source, line, formula_message(tex, why)))
    return faults


def formula_message(tex: str, why: str) -> str:
    """What is said of the formula *tex* that the converter could not read, and *why*."""
    return f"the formula '{_short(tex)}' is not TeX mathematics the converter can read: {why}"


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"
