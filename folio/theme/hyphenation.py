"""Which languages of a book may be hyphenated, and the CSS that turns hyphenation off
for the others.

The theme sets running text ``hyphens: auto`` (templates/css/book.css). WeasyPrint then
hyphenates each element by its ``lang`` with Pyphen's dictionaries (the LibreOffice
hyphenation patterns), so the PDF and the handouts follow the language of the book and
of every ``[words]{lang=de}`` span or ``<div lang="de">``; a reading system or a browser
uses its own dictionaries for the same ``lang``. For a language Pyphen has no dictionary
for (Arabic, Persian, Finnish, Hebrew, Hindi, Turkish, the tag ``no`` rather than
``nb``/``nn`` …) and for Chinese, Japanese and Korean, whose lines break between
characters and never at a hyphen, the rules made here say ``hyphens: manual`` (only
the soft hyphens an author typed), so no format guesses."""

from __future__ import annotations

import functools

import pyphen

from ..model import Book

# Written without hyphenation whatever a dictionary may hold: lines break between
# characters (CSS Text 3, "hyphens" does not apply to these writing systems).
UNHYPHENATED = frozenset({"zh", "ja", "ko"})


@functools.cache
def hyphenates(language: str) -> bool:
    """Whether text in *language* (a BCP 47 tag) is hyphenated: Pyphen has a dictionary
    for it (``de-CH`` falls back to ``de``) and it is not Chinese, Japanese or Korean."""
    primary = language.split("-")[0].casefold()
    return primary not in UNHYPHENATED and pyphen.language_fallback(language) is not None


def book_languages(book: Book) -> list[str]:
    """The book's language and every other ``lang`` its text uses (sections, notes,
    glossary definitions, chronology events), once each, in order of appearance."""
    found = [book.config.language]
    trees = [s.body for s in book.sections if s.body is not None]
    trees += [note.body for note in book.notes]
    trees += [entry.definition for entry in book.glossary]
    trees += [event.text for event in book.chronology]
    for tree in trees:
        found += [value.strip() for value in tree.xpath(".//@lang") if value.strip()]
    return list(dict.fromkeys(found))


def hyphenation_css(book: Book) -> str:
    """``:lang(xx) { hyphens: manual; }`` for each language of *book* that is not
    hyphenated (see :func:`hyphenates`); empty when every one is."""
    off = [language for language in book_languages(book) if not hyphenates(language)]
    if not off:
        return ""
    selectors = ", ".join(f":lang({_css_ident(language)})" for language in off)
    return ("/* Languages without a hyphenation dictionary, and Chinese, Japanese, Korean */\n"
            f"{selectors} {{ hyphens: manual; }}\n")


def _css_ident(language: str) -> str:
    """*language* as a CSS identifier (a tag from a manuscript is letters, digits and
    hyphens once the configuration and the cleaning have passed it; anything else is
    escaped)."""
    return "".join(c if c.isascii() and (c.isalnum() or c == "-") else f"\\{ord(c):x} "
                   for c in language)
