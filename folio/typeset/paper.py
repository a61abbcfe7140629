"""Paper sizes in points, from the CSS-like sizes a book's configuration names."""

from __future__ import annotations

import re

POINTS = {"pt": 1.0, "in": 72.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "pc": 12.0, "px": 0.75}
NAMED = {"a4": ("210mm", "297mm"), "a5": ("148mm", "210mm"), "a6": ("105mm", "148mm"),
         "b5": ("176mm", "250mm"), "letter": ("8.5in", "11in"), "legal": ("8.5in", "14in")}


def length(text: str) -> float:
    """A CSS length (``6in``, ``3mm``) in points."""
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(pt|in|mm|cm|pc|px)", text.strip())
    if not match:
        raise ValueError(f"not a length: {text!r}")
    return float(match[1]) * POINTS[match[2]]


def page_size(trim: str) -> tuple[float, float]:
    """Width and height in points of a trim such as ``6in 9in`` or ``A5``."""
    parts = trim.split()
    if len(parts) == 1:
        parts = list(NAMED[parts[0].lower()])
    return length(parts[0]), length(parts[1])


def pt(value: float) -> str:
    return f"{value:.2f}pt"
