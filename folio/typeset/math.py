"""Mathematics in the print edition: WeasyPrint does not lay out MathML, so each
formula is drawn as vector SVG by ziamath (pure Python; the STIX Two Math face it
ships, under the SIL Open Font License) from the same MathML the EPUB and the web
book carry, and placed as an image whose alternate text is the formula's linear
reading (``alttext``), which the tagged PDF keeps for assistive technology.

Sizes are in em of the surrounding text, so a formula follows the type size of a
note or a caption; the image sits on the text's baseline."""

from __future__ import annotations

import base64
import logging
from copy import deepcopy
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from ..errors import BuildError
from ..htmltree import HtmlElement

SIZE = 20.0  # the size ziamath draws at, in px; every length below is divided by it


@lru_cache(maxsize=8192)
def formula_image(mathml: str) -> tuple[str, float, float, float]:
    """The SVG of the formula *mathml* (a ``<math>`` element with its namespace) and its
    width, height and depth below the baseline, in em. ValueError when ziamath cannot
    draw it."""
    import ziamath

    logging.getLogger().setLevel(max(logging.getLogger().level, logging.ERROR))
    try:
        drawing = ziamath.Math(mathml, size=SIZE)
        svg = drawing.svg()
    except Exception as error:  # ziamath raises whatever its parser meets
        raise ValueError(f"{type(error).__name__}: {error}") from None
    root = etree.fromstring(svg.encode("utf-8"))
    left, top, width, height = (float(v) for v in root.get("viewBox").split())
    return svg, width / SIZE, height / SIZE, (top + height) / SIZE


def print_math(element: HtmlElement) -> HtmlElement:
    """*element* unchanged when it holds no formula; otherwise a copy in which every
    ``<math>`` is an ``<img class="math">`` of its drawing. BuildError when a formula
    cannot be drawn."""
    if next(element.iter("math"), None) is None:
        return element
    element = deepcopy(element)
    for formula in list(element.iter("math")):
        source = etree.tostring(formula, method="xml", encoding="unicode", with_tail=False)
        alttext = formula.get("alttext", "")
        try:
            svg, width, height, depth = formula_image(source)
        except ValueError as error:
            raise BuildError(f"the formula '{alttext}' cannot be drawn for print: "
                             f"{error}") from None
        block = formula.get("display") == "block"
        image = lxml_html.Element("img", {
            "class": "math math-block" if block else "math",
            "src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode(),
            "alt": alttext,
            "style": f"width:{width:.3f}em;height:{height:.3f}em;"
                     f"vertical-align:{-depth:.3f}em"})
        image.tail = formula.tail
        formula.getparent().replace(formula, image)
    return element
