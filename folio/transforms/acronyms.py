"""Acronyms (NKVD, USSR) are marked so each format can set them in small capitals.

Three capitals or more, not a roman numeral: two-letter groups are too often
initials in a name to be touched."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from ..htmltree import HtmlElement, wrap_matches

_ACRONYM = re.compile(r"(?<![\w-])(?![IVXLCDM]+\b)[A-Z]{3,}s?(?![\w-])")
_SKIP = {"abbr", "code", "pre", "script", "style", "title", "math"}


def mark_acronyms_in(root: HtmlElement) -> None:
    """The acronyms of one text (a section's body, a note …), changed in place."""
    wrap_matches(root, _ACRONYM, _SKIP,
                 lambda match: lxml_html.Element("abbr", {"class": "acronym"}))
