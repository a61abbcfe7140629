"""The message catalogues: which exist, which one a language tag uses, what one holds.

A catalogue is ``catalogues/<tag>.yaml``: ``locale`` (the CLDR locale for dates,
numbers and plural rules when the book's tag names no region) and ``messages``, a
mapping from message id to text with ``{placeholders}``, or, for a message that
shows a count, to a mapping of CLDR plural categories (``one``, ``few``, ``many``,
``other``…) to text. English (``en.yaml``) holds every id; the others translate it.

Tags resolve by BCP 47 lookup (RFC 4647 § 3.4): the longest match of
language-script-region, then language-script, language-region, language; Chinese
without a script is Simplified unless its region writes Traditional (TW, HK, MO);
Norwegian Bokmål and Nynorsk (nb, nn) use the Norwegian catalogue (no)."""

from __future__ import annotations

import string
from functools import cache
from pathlib import Path

import yaml

CATALOGUES = Path(__file__).resolve().parent / "catalogues"
ENGLISH = "en"
PLURAL_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
# The words of cross-references (and the print edition's "on p.") may hold {n}, the
# number, where a language puts it inside or before the word ("第{n}章", "{n}. ábra",
# "{n}쪽"); without it the number follows.
NUMBERED_WORDS = frozenset({"figure", "figures", "table", "tables", "equation", "equations",
                            "section", "sections", "chapter", "chapters", "appendix",
                            "appendices", "on_page"})
_TRADITIONAL_REGIONS = {"TW", "HK", "MO"}
_NORWEGIAN = {"nb", "nn", "no"}

Message = str | dict[str, str]


@cache
def available() -> tuple[str, ...]:
    """The tags that have a catalogue ("en", "fr", "zh-Hant" …), sorted."""
    return tuple(sorted(p.stem for p in CATALOGUES.glob("*.yaml")))


@cache
def load_catalogue(tag: str) -> tuple[str, dict[str, Message]]:
    """The catalogue of *tag* (one of :func:`available`): (CLDR locale, messages).
    Raises ValueError when the file is not a catalogue (a fault of Folio's own
    files, which the tests guard)."""
    data = yaml.safe_load((CATALOGUES / f"{tag}.yaml").read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("messages"), dict):
        raise ValueError(f"catalogue {tag}: 'messages' must be a mapping")
    messages = {str(k): v if isinstance(v, dict) else str(v)
                for k, v in data["messages"].items()}
    return str(data.get("locale") or tag.replace("-", "_")), messages


def subtags(tag: str) -> tuple[str, str | None, str | None]:
    """(language, script, region) of a BCP 47 tag, normalised: ("zh", "Hant", "TW")."""
    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    script = next((p.title() for p in parts[1:] if len(p) == 4 and p.isalpha()), None)
    region = next((p.upper() for p in parts[1:]
                   if (len(p) == 2 and p.isalpha()) or (len(p) == 3 and p.isdigit())), None)
    return language, script, region


def resolve(tag: str) -> str | None:
    """The catalogue a language tag uses ("pt-BR" → "pt", "zh-TW" → "zh-Hant",
    "nb" → "no"); None when no catalogue serves the language."""
    language, script, region = subtags(tag)
    if language in _NORWEGIAN:
        language = "no"
    if language == "zh" and script is None:
        script = "Hant" if region in _TRADITIONAL_REGIONS else "Hans"
    candidates = [f"{language}-{script}-{region}" if script and region else None,
                  f"{language}-{script}" if script else None,
                  f"{language}-{region}" if region else None, language]
    known = set(available())
    return next((c for c in candidates if c is not None and c in known), None)


def placeholders(message: Message) -> set[str]:
    """The ``{names}`` a message uses (in any of its plural forms)."""
    texts = message.values() if isinstance(message, dict) else [message]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(str(text))
            if name}
