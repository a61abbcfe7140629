"""Glossary links: the first use of each term in each chapter links to its entry.

A use can also be marked by hand, ``[words]{.gloss}`` or ``[words]{.gloss ref="id"}``,
to link a form the aliases do not cover; a mark naming no entry is an error."""

from __future__ import annotations

import hashlib
import re

from lxml import html as lxml_html

from .. import memo
from ..errors import BuildError, BuildErrors, find_line, raise_all
from ..htmltree import HEADINGS, HtmlElement, text_of, wrap_matches
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
        self.pattern = self._pattern() if book.glossary else None
        # What a section's links depend on besides its own text: each form's entry.
        self.key = hashlib.sha256(repr(sorted(
            (form, entry.id) for form, entry in self.by_form.items())).encode()).hexdigest()

    def _pattern(self) -> re.Pattern[str]:
        forms = sorted(self.by_form, key=len, reverse=True)
        alternatives = "|".join(re.escape(f).replace("'", "['’]") for f in forms)
        # A whole word: no letter or digit on either side, but for the scripts
        # written without spaces, where a term touches the next word.
        edge = rf"[^\W{_SPACELESS}]"
        return re.compile(rf"(?<!{edge})(?:{alternatives})(?!{edge})", re.IGNORECASE)


class _Links:
    """The glossary links made in one section: (entry id, anchor), those marked by
    hand first, in the order made."""

    def __init__(self, section_id: str):
        self.section_id = section_id
        self.marked: list[tuple[str, str]] = []
        self.found: list[tuple[str, str]] = []

    def link(self, entry: GlossaryEntry, made: list[tuple[str, str]]) -> lxml_html.HtmlElement:
        anchor = f"glossref-{self.section_id}-{len(self.marked) + len(self.found) + 1}"
        made.append((entry.id, anchor))
        return lxml_html.Element("a", {
            "href": f"#{entry.anchor}", "id": anchor, "class": "glossterm",
            "role": "doc-glossref", "data-epub-type": "glossref",
        })


# serve: each section's linked body and links, by its markup (folio.memo)
_LINKED = memo.Table(4_000)


def link_glossary_terms(book: Book) -> None:
    """Marked uses (``.gloss``) linked in every section, then the first use of each
    term in each chapter and appendix; each entry's ``uses`` in that order. A mark
    that names no entry is an error (every such mark is reported at once)."""
    linker = _Linker(book)
    errors: list[BuildError] = []
    made: list[tuple[Section, _Links]] = []
    for section in book.sections:
        if section.body is None:
            continue
        find = linker.pattern is not None and section.kind in (CHAPTER, APPENDIX)
        try:
            links = memo.in_place(_LINKED, section.body, (linker.key, section.id, find),
                                  lambda body, section=section, find=find:
                                  _link_section(section, body, linker, find))
        except BuildErrors as error:
            errors += error.errors
            continue
        made.append((section, links))
    raise_all(errors)
    for kind in ("marked", "found"):
        for section, links in made:
            for entry_id, anchor in getattr(links, kind):
                linker.by_id[entry_id].uses.append(Place(anchor, section.id))


def _link_section(section: Section, body: HtmlElement, linker: _Linker,
                  find: bool) -> _Links:
    """The links of one section's *body*, made in place: its marks, then (*find*) the
    first use of each term not marked by hand. BuildErrors for marks naming no entry."""
    links = _Links(section.id)
    errors: list[BuildError] = []
    done = _link_marked(section, body, linker, links, errors)
    if errors:
        raise BuildErrors(errors)
    if find:
        def make(match: re.Match[str]):
            entry = linker.by_form[_normal(match.group(0))]
            if entry.id in done:
                return None
            done.add(entry.id)
            return links.link(entry, links.found)

        wrap_matches(body, linker.pattern, _SKIP, make)
    return links


def _link_marked(section: Section, body: HtmlElement, linker: _Linker, links: _Links,
                 errors: list[BuildError]) -> set[str]:
    """Turn ``.gloss`` marks into links; returns the ids of the entries linked."""
    done: set[str] = set()
    for mark in body.xpath(_MARKS):
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
        link = links.link(entry, links.marked)
        link.text, link.tail = mark.text, mark.tail
        for child in mark:
            link.append(child)
        mark.getparent().replace(mark, link)
        done.add(entry.id)
    return done


def _normal(form: str) -> str:
    """Case and apostrophe style do not matter when matching a term."""
    return form.replace("’", "'").casefold()
