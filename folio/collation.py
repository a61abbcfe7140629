"""Sorting and letter groups by the book's language, with ICU (PyICU).

The order is the Unicode Collation Algorithm as tailored by CLDR for the language
(ICU's ``Collator``): German sorts ä with a, Swedish å, ä, ö after z, Spanish ñ after
n, Danish æ, ø, å after z. Case and accents only break ties (the first level is the
letters). The order is word by word, as the Chicago Manual of Style prefers (16.58):
a space sorts before any letter ("Marx, Karl" before "Marxism") and punctuation is
left out ("“Quoted”" sorts under Q, "Trotskyite-Zinovievite" as one word). Digits
sort by their value ("2" before "10"). In English a leading article (the, a, an) is
left out of the key (16.52).

The letter groups are ICU's ``AlphabeticIndex`` for the language (CLDR's index
characters): A–Z in English and German (Ä under A), A–Z then Å, Ä, Ö in Swedish, Ñ
of its own in Spanish, the kana rows in Japanese. Entries that begin with a symbol or
a digit go before the letters, in a group of symbols, headed by CLDR's name for them
in the language ("Zeichen" in German), and then one of numbers, headed "0–9" in the
language's own digits ("٠–٩" in Arabic); entries in a script the language's index has
no letters for go last, under CLDR's word for "other" ("Andere").
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

import icu

T = TypeVar("T")

# Leading articles left out of the sort key, by language (primary subtag).
ARTICLES: dict[str, re.Pattern[str]] = {
    "en": re.compile(r"^(the|a|an)\s+", re.IGNORECASE),
}

SYMBOLS, DIGITS, LETTER, OTHER = "symbols", "digits", "letter", "other"


@dataclass
class Group(Generic[T]):
    """One letter group of an index or glossary: its heading as printed (``"Ä"``,
    ``"Ziffern"``), its *kind* (``letter``, ``symbols``, ``digits`` or ``other``), a
    name safe in an id (``"a"``, ``"c4"`` for Ä, ``"digits"``) and its items, in
    order."""

    label: str
    kind: str
    slug: str
    items: list[T] = field(default_factory=list)


def locale(language: str) -> icu.Locale:
    """ICU's locale for a BCP 47 tag (``de``, ``sv-FI``, ``zh-Hant``)."""
    return icu.Locale.forLanguageTag(language)


@functools.cache
def _collator(language: str) -> icu.Collator:
    collator = icu.Collator.createInstance(locale(language))
    # Numbers by value: "Chapter 2" before "Chapter 10".
    collator.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
    return collator


@functools.cache
def _index(language: str) -> icu.ImmutableIndex:
    return icu.AlphabeticIndex(locale(language)).buildImmutableIndex()


@functools.cache
def _character_labels(language: str) -> dict[str, str]:
    """The headings of the groups that are no letter, in *language*: CLDR's names for
    symbols and for other scripts, capitalised, and the span of the language's digits."""
    labels = {SYMBOLS: "Symbols", DIGITS: "0–9", OTHER: "Other"}
    try:
        bundle = icu.ResourceBundle("", locale(language)).getWithFallback("characterLabel")
        for kind, key in ((SYMBOLS, "symbols"), (OTHER, "other")):
            word = bundle.getWithFallback(key).getString()
            labels[kind] = word[:1].upper() + word[1:]
        digits = icu.NumberingSystem.createInstance(locale(language)).getDescription()
        if len(digits) == 10:
            labels[DIGITS] = f"{digits[0]}–{digits[9]}"
    except icu.ICUError:
        pass
    return labels


def sort_text(text: str, language: str) -> str:
    """The words a heading is sorted by: without punctuation, white space made one
    space, and without a leading article where the language leaves it out."""
    text = "".join(c for c in text if unicodedata.category(c)[0] != "P")
    text = " ".join(text.split())
    article = ARTICLES.get(language.split("-")[0].casefold())
    return article.sub("", text) if article else text


def sort_key(text: str, language: str = "en") -> tuple[bytes, str]:
    """The key that sorts *text* as an index or glossary of *language* does (ICU's
    collation key of :func:`sort_text`; the text itself breaks a tie)."""
    return (_collator(language).getSortKey(sort_text(text, language)), text)


def _bucket(text: str, language: str) -> tuple[str, str]:
    """The group of *text*: its kind and its label."""
    stripped = sort_text(text, language) or text
    index = _index(language)
    label, kind = index.getBucket(index.getBucketIndex(stripped))
    if kind == icu.UAlphabeticIndexLabelType.NORMAL:
        return LETTER, label
    labels = _character_labels(language)
    first = stripped[:1]
    if kind == icu.UAlphabeticIndexLabelType.UNDERFLOW:
        group = DIGITS if unicodedata.category(first) == "Nd" else SYMBOLS
        return group, labels[group]
    return OTHER, labels[OTHER]


def sort(items: Iterable[T], text: Callable[[T], str], language: str) -> list[T]:
    """*items* in the order of *language*, each sorted by ``text(item)``."""
    return sorted(items, key=lambda item: sort_key(text(item), language))


def groups(items: Iterable[T], text: Callable[[T], str], language: str) -> list[Group[T]]:
    """*items* sorted (:func:`sort`) and cut into the letter groups of *language*, in
    order: symbols, digits, the letters, other scripts. ``text(item)`` is what an item
    is sorted and grouped by (an author's sort key where there is one)."""
    made: dict[tuple[str, str], Group[T]] = {}
    for item in sort(items, text, language):
        kind, label = _bucket(text(item), language)
        if (kind, label) not in made:
            made[kind, label] = Group(label, kind, _slug(kind, label))
        made[kind, label].items.append(item)
    order = {SYMBOLS: 0, DIGITS: 1, LETTER: 2, OTHER: 3}
    # The letters come out of the sort in the language's order already; a stable sort
    # only moves the symbols and digits first and other scripts last.
    return sorted(made.values(), key=lambda group: order[group.kind])


def _slug(kind: str, label: str) -> str:
    if kind != LETTER:
        return kind
    if label.isascii() and label.isalnum():
        return label.casefold()
    return "-".join(f"{ord(c):x}" for c in label)
