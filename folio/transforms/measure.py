"""What an author puts in the text fits the measure in every format; the stylesheets
do most of it (``templates/css/book.css``), this sets up the markup they need.

- A table takes the widths its content needs (automatic layout, up to the measure):
  the relative widths pandoc derives from a table's source lines (the dashes under a
  pipe table's header, when a line is longer than 72 characters; a grid table's
  columns) are widths of plain text in a fixed-width font, not of the typeset
  table, so they are dropped. Each table is held in a ``<div class="table-wrap">``:
  on a screen narrower than a table, the web book scrolls that box, not the page.
- A paragraph that holds only images (several: one alone is a figure) is marked
  ``class="images"``: it is set without the indent of a paragraph that follows
  another, which would push a full-width image past the right edge."""

from __future__ import annotations

from lxml import html as lxml_html

from ..model import Book


def fit_the_measure(book: Book) -> None:
    roots = [s.body for s in book.sections if s.body is not None]
    roots += [note.body for note in book.notes]
    for root in roots:
        for table in list(root.iter("table")):
            for group in table.findall("colgroup"):
                if all(not (col.get("span") or col.get("class")) for col in group):
                    table.remove(group)
            parent = table.getparent()
            if parent is not None and "table-wrap" not in (parent.get("class") or "").split():
                wrap = lxml_html.Element("div", {"class": "table-wrap"})
                wrap.tail, table.tail = table.tail, None
                parent.replace(table, wrap)
                wrap.append(table)
        for paragraph in root.iter("p"):
            if _only_images(paragraph):
                classes = (paragraph.get("class") or "").split()
                paragraph.set("class", " ".join([*classes, "images"]))


def _only_images(paragraph) -> bool:
    """Whether *paragraph* holds one image or more and nothing else but white space
    (an image may be inside a link)."""
    images = paragraph.xpath(".//img")
    if not images or paragraph.text_content().strip():
        return False
    return all(isinstance(e.tag, str) and e.tag in ("img", "a", "br", "wbr")
               for e in paragraph.iterdescendants())
