"""What a book's language asks of its layout: the writing direction and whether it
is set without spaces between words (Chinese, Japanese).

The direction of a language comes from the Unicode CLDR (``characterOrder``, read
through Babel): Arabic, Hebrew, Persian, Urdu, Yiddish, Pashto, Sindhi, Kurdish in
Arabic script … are right to left. A tag with a script subtag decides by the script
(``az-Arab`` is right to left, ``ku-Latn`` left to right).
"""

from __future__ import annotations

from babel import Locale, UnknownLocaleError

LTR, RTL = "ltr", "rtl"
DIRECTIONS = (LTR, RTL)
# Scripts written right to left (ISO 15924), for a tag whose language CLDR lacks.
_RTL_SCRIPTS = {"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand", "samr"}
# Languages set without spaces between words whose lines break between any two
# characters (UAX #14), with punctuation that must not start or end a line
# (JIS X 4051 for Japanese, GB/T 15834 for Chinese).
_CJK_LANGUAGES = {"ja", "zh", "yue", "ko"}


def language_direction(tag: str) -> str:
    """``"rtl"`` or ``"ltr"``: the direction of *tag*, a BCP 47 language tag
    (``ar``, ``he-IL``, ``az-Arab``); an unknown language is left to right."""
    subtags = tag.replace("_", "-").split("-")
    script = next((s for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    if script is not None:
        return RTL if script.lower() in _RTL_SCRIPTS else LTR
    try:
        locale = Locale.parse(subtags[0].lower())
    except (UnknownLocaleError, ValueError):
        return LTR
    return RTL if locale.character_order == "right-to-left" else LTR


def is_cjk(tag: str) -> bool:
    """Whether *tag* names Chinese, Japanese or Korean (``ja``, ``zh-Hant``, ``ko``)."""
    return tag.replace("_", "-").split("-")[0].lower() in _CJK_LANGUAGES
