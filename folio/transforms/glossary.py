"""Glossary links: the first use of each term in each chapter links to its entry.

A use can also be marked by hand, ``[words]{.gloss}`` or ``[words]{.gloss ref="id"}``,
to link a form the aliases do not cover; a mark naming no entry is an error."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from ..errors import BuildError, find_line, raise_all
from ..htmltree import HEADINGS, text_of, wrap_matches
from ..model import APPENDIX, CHAPTER, Book, GlossaryEntry, Place, Section

# Never link inside a heading, a link, or code.
_SKIP = HEADINGS | {"a", "code", "pre", "script", "style", "math"}
_MARKS = ".//span[contains(concat(' ', normalize-space(@class), ' '), ' gloss ')]"

# Scripts written without spaces between words (kana, CJK ideographs, Hangul, whose
# particles attach to the word before): a glossary term is found inside a run of them.
_SPACELESS = ("\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
              "\uac00-\ud7af\U00020000-\U0002fa1f")


class _Linker:
    def __init__(self, book: Book):
        self.by_form: dict[str, GlossaryEntry] = {}
        self.by_id = {entry.id: entry for entry in book.glossary}
        for entry in book.glossary:
            for form in [entry.term, *entry.aliases]:
                self.by_form.setdefault(_normal(form), entry)
        self.counters: dict[str, int] = {}  # links made in each section so far

    def link(self, entry: GlossaryEntry, section: Section) -> lxml_html.HtmlElement:
        count = self.counters[section.id] = self.counters.get(section.id, 0) + 1
        anchor = f"glossref-{section.id}-{count}"
        entry.uses.append(Place(anchor, section.id))
        return lxml_html.Element("a", {
            "href": f"#{entry.anchor}", "id": anchor, "class": "glossterm",
            "role": "doc-glossref", "data-epub-type": "glossref",
        })

    def pattern(self) -> re.Pattern[str]:
        forms = sorted(self.by_form, key=len, reverse=True)
        alternatives = "|".join(re.escape(f).replace("'", "['’]") for f in forms)
        # A whole word: no letter or digit on either side, but for the scripts
        # written without spaces, where a term touches the next word.
        edge = rf"[^\W{_SPACELESS}]"
        return re.compile(rf"(?<!{edge})(?:{alternatives})(?!{edge})", re.IGNORECASE)


def link_glossary_terms(book: Book) -> None:
    linker = _Linker(book)
    errors: list[BuildError] = []
    linked: dict[str, set[str]] = {}
    for section in book.sections:
        if section.body is not None:
            linked[section.id] = _link_marked(section, linker, errors)
    raise_all(errors)
    if not book.glossary:
        return
    pattern = linker.pattern()
    for section in book.sections:
        if section.kind not in (CHAPTER, APPENDIX):
            continue
        done = linked[section.id]

        def make(match: re.Match[str], section=section, done=done):
            entry = linker.by_form[_normal(match.group(0))]
            if entry.id in done:
                return None
            done.add(entry.id)
            return linker.link(entry, section)

        wrap_matches(section.body, pattern, _SKIP, make)


def _link_marked(section: Section, linker: _Linker, errors: list[BuildError]) -> set[str]:
    """Turn ``.gloss`` marks into links; returns the ids of the entries linked."""
    done: set[str] = set()
    for mark in section.body.xpath(_MARKS):
        words = text_of(mark)
        key = mark.get("data-ref") or words
        entry = linker.by_id.get(key) or linker.by_form.get(_normal(key))
        if entry is None:
            line = find_line(section.source, re.escape(words) + r"\]\{[^}]*\.gloss",
                             start=section.line) or \
                find_line(section.source, r"\.gloss\b", start=section.line)
            errors.append(BuildError(f"'{key}' is marked as a glossary term, but the glossary "
                                     "has no such term, alias or id", section.source, line))
            continue
        link = linker.link(entry, section)
        link.text, link.tail = mark.text, mark.tail
        for child in mark:
            link.append(child)
        mark.getparent().replace(mark, link)
        done.add(entry.id)
    return done


def _normal(form: str) -> str:
    """Case and apostrophe style do not matter when matching a term."""
    return form.replace("’", "'").casefold()
