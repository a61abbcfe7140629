"""Text that must stay exact: inline code, keyboard input, program output and web or
e-mail addresses. It is never hyphenated (the stylesheet's ``hyphens: none``), so it
needs places of its own to break at the end of a line: a ``<wbr>`` after each run of
``/ . - _ ? & =`` inside a word, the places the Chicago Manual of Style (6.8, 14.18)
and most style guides allow for addresses and paths. ``<wbr>`` is an element, not a
character: text copied from the EPUB or the web book gains nothing, and the PDF's
zero-width break is drawn without a glyph, so copying from it gains nothing either.

A long value in a table cell (``Phip-201-ENST00000275486``) gets the same places and
one more, between letters and digits (``ENST<wbr>00000275486``): tables are where
identifiers, accession numbers and file names meet narrow columns.

A run of 30 characters or more with no place to break (no space, hyphen or slash: a
sequence of letters, a word too long for its language's hyphenation) is marked
``<span class="run">``: the stylesheet lets it, and only it, break anywhere as a last
resort. (``overflow-wrap: break-word`` on whole paragraphs would do the same, but
WeasyPrint then breaks a word inside a link or a span that a line could have
moved whole.)

A command-line option in inline code (``ls -l``, ``git commit --amend``) keeps its
leading hyphens with its name: Unicode's line breaking (UAX #14) allows a break after
a hyphen-minus, which would leave ``ls -`` at the end of one line and ``l`` at the
start of the next. The option is marked ``<span class="option">``, which the
stylesheet keeps on one line.

An address the Markdown leaves as plain text (pandoc links only ``<https://…>``) is
marked ``<span class="url">`` so that the stylesheet can keep it whole as well. The
acronyms transform may have set capitals inside an address or code in small capitals,
which would copy as lower case: those marks are taken out again here."""

from __future__ import annotations

import re

from lxml import html as lxml_html

from ..htmltree import HtmlElement, in_any, text_of, wrap_matches

EXACT_TAGS = {"code", "kbd", "samp"}
SEPARATORS = "/.-_?&="
# A run of separators with a character that is not one before and after it, inside a
# word (no white space).
_BREAK = re.compile(rf"(?<=[^\s{re.escape(SEPARATORS)}])[{re.escape(SEPARATORS)}]+"
                    rf"(?=[^\s{re.escape(SEPARATORS)}])")
# An address written as plain text: a scheme or www., up to white space; a final
# punctuation mark belongs to the sentence.
_BARE_URL = re.compile(r"\b(?:(?:https?|ftp)://|www\.)[^\s<>\"]*[^\s<>\".,;:!?'\")\]]")
_URL_TEXT = re.compile(r"^(?:(?:https?|ftp)://|mailto:|www\.)\S+$|^[^\s@]+@[^\s@]+\.\w+$")
_NEVER = {"pre", "script", "style", "title", "a", "code", "kbd", "samp", "math"}
LONG_RUN = 30  # characters without a place to break: a run that may break anywhere
_RUN = re.compile(rf"[^\s\-\u2010-\u2014/]{{{LONG_RUN},}}")
_NOT_PROSE = {"pre", "script", "style", "title", "code", "kbd", "samp", "abbr", "math"}
LONG_VALUE = 12  # characters: a shorter run in a table cell is left whole
_LONG = re.compile(rf"\S{{{LONG_VALUE},}}")
# A command-line option: one or two hyphens and the name after them, at the start of
# the code or after a space, a bracket, a pipe or an equals sign.
_OPTION = re.compile(r"(?<![^\s(\[{|=])-{1,2}\w+")
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)|(?<=\d)(?=[^\W\d_])")


def mark_exact_text_in(root: HtmlElement) -> None:
    """Mark the plain-text addresses of one text (a section's body, a note …) and give
    its every exact run its break opportunities, in place."""
    wrap_matches(root, _BARE_URL, _NEVER,
                 lambda match: lxml_html.Element("span", {"class": "url"}))
    wrap_matches(root, _RUN, _NOT_PROSE,
                 lambda match: lxml_html.Element("span", {"class": "run"}))
    for element in exact_elements(root):
        for mark in element.xpath(".//abbr[contains(concat(' ', @class, ' '), "
                                  "' acronym ')]"):
            mark.drop_tag()
        if element.tag in EXACT_TAGS:
            wrap_matches(element, _OPTION, {"span"},
                         lambda match: lxml_html.Element("span", {"class": "option"}))
        add_break_opportunities(element)
    for cell in root.xpath(".//td | .//th"):
        add_break_opportunities(cell, _value_pieces, skip=_NEVER | {"table"})


def exact_elements(root: HtmlElement) -> list[HtmlElement]:
    """The outermost elements under *root* whose text must stay exact: code (also in a
    code block), keyboard input, program output, a link whose text is an address (marked
    ``class="url"`` here) and a plain-text address."""
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        classes = (element.get("class") or "").split()
        if element.tag == "a" and _URL_TEXT.match(text_of(element)):
            if "url" not in classes:
                element.set("class", " ".join([*classes, "url"]))
            found.append(element)
        elif element.tag in EXACT_TAGS or "url" in classes:
            found.append(element)
    return [e for e in found if not any(o is not e and _is_ancestor(o, e) for o in found)]


def _is_ancestor(ancestor: HtmlElement, element: HtmlElement) -> bool:
    return any(parent is ancestor for parent in element.iterancestors())


def add_break_opportunities(element: HtmlElement, split=None,
                            skip: set[str] = frozenset()) -> None:
    """A ``<wbr>`` after each run of separators inside a word of *element*'s text (its
    own and its descendants', not inside elements named in *skip*), so that ``a/b.c``
    becomes ``a/<wbr>b.<wbr>c``; *split* cuts a text into pieces another way."""
    for owner, is_tail in _slots(element, skip):
        text = (owner.tail if is_tail else owner.text) or ""
        pieces = (split or _split)(text)
        if len(pieces) == 1:
            continue
        if is_tail:
            owner.tail = pieces[0]
            anchor, parent = owner, owner.getparent()
            for piece in pieces[1:]:
                wbr = lxml_html.Element("wbr")
                wbr.tail = piece
                parent.insert(parent.index(anchor) + 1, wbr)
                anchor = wbr
        else:
            owner.text = pieces[0]
            for index, piece in enumerate(pieces[1:]):
                wbr = lxml_html.Element("wbr")
                wbr.tail = piece
                owner.insert(index, wbr)


def _split(text: str) -> list[str]:
    """*text* cut after each run of separators inside a word."""
    pieces, start = [], 0
    for match in _BREAK.finditer(text):
        pieces.append(text[start:match.end()])
        start = match.end()
    pieces.append(text[start:])
    return pieces


def _value_pieces(text: str) -> list[str]:
    """*text* cut inside each long run (a value in a table cell): after separators, and
    where letters and digits meet."""
    pieces, start = [], 0
    for run in _LONG.finditer(text):
        cuts = {m.end() for m in _BREAK.finditer(run[0])}
        cuts |= {m.start() for m in _LETTER_DIGIT.finditer(run[0])}
        for cut in sorted(c for c in cuts if 0 < c < len(run[0])):
            pieces.append(text[start:run.start() + cut])
            start = run.start() + cut
    pieces.append(text[start:])
    return pieces


def _slots(element: HtmlElement, skip: set[str] = frozenset()) -> list[tuple[HtmlElement, bool]]:
    """Every text run inside *element* as ``(owner, is_tail)``, not inside elements named
    in *skip*; not the element's own tail."""
    slots = [(element, False)]
    for child in list(element):
        if not isinstance(child.tag, str):
            slots.append((child, True))
            continue
        if child.tag not in skip and not in_any(child, {"script", "style"}):
            slots += _slots(child, skip)
        slots.append((child, True))
    return slots
