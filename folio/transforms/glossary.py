"""Glossary links: the first use of each term in each chapter links to its entry."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from ..htmltree import HEADINGS, wrap_matches
from ..model import CHAPTER, Book, GlossaryEntry, Place

# Never link inside a heading, a link, or code.
_SKIP = HEADINGS | {"a", "code", "pre", "script", "style"}


def link_glossary_terms(book: Book) -> None:
    if not book.glossary:
        return
    by_form: dict[str, GlossaryEntry] = {}
    for entry in book.glossary:
        for form in [entry.term, *entry.aliases]:
            by_form.setdefault(_normal(form), entry)
    forms = sorted(by_form, key=len, reverse=True)
    alternatives = "|".join(re.escape(f).replace("'", "['’]") for f in forms)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)
    counter = 0
    for section in book.sections:
        if section.kind != CHAPTER:
            continue
        linked: set[str] = set()

        def make(match: re.Match[str], section=section, linked=linked):
            nonlocal counter
            entry = by_form[_normal(match.group(0))]
            if entry.id in linked:
                return None
            linked.add(entry.id)
            counter += 1
            anchor = f"glossref-{counter}"
            entry.uses.append(Place(anchor, section.id))
            return lxml_html.Element("a", {
                "href": f"#{entry.anchor}", "id": anchor, "class": "glossterm",
                "data-epub-type": "glossref",
            })

        wrap_matches(section.body, pattern, _SKIP, make)


def _normal(form: str) -> str:
    """Case and apostrophe style do not matter when matching a term."""
    return form.replace("’", "'").casefold()
