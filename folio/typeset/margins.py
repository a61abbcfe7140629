"""The page margins a printer asks for: the inside margin (gutter, which grows with
the page count, as the binding takes more of a thick book's inner edge) and the
outside margin, at least; a theme's wider margins are kept."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Margins:
    """A page's inside (spine side) and outside margins, in points."""

    inside: float
    outside: float


def margin_rules(theme: Margins, inside: float, outside: float) -> str:
    """CSS that widens the margins of every right and left page to *inside* and
    *outside* points where *theme*'s are narrower ("" when none is). ``!important``:
    a theme's named pages (``@page front:left``) must not set them back."""
    rules: dict[str, list[str]] = {":right": [], ":left": []}
    if theme.inside < inside - 0.01:
        rules[":right"].append(f"margin-left: {inside:.2f}pt !important;")
        rules[":left"].append(f"margin-right: {inside:.2f}pt !important;")
    if theme.outside < outside - 0.01:
        rules[":right"].append(f"margin-right: {outside:.2f}pt !important;")
        rules[":left"].append(f"margin-left: {outside:.2f}pt !important;")
    if not rules[":right"]:
        return ""
    return "\n" + "\n".join(f"@page {side} {{ {' '.join(body)} }}"
                            for side, body in rules.items())
