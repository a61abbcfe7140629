"""Bidi isolation of the numbers and labels Folio inserts into a right-to-left
book's pages (EPUB and web book).

A note reference, a cross-reference ("Figure 1.1", "Chapter 3"), a page number, an
index locator ("n. 2") or a caption's label is a run of its own between words of
the other direction; without isolation the Unicode Bidirectional Algorithm lets it
join its neighbours, so that "chapter 3." may print as ".3 chapter" or a note
number jump to the far side of a Latin word. Each is wrapped in ``<bdi>`` (UAX #9
isolates, HTML's bdi element): markup, because EPUB 3 style sheets may not use
``direction`` or ``unicode-bidi`` (EPUBCheck CSS-001)."""

from __future__ import annotations

import re

# A link whose words hold a digit (every link Folio makes with a number in it: note
# references and back-links, cross-references, page numbers, index locators, the
# chapters an event or a glossary term names); links never nest.
_NUMBERED_LINK = re.compile(r"(<a\b[^>]*>)((?:(?!</a>).)*?\d(?:(?!</a>).)*?)(</a>)", re.S)
# Caption and equation labels: "Figure 1.1:", "(2.1)".
_LABEL = re.compile(r'(<span class="(?:caption-label|equation-number)"[^>]*>)(.*?)(</span>)',
                    re.S)


def isolate_inserted_numbers(markup: str) -> str:
    """*markup* (an XHTML or HTML page) with the content of every numbered link and
    every caption or equation label wrapped in ``<bdi>``; one already isolated is
    left as it is."""
    def wrap(match: re.Match) -> str:
        opening, content, closing = match.groups()
        if content.startswith("<bdi>"):
            return match[0]
        return f"{opening}<bdi>{content}</bdi>{closing}"

    return _LABEL.sub(wrap, _NUMBERED_LINK.sub(wrap, markup))
