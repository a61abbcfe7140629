"""The print edition's "on p. 47" after each cross-reference (``crossrefs.page_numbers``
in book.yaml): "Figure 3.2 on p. 47", "Figures 3.2 on p. 47 and 3.3 on p. 49".

A part (a section of the main matter, or the whole front matter) is laid out on its
own, so a reference's page comes from one of two places:

- a target in the same part: WeasyPrint's ``target-counter(attr(href), page)``
  (``a.pageref.counter`` in pdf.css), exact in one layout, since the part's page
  counter starts at its first folio (lower-roman in the front matter);
- a target in another part: ``PageNumbers.forward_label``, the folio of a part laid
  out before this one, or, for a part later in the book, the folio the previous
  layout of the main matter gave it (the typesetter lays the main matter out again
  until those hold).

The number is a link to the target, as the contents' page numbers are."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING

from lxml import html as lxml_html

from ..htmltree import HtmlElement

if TYPE_CHECKING:
    from .typesetter import PageNumbers


def with_xref_pages(body: HtmlElement, numbers: PageNumbers, local: set[str], on_page: str,
                    roman: bool = False) -> HtmlElement:
    """A copy of *body* (a section's or a note's markup) with *on_page* ("on p."; or
    around the page, "{n}쪽", where the language puts the number first) and the
    page after each cross-reference's link (``a.xref`` in ``span.xref``, made by
    ``transforms.crossrefs``). *local* holds the anchors laid out in the same part as
    *body*, whose pages are counted by WeasyPrint (*roman*: in lower-roman figures)."""
    body = copy.deepcopy(body)
    for link in body.xpath(".//span[@class='xref']/a[@class='xref']"):
        anchor = (link.get("href") or "").removeprefix("#")
        page = lxml_html.Element("a", {"href": f"#{anchor}", "class": "pageref"})
        if anchor in local:
            page.set("class", "pageref counter roman" if roman else "pageref counter")
        else:
            page.text = numbers.forward_label(anchor)
        before, after = on_page.split("{n}", 1) if "{n}" in on_page else (f"{on_page}\u00a0", "")
        page.tail = after + (link.tail or "")
        link.tail = f" {before}"
        link.addnext(page)
    return body
