"""Tagged PDF as PDF/UA-1 asks (ISO 14289-1, 7.1, 7.3, 7.18.5), finishing what
WeasyPrint's tagging (``pdf_tags=True``, the tagging of its ``pdf/ua-1`` variant)
leaves undone in a part's PDF:

- the running heads and folios (CSS page-margin boxes): WeasyPrint marks their text
  with MCIDs but keeps their elements out of the structure tree (its note: an
  Artifact element would need PDF 2.0), so their text is neither tagged nor an
  artifact. Here their marked content becomes ``/Artifact`` (of type
  ``/Pagination``) and leaves the parent tree (ISO 32000-1, 14.8.2.2);
- a figure without alternate text (an image with ``alt=""``, which HTML calls
  decorative): its marked content becomes an ``/Artifact`` and its element leaves
  the tree; a book's own images always have a description (lint rule X002);
- a link annotation's ``/Contents`` (7.18.5): WeasyPrint writes the target's name
  (``#ch2``); here it is what the link says (its ``aria-label``, ``title``, words
  or image descriptions), from the document.

Rules, borders and backgrounds WeasyPrint already draws as artifacts."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pydyf

_INVISIBLE = {0x200B: None, 0x00AD: None}  # zero-width space, soft hyphen
# How a sequence that becomes an artifact opens: a running head or folio, an image
# HTML calls decorative (ISO 32000-1, 14.8.2.2).
PAGINATION = b"/Artifact <</Type /Pagination>> BDC"
DECORATION = b"/Artifact BMC"
_MARKED = re.compile(rb"/[A-Za-z]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC")


def describe_links(document, _pdf: pydyf.PDF) -> None:
    """A WeasyPrint finisher: every link annotation's ``/Contents`` says what its link
    says (see ``link_description``), not where it goes."""
    for page in document.pages:
        for _kind, target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            annotation["Contents"] = pydyf.String(link_description(box.element, target))


def link_description(element, target: str) -> str:
    """What a link (an ElementTree element) says, for a screen reader: its
    ``aria-label``, else its words, else its ``title``, else the descriptions of its
    images, else *target*; without the invisible breaks the print layout adds."""
    words = _plain("".join(element.itertext()))
    alts = [_plain(image.get("alt", "")) for image in element.iter()
            if isinstance(image.tag, str) and image.tag.rsplit("}", 1)[-1] == "img"]
    for found in (_plain(element.get("aria-label", "")), words,
                  _plain(element.get("title", "")), " ".join(alt for alt in alts if alt)):
        if found:
            return found
    return target


def _plain(text: str) -> str:
    """*text* on one line, without zero-width spaces and soft hyphens."""
    return " ".join(text.translate(_INVISIBLE).split())


def finishers(*steps: Callable) -> Callable:
    """One WeasyPrint finisher that runs *steps* in order."""

    def finish(document, pdf: pydyf.PDF) -> None:
        for step in steps:
            step(document, pdf)

    return finish


def finish_tags(path: Path) -> None:
    """Rewrite the tagged PDF at *path* (one WeasyPrint wrote) with its untagged
    content as artifacts (see the module's description)."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        if mark_artifacts(pdf):
            pdf.save(path, deterministic_id=True)


def mark_artifacts(pdf: pikepdf.Pdf) -> bool:
    """Turn into artifacts the marked content of *pdf* whose structure element is not
    in the structure tree, or is a Figure without ``/Alt``; drop those elements.
    Returns whether anything changed."""
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/ParentTree" not in root:
        return False
    reachable: set[tuple[int, int]] = set()
    decorative: dict[tuple[int, int], pikepdf.Dictionary] = {}
    for element in _elements(root):
        reachable.add(element.objgen)
        if str(element.S) == "/Figure" and not str(element.get("/Alt", "")).strip():
            decorative[element.objgen] = element
    numbers = root.ParentTree.get("/Nums", pikepdf.Array())
    by_key = {int(numbers[i]): numbers[i + 1] for i in range(0, len(numbers), 2)}
    changed = False
    for page in pdf.pages:
        if "/StructParents" not in page.obj:
            continue
        mcids = by_key.get(int(page.obj.StructParents))
        if not isinstance(mcids, pikepdf.Array):
            continue
        kinds: dict[int, bytes] = {}
        for mcid, element in enumerate(mcids):
            if not isinstance(element, pikepdf.Dictionary):
                continue
            if element.objgen not in reachable:
                kinds[mcid] = PAGINATION
            elif element.objgen in decorative:
                kinds[mcid] = DECORATION
        if not kinds:
            continue
        _rewrite(pdf, page, kinds)
        for mcid in kinds:
            mcids[mcid] = None
        changed = True
    for figure in decorative.values():
        parent = figure.get("/P")
        if isinstance(parent, pikepdf.Dictionary) and isinstance(parent.get("/K"),
                                                                 pikepdf.Array):
            parent.K = pikepdf.Array([kid for kid in parent.K
                                      if not (isinstance(kid, pikepdf.Dictionary)
                                              and kid.objgen == figure.objgen)])
            changed = True
    return changed


def _rewrite(pdf: pikepdf.Pdf, page: pikepdf.Page, kinds: dict[int, bytes]) -> None:
    """*page*'s content with each marked-content sequence whose MCID is in *kinds*
    opened instead by the operator *kinds* gives (an artifact's ``BMC`` or ``BDC``).

    WeasyPrint writes each ``/Tag <</MCID n>> BDC`` alike, so they are found in the
    bytes; when the sequences found are not exactly those asked for (a content stream
    written otherwise), the content is parsed and written again operator by operator
    (ten times slower)."""
    page.contents_coalesce()
    data = page.obj.Contents.read_bytes()
    found: list[int] = []

    def replace(match: re.Match) -> bytes:
        mcid = int(match[1])
        if mcid not in kinds:
            return match[0]
        found.append(mcid)
        return kinds[mcid]

    rewritten = _MARKED.sub(replace, data)
    if sorted(found) != sorted(kinds):
        rewritten = _rewrite_operators(pdf, page, kinds)
    page.obj.Contents = pdf.make_stream(rewritten)


def _rewrite_operators(pdf: pikepdf.Pdf, page: pikepdf.Page, kinds: dict[int, bytes]) -> bytes:
    """`_rewrite` by parsing the content stream."""
    operations = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC" and isinstance(operands[1], pikepdf.Dictionary):
            mcid = operands[1].get("/MCID")
            if mcid is not None and int(mcid) in kinds:
                operations += pikepdf.parse_content_stream(
                    pikepdf.Stream(pdf, kinds[int(mcid)]))
                continue
        operations.append((operands, operator))
    return pikepdf.unparse_content_stream(operations)


def _elements(root: pikepdf.Object) -> Iterator[pikepdf.Dictionary]:
    """Every structure element under *root* (depth first, each once)."""
    seen: set[tuple[int, int]] = set()
    stack = list(reversed(_kids(root)))
    while stack:
        element = stack.pop()
        if not isinstance(element, pikepdf.Dictionary) or "/S" not in element:
            continue  # a marked-content or object reference
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        yield element
        stack.extend(reversed(_kids(element)))


def _kids(element: pikepdf.Object) -> list:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]
