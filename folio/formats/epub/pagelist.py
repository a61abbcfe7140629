"""Print page numbers in the EPUB: a page-break marker where each page of the print
edition begins, found from the print layout itself (the block each page begins
in and the first words printed on it), and the page-list that leads to them."""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from ...typeset.typesetter import PageStart

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
_HEADINGS = {f"{{{XHTML}}}h{level}" for level in range(1, 7)}
_POS = re.compile(r'\sdata-pos="[^"]*"')


def insert_page_breaks(pages: dict[str, str],
                       starts: list[PageStart]) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Add markers to *pages* (XHTML by file name); return the pages and the page list
    as ``(folio, href)`` in reading order. Pages whose text is not in the EPUB (the
    half-title) are left out, as are blank pages."""
    trees = {name: etree.fromstring(markup.encode("utf-8")) for name, markup in pages.items()}
    keyed: dict[str, tuple[str, etree._Element]] = {}
    for name, tree in trees.items():
        for element in tree.iter():
            key = element.get("data-pos") or element.get("id")
            if key and key not in keyed:
                keyed[key] = (name, element)
    page_list = []
    for start in starts:
        if start.key not in keyed:
            continue
        name, element = keyed[start.key]
        _insert(element, start)
        page_list.append((start.folio, f"{name}#page-{start.folio}"))
    result = {}
    for name, tree in trees.items():
        markup = etree.tostring(tree, encoding="unicode")
        result[name] = _POS.sub("", markup)
    return result, page_list


def _marker(folio: str) -> etree._Element:
    marker = etree.Element(f"{{{XHTML}}}span", nsmap={"epub": EPUB})
    marker.set(f"{{{EPUB}}}type", "pagebreak")
    marker.set("role", "doc-pagebreak")
    marker.set("id", f"page-{folio}")
    marker.set("aria-label", folio)
    return marker


def _slots(element: etree._Element) -> Iterator[tuple[etree._Element, bool, str]]:
    """The text runs of *element*, in the order of ``itertext``: (owner, is_tail, text)."""
    yield element, False, element.text or ""
    for child in element:
        if isinstance(child.tag, str):
            yield from _slots(child)
        yield child, True, child.tail or ""


def _insert(element: etree._Element, start: PageStart) -> None:
    marker = _marker(start.folio)
    text = "".join(run for _, _, run in _slots(element))
    offset = _offset(text, start.words)
    if offset == 0 and element.tag in _HEADINGS and element.getparent() is not None:
        element.addprevious(marker)
        return
    position = 0
    for owner, is_tail, run in _slots(element):
        if run.strip() and position + len(run) > offset:
            local = max(offset - position, len(run) - len(run.lstrip()))
            before, after = run[:local], run[local:]
            marker.tail = after
            if is_tail:
                owner.tail = before
                owner.addnext(marker)
            else:
                owner.text = before
                owner.insert(0, marker)
            return
        position += len(run)
    element.insert(0, marker)


def _offset(text: str, words: str) -> int:
    """Where the printed line *words* begins in *text*, moved to a word boundary
    when the line begins with the second half of a hyphenated word."""
    tokens = words.replace("\u2010", " ").replace("\u00ad", "").split()
    if len(tokens) > 1:
        tokens = tokens[:-1]  # the last word may be cut by hyphenation
    tokens = tokens[:6]
    # The printed line may differ from the EPUB's text at its end (a page number
    # after a cross-reference): try fewer words, but never fewer than two.
    match = None
    for count in range(len(tokens), min(2, len(tokens)) - 1, -1):
        pattern = r"\s*".join(re.escape(token) for token in tokens[:count])
        match = re.search(pattern, text)
        if match:
            break
    if match is None:
        return 0
    offset = match.start()
    if offset and (text[offset - 1].isalnum()):
        while offset < len(text) and not text[offset].isspace():
            offset += 1
        while offset < len(text) and text[offset].isspace():
            offset += 1
    return offset


def page_list_nav(page_list: list[tuple[str, str]], title: str = "Pages") -> str:
    """The ``page-list`` nav for the navigation document (hidden: reading systems
    offer it as 'go to page', it is not read as part of the text)."""
    items = "".join(f'<li><a href="{href}">{folio}</a></li>' for folio, href in page_list)
    return (f'<nav epub:type="page-list" role="doc-pagelist" aria-label="{title}" hidden="">'
            f"<h2>{title}</h2><ol>{items}</ol></nav>")
