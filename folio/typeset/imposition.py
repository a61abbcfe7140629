"""Booklet imposition: pages two to a sheet side, in saddle-stitch order.

A booklet of *n* pages (padded with blank pages to a multiple of 4) is printed on
n/4 sheets, each printed on both sides, stacked, folded once down the middle and
stapled on the fold. Sheet *s* (counted from 0) carries, left | right:

    front:  n - 2s  |  2s + 1
    back:   2s + 2  |  n - 2s - 1

so for 8 pages the four sheet sides are 8|1, 2|7, 6|3 and 4|5. A booklet read right
to left is stapled on its right edge: each side is mirrored (1|8, 7|2, 3|6, 5|4). Every page is
upright on its sheet side: printed duplex, flipping on the short edge, the back
of each sheet comes out the right way up, and the folded stack reads 1, 2, 3 …

The pages are placed with pypdf's page transformations (scaled to fit half a
sheet, centred in it). Links, bookmarks and page labels are dropped: they belong
to the pages, not to the sheets, and a folded sheet has no use for them.

A tagged source stays tagged: the marked-content ids of the second page on a
sheet side are renumbered after the first page's, and the structure tree is
pointed at the sheet sides. Its order is still the reading order (1, 2, 3 …),
whatever the pages' places on the sheets.
"""

from __future__ import annotations

import re
from io import BytesIO

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
)

# A marked-content id in a content stream: ``/P <</MCID 12>> BDC``. (WeasyPrint writes
# text as hexadecimal glyph strings, so the name cannot occur inside a text string.)
_MCID = re.compile(rb"(/MCID\s+)(\d+)")


def booklet_order(pages: int, right_to_left: bool = False) -> list[tuple[int, int]]:
    """The sheet sides of a saddle-stitched booklet of *pages* pages, in printing
    order, as (left, right) page numbers counted from 1; *right_to_left* mirrors
    each side (the fold on the right of the first page). Numbers above *pages*
    stand for the blank pages that pad the booklet to a multiple of 4."""
    total = -(-max(pages, 1) // 4) * 4
    sides = []
    for sheet in range(total // 4):
        sides.append((total - 2 * sheet, 2 * sheet + 1))
        sides.append((2 * sheet + 2, total - 2 * sheet - 1))
    return [(right, left) for left, right in sides] if right_to_left else sides


def impose_booklet(source: bytes, sheet_size: tuple[float, float],
                   right_to_left: bool = False) -> bytes:
    """The PDF *source* imposed as a booklet on sheets of *sheet_size* points
    (width, height: landscape), two pages on each side of a sheet; *right_to_left*
    for a booklet bound on its right edge."""
    writer = PdfWriter(clone_from=PdfReader(BytesIO(source)))
    pages = list(writer.pages)
    tags = _StructureTree(writer)
    width, height = sheet_size
    for left, right in booklet_order(len(pages), right_to_left):
        side = writer.add_blank_page(width, height)
        used = 0
        for slot, number in enumerate((left, right)):
            if number <= len(pages):
                page = pages[number - 1]
                used += tags.move(page, side, used)
                side.merge_transformed_page(page, _placement(page, slot, width, height))
        if "/Annots" in side:
            del side["/Annots"]
    for page in pages:
        # The page's content now lives on a sheet: what is left of the page goes.
        for key in ("/Annots", "/Contents", "/Resources"):
            if key in page:
                del page[key]
    for _ in pages:
        writer.remove_page(0, clean=False)
    tags.finish(list(writer.pages))
    root = writer._root_object
    for key in ("/Outlines", "/PageLabels", "/Dests", "/OpenAction", "/PageMode"):
        if key in root:
            del root[key]
    names = root.get("/Names")
    if names is not None and "/Dests" in names.get_object():
        del names.get_object()["/Dests"]
        if not names.get_object():
            del root["/Names"]
    for side in writer.pages:
        side.compress_content_streams()
    _drop_unreachable(writer)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def _drop_unreachable(writer: PdfWriter) -> None:
    """Leave out of the file every object the document no longer reaches (the pages
    that went onto the sheets, their links, the old parent tree)."""
    roots = [writer._root_object.indirect_reference]
    info = getattr(writer, "_info", None)  # the document information (title, author …)
    if isinstance(info, IndirectObject):
        roots.append(info)
    elif getattr(info, "indirect_reference", None) is not None:
        roots.append(info.indirect_reference)
    reached: set[int] = set()
    stack: list = list(roots)
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum not in reached:
                reached.add(item.idnum)
                stack.append(item.get_object())
        elif isinstance(item, DictionaryObject):  # streams too
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    for index, item in enumerate(writer._objects):
        if item is not None and index + 1 not in reached:
            writer._objects[index] = None


def _placement(page: PageObject, slot: int, width: float, height: float) -> Transformation:
    """Scale *page* to fit half the sheet and centre it in the left (0) or right (1) half."""
    box = page.mediabox
    page_width, page_height = float(box.width), float(box.height)
    scale = min(width / 2 / page_width, height / page_height)
    x = slot * width / 2 + (width / 2 - page_width * scale) / 2 - float(box.left) * scale
    y = (height - page_height * scale) / 2 - float(box.bottom) * scale
    return Transformation().scale(scale, scale).translate(x, y)


class _StructureTree:
    """Keeps a tagged PDF's structure tree true while its pages move onto sheets."""

    def __init__(self, writer: PdfWriter):
        self.writer = writer
        tree = writer._root_object.get("/StructTreeRoot")
        self.tree = tree.get_object() if tree is not None else None
        self.moved: dict[int, tuple[IndirectObject, int]] = {}  # page -> (sheet, id offset)

    def move(self, page: PageObject, side: PageObject, offset: int) -> int:
        """Renumber *page*'s marked content by *offset* as it goes onto the sheet side
        *side*; returns how many ids the page uses."""
        if self.tree is None:
            return 0
        data = page.get_contents().get_data()
        ids = [int(number) for _, number in _MCID.findall(data)]
        if offset:
            data = _MCID.sub(lambda match: match[1] + b"%d" % (int(match[2]) + offset), data)
            stream = DecodedStreamObject()
            stream.set_data(data)
            page[NameObject("/Contents")] = self.writer._add_object(stream)
        self.moved[page.indirect_reference.idnum] = (side.indirect_reference, offset)
        return max(ids) + 1 if ids else 0

    def finish(self, sides: list[PageObject]) -> None:
        """Point the structure elements at the sheet sides; rebuild the parent tree."""
        if self.tree is None:
            return
        self.parents: dict[int, dict[int, IndirectObject]] = {}
        kids = self.tree.get("/K")
        if kids is not None:
            for kid in _as_list(kids):
                if isinstance(kid, IndirectObject):
                    self._visit(kid)
        numbers = ArrayObject()
        for key, side in enumerate(sides):
            side[NameObject("/StructParents")] = NumberObject(key)
            marks = self.parents.get(side.indirect_reference.idnum, {})
            parents = ArrayObject(marks.get(i, NullObject())
                                  for i in range(max(marks) + 1 if marks else 0))
            numbers += [NumberObject(key), self.writer._add_object(parents)]
        self.tree[NameObject("/ParentTree")] = self.writer._add_object(
            DictionaryObject({NameObject("/Nums"): numbers}))
        self.tree[NameObject("/ParentTreeNextKey")] = NumberObject(len(sides))

    def _visit(self, ref: IndirectObject) -> None:
        element = ref.get_object()
        if not isinstance(element, DictionaryObject):
            return
        page = element.get("/Pg")
        place = self.moved.get(page.idnum) if isinstance(page, IndirectObject) else None
        if place is not None:
            element[NameObject("/Pg")] = place[0]
        kids = element.get("/K")
        if kids is None:
            return
        kept = ArrayObject()
        for kid in _as_list(kids):
            value = kid.get_object()
            if isinstance(value, NumberObject):  # marked content on the element's page
                if place is not None:
                    kept.append(NumberObject(self._mark(place, int(value), ref)))
            elif isinstance(value, DictionaryObject) and value.get("/Type") == "/OBJR":
                continue  # an annotation (a link): the sheets have none
            elif isinstance(value, DictionaryObject) and value.get("/Type") == "/MCR":
                mcr_page = value.get("/Pg", page)
                mcr_place = self.moved.get(mcr_page.idnum) \
                    if isinstance(mcr_page, IndirectObject) else None
                if mcr_place is not None:
                    value[NameObject("/Pg")] = mcr_place[0]
                    value[NameObject("/MCID")] = NumberObject(
                        self._mark(mcr_place, int(value["/MCID"]), ref))
                    kept.append(kid)
            else:
                if isinstance(kid, IndirectObject):
                    self._visit(kid)
                kept.append(kid)
        if len(kept) == 1 and not isinstance(kids.get_object(), ArrayObject):
            element[NameObject("/K")] = kept[0]
        elif kept:
            element[NameObject("/K")] = kept
        else:
            del element["/K"]

    def _mark(self, place: tuple[IndirectObject, int], mcid: int, owner: IndirectObject) -> int:
        side, offset = place
        self.parents.setdefault(side.idnum, {})[mcid + offset] = owner
        return mcid + offset


def _as_list(value) -> list:
    value_object = value.get_object()
    return list(value_object) if isinstance(value_object, ArrayObject) else [value]
