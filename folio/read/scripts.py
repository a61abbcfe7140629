"""What a book's language asks of its layout: the writing direction and whether it
is set without spaces between words (Chinese, Japanese).

The languages written right to left are those whose ``characterOrder`` the Unicode
CLDR (version 49) gives as right-to-left; a tag with a script subtag decides by the
script (``az-Arab`` is right to left, ``ku-Latn`` left to right). The list is kept
here rather than read from a locale library at run time: the build reads no file
outside the book and the toolchain (a locale library's time-zone lookup would).
"""

from __future__ import annotations

LTR, RTL = "ltr", "rtl"
DIRECTIONS = (LTR, RTL)
# CLDR 49, characterOrder right-to-left (without a script subtag); iw and ji are the
# former codes of Hebrew and Yiddish.
_RTL_LANGUAGES = frozenset({
    "apc", "ar", "ary", "bal", "bgn", "bqi", "brh", "ckb", "dv", "fa", "he", "iw", "ji",
    "ks", "lrc", "mzn", "nqo", "ps", "rhg", "sd", "sdh", "skr", "syr", "trw", "ug", "ur",
    "yi",
})
# Scripts written right to left (ISO 15924): Arabic, Hebrew, Syriac, Thaana, N'Ko,
# Adlam, Hanifi Rohingya, Mandaic, Samaritan.
_RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm", "rohg", "mand",
                          "samr"})
# Languages set without spaces between words whose lines break between any two
# characters (UAX #14), with punctuation that must not start or end a line
# (JIS X 4051 for Japanese, GB/T 15834 for Chinese).
_CJK_LANGUAGES = frozenset({"ja", "zh", "yue", "ko"})


def language_direction(tag: str) -> str:
    """``"rtl"`` or ``"ltr"``: the direction of *tag*, a BCP 47 language tag
    (``ar``, ``he-IL``, ``az-Arab``); an unknown language is left to right."""
    subtags = tag.replace("_", "-").lower().split("-")
    script = next((s for s in subtags[1:] if len(s) == 4 and s.isalpha()), None)
    if script is not None:
        return RTL if script in _RTL_SCRIPTS else LTR
    return RTL if subtags[0] in _RTL_LANGUAGES else LTR


def is_cjk(tag: str) -> bool:
    """Whether *tag* names Chinese, Japanese or Korean (``ja``, ``zh-Hant``, ``ko``)."""
    return tag.replace("_", "-").split("-")[0].lower() in _CJK_LANGUAGES
