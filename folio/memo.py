"""Results of the reading's pure steps kept for the life of the process, for
``serve``: a save re-reads the whole book, but most of what it reads (YAML files,
the snippets pandoc renders for them, the cleaning of unchanged HTML) is what the
last save read.

Off unless :func:`keep` turned it on, so that a build keeps nothing. Each table
holds its *size* latest entries; a value is copied in and out (``copy.deepcopy``),
so that what a caller does with it never reaches the next."""

from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from lxml import etree
from lxml import html as lxml_html

T = TypeVar("T")

_kept = False


def keep(on: bool = True) -> None:
    """Keep results from now on (``serve``), or stop and forget them."""
    global _kept
    _kept = on
    if not on:
        for table in _TABLES:
            table.entries.clear()
            table.touched.clear()


def sweep() -> None:
    """Forget every result not taken or kept since the last sweep: ``serve`` sweeps
    after each save it read whole, so that what is kept is what the book is now (an
    old version of an edited chapter goes), not what a day of saves made."""
    for table in _TABLES:
        with table.lock:
            for key in [key for key in table.entries if key not in table.touched]:
                del table.entries[key]
            table.touched.clear()


@contextmanager
def paused() -> Iterator[None]:
    """Nothing kept or taken while it lasts (a cold build in a process that serves),
    what is kept left as it is for after."""
    global _kept
    kept, _kept = _kept, False
    try:
        yield
    finally:
        _kept = kept


class Table:
    """One step's results, by a key made of everything the step depends on."""

    def __init__(self, size: int):
        self.size = size
        self.entries: OrderedDict[Hashable, Any] = OrderedDict()
        self.touched: set[Hashable] = set()  # taken or kept since the last sweep
        self.lock = threading.Lock()  # the reading runs side readings in threads
        _TABLES.append(self)

    def get(self, key: Hashable) -> Any | None:
        """A copy of the result kept under *key*; None when none is (or nothing is kept)."""
        if not _kept:
            return None
        with self.lock:
            if key not in self.entries:
                return None
            self.entries.move_to_end(key)
            self.touched.add(key)
            value = self.entries[key]
        return copy.deepcopy(value)

    def put(self, key: Hashable, value: Any) -> None:
        if not _kept:
            return
        value = copy.deepcopy(value)
        with self.lock:
            self.entries[key] = value
            self.entries.move_to_end(key)
            self.touched.add(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)


_TABLES: list[Table] = []


def in_place(table: Table, root: lxml_html.HtmlElement, key: Hashable,
             step: Callable[[lxml_html.HtmlElement], T]) -> T:
    """``step(root)``, a step that changes the tree *root* in place and depends on
    nothing but that tree and *key*; its value. While results are kept, a tree whose
    markup and *key* are those of a kept run gets that run's tree and value instead
    (the children are replaced, *root* itself stays the element the model holds)."""
    if not _kept:
        return step(root)
    whole = (key, etree.tostring(root, with_tail=False))
    found = table.get(whole)
    if found is not None:
        tree, value = found
        root.attrib.clear()
        root.attrib.update(tree.attrib)
        root.text = tree.text
        root[:] = list(tree)
        return value
    value = step(root)
    table.put(whole, (root, value))
    return value
