"""Which way a spine's lettering runs, by the book's language.

In English-speaking countries, Scandinavia and the Netherlands a spine title runs top
to bottom, so it reads when the book lies face up (ISO 6357:1985 and ANSI/NISO
Z39.41, "Printed information on spines"); in much of continental Europe and Latin
America it runs bottom to top, so it reads on a shelf with the head tilted left
(Wikipedia, "Bookbinding", section "Spine titling"; typophile.com/node/65375 for
German, French and Russian usage). Languages not listed follow the standard."""

from __future__ import annotations

DOWN = "top-to-bottom"
UP = "bottom-to-top"

# Primary language subtags whose books letter their spines bottom to top.
BOTTOM_TO_TOP = frozenset({
    "de", "fr", "it", "es", "pt", "ca", "gl", "eu", "oc",  # western continental Europe
    "pl", "cs", "sk", "hu", "ro", "sl", "hr", "sr", "bs", "bg", "mk",  # central, Balkans
    "ru", "uk", "be", "lt", "lv",  # eastern Europe
})


def spine_direction(language: str) -> str:
    """``DOWN`` or ``UP`` for a BCP 47 tag such as ``en-GB`` or ``de``; a regional
    variant follows its language (``pt-BR`` as ``pt``)."""
    primary = language.split("-")[0].lower()
    return UP if primary in BOTTOM_TO_TOP else DOWN


def spine_rotation(language: str) -> int:
    """The CSS rotation in degrees that sets a horizontal line of lettering along the
    spine: 90 (clockwise: reads downwards, letters' tops towards the front cover)
    or -90 (reads upwards, tops towards the back)."""
    return 90 if spine_direction(language) == DOWN else -90
