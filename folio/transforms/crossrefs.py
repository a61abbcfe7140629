"""Numbered cross-references, in pandoc-crossref's syntax (see filters/crossrefs.lua).

Labelled figures (``{#fig:x}``), tables (``{#tbl:x}``) and equations (``{#eq:x}``) are
numbered in reading order, by chapter ("3.2", appendices "A.1") or through the book
(``crossrefs.numbering: book``); an unlabelled one is not numbered, as in
pandoc-crossref. In a section without a number (the front matter, an unnumbered
chapter) chapter-wise numbers count from 1 without a prefix. Captions get their
number ("Figure 3.2: …"), equations theirs at the right ("(3.1)"); every target is
kept in ``book.targets`` for the lists of figures and tables.

Each reference becomes words and links: ``@fig:x`` "Figure 3.2", ``[@fig:a; @fig:b]``
"Figures 3.2 and 3.3", ``[-@fig:x]`` "3.2", ``@eq:x`` "Equation (2.1)", ``[-@eq:x]``
"(2.1)", ``@sec:x`` "Chapter 3" (a chapter's heading), "Appendix B", or "Section
“Title”" (a heading inside a chapter, which has no number). A reference to a label
the book does not have is a fault (L004) at its line."""

from __future__ import annotations

import re
from itertools import groupby

from lxml import html as lxml_html

from ..errors import find_line
from ..htmltree import HEADINGS, HtmlElement, text_of
from ..i18n import strings_of
from ..model import APPENDIX, FRONT, Book, Section, Target, TextFault
from .crossref_words import Words, words_for

KINDS = ("fig", "tbl", "eq", "sec")


def number_crossrefs(book: Book) -> None:
    """Number every labelled target of *book*, give captions their number and turn
    every reference into words and links; faults go to ``book.reading_findings``."""
    words = words_for(strings_of(book.config))
    chapterwise = book.config.crossrefs["numbering"] == "chapter"
    counters = dict.fromkeys(KINDS, 0)
    for section in book.sections:
        if section.body is None:
            continue
        if chapterwise:
            counters = dict.fromkeys(KINDS, 0)
        prefix = f"{section.label}." if chapterwise and section.label else ""
        for element in list(section.body.iter()):
            target = _target(element, section, words, counters, prefix)
            if target is not None:
                book.targets.setdefault(target.label, target)
    roots = [(s, s.body) for s in book.sections if s.body is not None]
    sections = book.sections_by_id()
    roots += [(sections[n.section_id], n.body) for n in book.notes]
    for section, root in roots:
        for marker in root.xpath(".//span[@class='folio-xref']"):
            _resolve(marker, book, section, words)
    for section in book.sections:  # captions as the lists show them, references worded
        if section.body is None:
            continue
        for label in section.body.xpath(".//span[@class='caption-label']"):
            owner = label.getparent().getparent()
            target = book.targets.get(owner.get("id") or "")
            if target is not None:
                target.caption = " ".join(_without_label(label.getparent()).split())
        _complete_alt_texts(section.body)
        _mark_display_paragraphs(section.body)
    _add_lists(book, words)


def _mark_display_paragraphs(body: HtmlElement) -> None:
    """A paragraph that is only a displayed formula gets the class ``display``, so
    that the words after it, which go on with its sentence ("where α is …"), are
    not indented as a new paragraph (``p.display + p`` in the theme)."""
    for paragraph in body.iter("p"):
        children = [c for c in paragraph if isinstance(c.tag, str)]
        if (len(children) == 1 and not (paragraph.text or "").strip()
                and not (children[0].tail or "").strip()
                and ("equation" in (children[0].get("class") or "").split()
                     or (children[0].tag == "math" and children[0].get("display") == "block"))):
            paragraph.set("class", " ".join(filter(None, [paragraph.get("class"), "display"])))


def _complete_alt_texts(body: HtmlElement) -> None:
    """An image whose alternative text pandoc took from its caption lacks the words of
    the caption's references (they were placeholders then): give it the whole caption."""
    for figure in body.xpath(".//figure[.//figcaption//a[contains(@class, 'xref')]]"):
        caption = figure.find(".//figcaption")
        whole = _without_label(caption)
        without = whole
        for reference in caption.xpath(".//a[contains(@class, 'xref')]"):
            without = without.replace(reference.text_content(), "", 1)
        for image in figure.xpath(".//img"):
            if "".join(image.get("alt", "").split()) == "".join(without.split()):
                image.set("alt", re.sub(r"[ \t\r\n]+", " ", whole).strip())


def _without_label(caption: HtmlElement) -> str:
    label = caption.find("span[@class='caption-label']")
    return (label.tail or "") + "".join(
        sibling.text_content() + (sibling.tail or "") for sibling in label.itersiblings())


def _add_lists(book: Book, words: Words) -> None:
    """The lists of figures and of tables the book asks for (and has entries for), as
    generated sections after the authored front matter."""
    settings = book.config.crossrefs
    wanted = [("list_of_figures", "fig", "list-of-figures", "figures", words.list_of_figures),
              ("list_of_tables", "tbl", "list-of-tables", "tables", words.list_of_tables)]
    place = next((i for i, s in enumerate(book.sections) if s.kind != FRONT),
                 len(book.sections))
    for setting, kind, anchor, role, title in wanted:
        if settings[setting] and book.targets_of(kind):
            book.sections.insert(place, Section(id=anchor, kind=FRONT, title=title, role=role))
            place += 1


def _target(element: HtmlElement, section: Section, words: Words, counters: dict[str, int],
            prefix: str) -> Target | None:
    label = element.get("id") or ""
    kind = label.partition(":")[0] if ":" in label else ""
    if kind not in KINDS:
        return None
    tag = element.tag
    if kind == "sec":
        if tag not in HEADINGS:
            return None
        number = section.label if tag == "h1" else ""
        return Target(label, kind, number, text_of(element), section.id)
    caption = None
    if kind == "fig" and tag == "figure":
        caption = element.find("figcaption")
    elif kind == "tbl" and tag == "table":
        caption = element.find("caption")
    elif not (kind == "fig" and tag == "img"
              or kind == "eq" and tag == "span" and "equation" in (element.get("class") or "")):
        return None
    counters[kind] += 1
    number = f"{prefix}{counters[kind]}"
    if kind == "eq":
        mark = lxml_html.Element("span", {"class": "equation-number"})
        mark.text = f"({number})"
        element.append(mark)
        return Target(label, kind, number, "", section.id)
    text = text_of(caption) if caption is not None else element.get("alt", "")
    if caption is not None:
        _number_caption(caption, words.label(words.kind(kind)[0], number), words)
        if tag == "table":  # room for its caption beside a narrow table
            element.set("class", " ".join(filter(None, [element.get("class"), "captioned"])))
    return Target(label, kind, number, text, section.id)


def _number_caption(caption: HtmlElement, label: str, words: Words) -> None:
    """"Figure 3.2: " before the caption's words; a figure's caption, which pandoc
    hides from screen readers when it repeats the image's description, is shown to
    them now that it says more."""
    mark = lxml_html.Element("span", {"class": "caption-label"})
    mark.text = label + words.caption_separator.rstrip()
    mark.tail = " " + (caption.text or "") if caption.text or len(caption) else ""
    caption.text = None
    caption.insert(0, mark)
    caption.attrib.pop("aria-hidden", None)


def _resolve(marker: HtmlElement, book: Book, section: Section, words: Words) -> None:
    labels = (marker.get("data-xref") or "").split()
    mode = marker.get("data-xref-mode") or "normal"
    result = lxml_html.Element("span", {"class": "xref"})
    pieces: list[list] = []  # each: strings and links, joined later
    for kind, group in groupby(labels, key=lambda label: label.partition(":")[0]):
        group = list(group)
        for label in group:
            if label not in book.targets:
                line = find_line(section.source, re.escape(label)) if section.source else None
                book.reading_findings.append(TextFault(
                    "L004", section.source, line,
                    f"cross-reference '@{label}' names no label of the book (write "
                    f"{{#{label}}} on the {_what(kind)} it means)"))
        known = [book.targets[label] for label in group if label in book.targets]
        if not known:
            pieces.append(["??"])
            continue
        if kind == "sec":
            pieces += [[_link(t, _section_words(t, book, words, mode))] for t in known]
            continue
        numbers = [_link(t, f"({t.number})" if kind == "eq" else t.number) for t in known]
        if mode == "bare":
            pieces.append(_listed(numbers, words))
        elif len(numbers) == 1:
            pieces.append([_link(known[0], words.label(words.kind(kind)[0], numbers[0].text))])
        else:
            before, after = words.around(words.kind(kind)[1])
            pieces.append([before, *_listed(numbers, words), *([after] if after else [])])
    _fill(result, _listed([_joined(p) for p in pieces], words))
    result.tail = marker.tail
    marker.getparent().replace(marker, result)


def _what(kind: str) -> str:
    return {"fig": "figure", "tbl": "table's caption", "eq": "equation",
            "sec": "heading"}.get(kind, "target")


def _section_words(target: Target, book: Book, words: Words, mode: str) -> str:
    section = book.section(target.section_id)
    if target.number:
        if mode == "bare":
            return target.number
        word = words.appendix[0] if section.kind == APPENDIX else words.chapter[0]
        return words.label(word, target.number)
    quoted = words.quote(target.caption)
    return quoted if mode == "bare" else words.titled(words.section[0], quoted)


def _link(target: Target, text: str) -> HtmlElement:
    link = lxml_html.Element("a", {"href": f"#{target.label}", "class": "xref"})
    link.text = text
    return link


def _listed(items: list, words: Words) -> list:
    """*items* joined "a", "a and b", "a, b and c" (strings and elements)."""
    if len(items) <= 1:
        return list(items)
    result: list = []
    for index, item in enumerate(items):
        if index == len(items) - 1:
            result.append(words.conjunction)
        elif index:
            result.append(words.separator)
        result.append(item)
    return result


def _joined(piece: list) -> HtmlElement:
    holder = lxml_html.Element("span")
    _fill(holder, piece)
    return holder


def _fill(holder: HtmlElement, items: list) -> None:
    """Append *items* (strings, links, and spans made by ``_joined`` whose content is
    taken over) to *holder*, in order."""
    for item in items:
        if isinstance(item, str):
            _append_text(holder, item)
        elif item.tag == "span" and not item.attrib:
            _append_text(holder, item.text or "")
            for child in list(item):
                holder.append(child)
        else:
            item.tail = None
            holder.append(item)


def _append_text(holder: HtmlElement, text: str) -> None:
    if len(holder):
        holder[-1].tail = (holder[-1].tail or "") + text
    else:
        holder.text = (holder.text or "") + text
