"""A heading's title as a reader sees it in a bookmark, a running head or a
navigation entry: its words, without the apparatus it carries (note numbers)."""

from __future__ import annotations

import copy

from ..htmltree import HEADINGS
from ..model import Book

# Elements inside a heading that are apparatus, not part of its title.
APPARATUS = ".//a[contains(concat(' ', @class, ' '), ' noteref ')]"


def plain_title(heading) -> str:
    """The words of *heading* (an lxml element), apparatus left out, spaces folded."""
    bare = copy.deepcopy(heading)
    for mark in bare.xpath(APPARATUS):
        parent = mark.getparent()
        if mark.tail:
            previous = mark.getprevious()
            if previous is not None:
                previous.tail = (previous.tail or "") + mark.tail
            else:
                parent.text = (parent.text or "") + mark.tail
        parent.remove(mark)
    return " ".join(bare.text_content().split())


def mark_heading_titles(book: Book) -> None:
    """Give every heading whose words carry apparatus a ``data-title``, its plain
    title: the PDF's bookmarks and running heads are set from it
    (``bookmark-label``, ``string-set`` in pdf.css)."""
    for section in book.sections:
        if section.body is None:
            continue
        for heading in section.body.iter(*HEADINGS):
            title = plain_title(heading)
            if title != " ".join(heading.text_content().split()):
                heading.set("data-title", title)
