"""Small helpers for the parsed HTML of sections, notes and snippets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from lxml import etree
from lxml import html as lxml_html

HtmlElement = lxml_html.HtmlElement

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def fragment(markup: str) -> HtmlElement:
    """Parse an HTML fragment into a ``<div>`` that holds it."""
    return lxml_html.fragment_fromstring(markup or "", create_parent="div")


def inner_html(element: HtmlElement, xml: bool = False) -> str:
    """Serialise the content of *element* (not the element itself).

    ``xml=True`` gives well-formed XHTML for the EPUB; otherwise HTML5.
    ``data-epub-type`` becomes ``epub:type`` in XHTML and is dropped in HTML; in XHTML
    every ``lang`` is doubled by ``xml:lang`` (XHTML takes an element's language from
    ``xml:lang``; HTML's rule is that the two agree where both are given).
    """
    parts = [_escape(element.text or "")]
    for child in element:
        parts.append(outer_html(child, xml))
    return "".join(parts)


def outer_html(element: HtmlElement, xml: bool = False) -> str:
    element = _for_format(element, xml)
    markup = etree.tostring(element, method="xml" if xml else "html", encoding="unicode",
                            with_tail=True)
    # libxml2's HTML writer predates <wbr> and closes it; HTML5 has it void.
    return markup if xml else markup.replace("<wbr></wbr>", "<wbr>")


XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _for_format(element: HtmlElement, xml: bool) -> HtmlElement:
    marked = element.xpath("descendant-or-self::*[@data-epub-type]")
    languages = element.xpath("descendant-or-self::*[@lang]") if xml else []
    if not marked and not languages:
        return element
    element = _copy(element)
    for node in element.xpath("descendant-or-self::*[@data-epub-type]"):
        value = node.attrib.pop("data-epub-type")
        if xml:
            node.set("epub-type-placeholder", value)
    if xml:
        for node in element.xpath("descendant-or-self::*[@lang]"):
            node.set(XML_LANG, node.get("lang"))
    return element


def _copy(element: HtmlElement) -> HtmlElement:
    from copy import deepcopy

    return deepcopy(element)


def finish_xhtml(markup: str) -> str:
    """Turn placeholder attributes into namespaced ``epub:type`` in serialised XHTML."""
    return markup.replace("epub-type-placeholder=", "epub:type=")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def drop(element: etree._Element) -> None:
    """Remove *element* and what it holds from its parent, keeping the text that
    follows it (its tail). An element without a parent is left as it is."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def text_of(element: HtmlElement) -> str:
    return re.sub(r"\s+", " ", element.text_content()).strip()


def in_any(element: HtmlElement, tags: set[str]) -> bool:
    """Whether *element* or one of its ancestors has one of *tags*."""
    node: HtmlElement | None = element
    while node is not None:
        if isinstance(node.tag, str) and node.tag in tags:
            return True
        node = node.getparent()
    return False


def text_slots(root: HtmlElement, skip: set[str]) -> Iterator[tuple[HtmlElement, bool]]:
    """Every run of text under *root*, in document order, as ``(owner, is_tail)``,
    leaving out text inside elements named in *skip*."""
    if not isinstance(root.tag, str) or in_any(root, skip):
        return
    yield root, False
    for child in list(root):
        yield from _text_slots_below(child, skip)
        yield child, True


def _text_slots_below(element: HtmlElement, skip: set[str]) -> Iterator[tuple[HtmlElement, bool]]:
    if not isinstance(element.tag, str) or element.tag in skip:
        return
    yield element, False
    for child in list(element):
        yield from _text_slots_below(child, skip)
        yield child, True


def wrap_matches(root: HtmlElement, pattern: re.Pattern[str], skip: set[str],
                 make: Callable[[re.Match[str]], HtmlElement | None]) -> None:
    """Wrap text matches of *pattern* in elements made by *make* (which may
    return None to leave a match alone). Text in *skip* elements is not touched."""
    # Each run of text text_slots yields is one of itertext's pieces: when no piece
    # holds a match, walking the tree (the costly part) would find none.
    if not any(pattern.search(piece) for piece in root.itertext()):
        return
    for owner, is_tail in list(text_slots(root, skip)):
        while True:
            text = (owner.tail if is_tail else owner.text) or ""
            for match in pattern.finditer(text):
                wrapper = make(match)
                if wrapper is not None:
                    break
            else:
                break
            before, after = text[: match.start()], text[match.end():]
            wrapper.text = match.group(0)
            wrapper.tail = after
            if is_tail:
                owner.tail = before
                parent = owner.getparent()
                parent.insert(parent.index(owner) + 1, wrapper)
            else:
                owner.text = before
                owner.insert(0, wrapper)
            owner, is_tail = wrapper, True
