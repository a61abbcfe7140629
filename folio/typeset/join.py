"""Join the parts' PDFs into one book (pikepdf): pages in order, and what each part
held for itself made whole again:

- named destinations: each part's own anchors (a part's stand-ins for anchors in
  other parts are dropped), so every link, written by name, reaches its target;
- the structure tree (tagged PDF): one Document element holding every part's
  elements, the parent tree renumbered, pages and annotations pointed at it;
- the outline: every part's bookmarks, in order;
- page labels matching the printed folios; the front matter's title, author,
  language and viewer settings, and the XMP metadata that claims PDF/UA-1 (``xmp``);
- each typeface embedded once (``fontjoin``), not once a part;
- the folios, laid out apart from the pages (``folio_layer``), laid over them as
  pagination artifacts (PDF 1.7 § 14.8.2.2).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pikepdf

from .fontjoin import share_font_programs
from .parts import Part
from .xmp import PDF_VERSION, Identification, write_metadata


def join_parts(parts: list[Part], target: Path, labels: list[tuple[int, dict]],
               info_from: Part, font_files: list[Path], date: str = "",
               nested: list[bool] | None = None,
               identification: Identification | None = None, direction: str = "ltr",
               layers: list[Part | None] | None = None) -> None:
    """Write *parts* as one PDF to *target*; *labels* are the page label ranges
    (first page, {"S": "/r"} or {"P": "Cover"}…), *info_from* gives the metadata,
    *font_files* are the theme's fonts, each face embedded once; *date* (ISO 8601,
    UTC) is the PDF's creation and modification date; *nested*, one flag a part,
    puts a part's bookmarks under the last bookmark of the parts before (the
    chapters of a part of the book under the part); *identification*, when given,
    makes the XMP metadata (``xmp.write_metadata``) and the file PDF 1.7; *direction*
    "rtl" marks the book as read right to left (/ViewerPreferences /Direction /R2L,
    PDF 1.7 § 12.2: a viewer sets facing pages from right to left, the first on the left);
    *layers*, one a part or None, the folio layers laid over its pages."""
    nested = nested or [False] * len(parts)
    layers = layers or [None] * len(parts)
    book = pikepdf.new()
    sources = [pikepdf.open(part.pdf) for part in parts]
    layer_pdfs = [pikepdf.open(layer.pdf) if layer is not None else None for layer in layers]
    try:
        structure = _Structure(book)
        destinations: dict[str, pikepdf.Object] = {}
        outline: list[pikepdf.OutlineItem] = []
        for part, source, inside, layer in zip(parts, sources, nested, layer_pdfs, strict=True):
            first = len(book.pages)
            with warnings.catch_warnings():  # named destinations are joined below
                warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                book.pages.extend(source.pages)
            if layer is not None:
                _lay_over(book, first, layer)
            structure.add(source, first)
            for name, destination in _destinations(source):
                if name in part.anchors:
                    destinations.setdefault(name, _copy(book, destination))
            items = _outline(book, source)
            if inside and outline:
                outline[-1].children.extend(items)
            else:
                outline += items
        structure.finish()
        tree = pikepdf.NameTree.new(book)
        for name in sorted(destinations):
            tree[name] = destinations[name]
        book.Root.Names = pikepdf.Dictionary(Dests=tree.obj)
        with book.open_outline() as book_outline:
            book_outline.root.extend(outline)
        book.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(
            [value for first, label in labels
             for value in (first, pikepdf.Dictionary({f"/{k}": _pdf(v)
                                                      for k, v in label.items()}))]))
        front = sources[parts.index(info_from)]
        if "/Lang" in front.Root:
            book.Root.Lang = pikepdf.String(str(front.Root.Lang))
        book.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        if direction == "rtl":
            book.Root.ViewerPreferences.Direction = pikepdf.Name.R2L
        book.docinfo = book.make_indirect(pikepdf.Dictionary({
            key: pikepdf.String(str(value)) for key, value in front.docinfo.items()
            if isinstance(value, pikepdf.String)}))
        if date:
            stamp = "D:" + "".join(c for c in date if c.isdigit())[:14] + "Z"
            book.docinfo.CreationDate = book.docinfo.ModDate = pikepdf.String(stamp)
        if identification is not None:
            write_metadata(book, identification)
        share_font_programs(book, font_files)
        book.save(target, deterministic_id=True,
                  object_stream_mode=pikepdf.ObjectStreamMode.generate,
                  min_version=PDF_VERSION if identification is not None else "")
    finally:
        for source in [*sources, *filter(None, layer_pdfs)]:
            source.close()


_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"


def _lay_over(book: pikepdf.Pdf, first: int, layer: pikepdf.Pdf) -> None:
    """Each page of *layer* drawn over the page of *book* it stands for, from page
    *first* on, as a form XObject inside a pagination artifact; the page's own
    content is wrapped in q … Q so that its graphics state does not reach the layer."""
    for offset, layer_page in enumerate(layer.pages):
        page = book.pages[first + offset]
        form = book.copy_foreign(layer_page.as_form_xobject())
        # The pages of a part share one resource dictionary: each gets its own copy.
        resources = pikepdf.Dictionary(dict(page.obj.get("/Resources", {}).items()))
        forms = pikepdf.Dictionary(dict(resources.get("/XObject", {}).items()))
        resources.XObject = forms
        page.obj.Resources = resources
        name = pikepdf.Name("/FolioLayer")  # a name of our own: the bytes do not vary
        while name in forms:
            name = pikepdf.Name(str(name) + "_")
        forms[name] = form
        page.contents_add(pikepdf.Stream(book, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(
            book, b"\nQ\nq " + _ARTIFACT + b" " + bytes(name) + b" Do EMC Q\n"))


def _copy(book: pikepdf.Pdf, value: pikepdf.Object) -> pikepdf.Object:
    """*value* from another PDF, the objects it refers to copied once each."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return book.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([_copy(book, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: _copy(book, item) for key, item in value.items()})
    return value


def _pdf(value: str) -> pikepdf.Object:
    return pikepdf.Name(value) if value.startswith("/") else pikepdf.String(value)


def _destinations(source: pikepdf.Pdf):
    names = source.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return []
    return list(pikepdf.NameTree(names.Dests).items())


def _outline(book: pikepdf.Pdf, source: pikepdf.Pdf) -> list[pikepdf.OutlineItem]:
    def copy(item: pikepdf.OutlineItem) -> pikepdf.OutlineItem:
        destination = item.destination
        if destination is None and item.action is not None:
            destination = item.action.get("/D")
        new = pikepdf.OutlineItem(item.title, _copy(book, destination)
                                  if isinstance(destination, pikepdf.Array) else destination)
        new.is_closed = item.is_closed
        new.children.extend(copy(child) for child in item.children)
        return new

    with source.open_outline() as outline:
        return [copy(item) for item in outline.root]


class _Structure:
    """The joined structure tree: the parts' Document elements' children under one."""

    def __init__(self, book: pikepdf.Pdf):
        self.book = book
        self.root = book.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot))
        self.document = book.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.StructElem, S=pikepdf.Name.Document, P=self.root,
            K=pikepdf.Array()))
        self.root.K = pikepdf.Array([self.document])
        self.numbers = pikepdf.Array()
        self.next_key = 0

    def add(self, source: pikepdf.Pdf, first_page: int) -> None:
        root = source.Root.get("/StructTreeRoot")
        if root is None:
            return
        offset = self.next_key
        for element in root.K if isinstance(root.K, pikepdf.Array) else [root.K]:
            copied = _copy(self.book, element)
            for child in _kids(copied):
                if isinstance(child, pikepdf.Dictionary):
                    child.P = self.document
                self.document.K.append(child)
        numbers = _copy(self.book, root.ParentTree).get("/Nums", pikepdf.Array())
        last = -1
        for index in range(0, len(numbers), 2):
            key = int(numbers[index])
            self.numbers.append(key + offset)
            self.numbers.append(numbers[index + 1])
            last = max(last, key)
        for page in self.book.pages[first_page:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        self.next_key = offset + last + 1

    def finish(self) -> None:
        self.root.ParentTree = self.book.make_indirect(pikepdf.Dictionary(Nums=self.numbers))
        self.root.ParentTreeNextKey = self.next_key
        self.book.Root.StructTreeRoot = self.root
        self.book.Root.MarkInfo = pikepdf.Dictionary(Marked=True)


def _kids(element: pikepdf.Object) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]
