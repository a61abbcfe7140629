"""The marks each text of the book gets on its own: acronyms (``acronyms``), then
exact text and its break opportunities (``breaks``, which takes acronym marks out of
code and addresses again).

Neither depends on anything but the text, so ``serve`` keeps each text's result from
one save to the next by its markup (``memo.in_place``): a save re-marks the texts
that changed, not the whole book."""

from __future__ import annotations

from .. import memo
from ..htmltree import HtmlElement
from ..model import Book
from .acronyms import mark_acronyms_in
from .breaks import mark_exact_text_in

# serve: each text as marked, by its markup before (folio.memo); a text a section,
# a note, a definition, an event …: a long book has a few thousand.
_MARKED = memo.Table(20_000)


def mark_texts(book: Book) -> None:
    """Acronyms, then exact text, marked in every text of *book* (``Book.texts``)."""
    for root in book.texts():
        memo.in_place(_MARKED, root, None, _mark)


def _mark(root: HtmlElement) -> None:
    mark_acronyms_in(root)
    mark_exact_text_in(root)
