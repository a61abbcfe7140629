"""mdBook's helpers in a chapter's text, resolved as mdBook's ``links`` preprocessor
does (mdBook's guide, "mdBook-specific features"), from the book's own files only.

- ``{{#include file}}``, ``{{#include file:2}}``, ``file:2:10``, ``file:2:``,
  ``file::10`` (lines, from 1, both ends kept) and ``{{#include file:name}}`` (the
  lines between ``ANCHOR: name`` and ``ANCHOR_END: name``); the anchor lines
  themselves never appear. Included files may include others (10 deep).
- ``{{#rustdoc_include …}}``: the same lines. mdBook adds the rest of the file as
  hidden lines (``# ``) for the playground; a printed book shows only the chosen ones.
- ``{{#playground file}}``: the file as a Rust listing.
- ``{{#title …}}``: the web page's title; a book has none, so it goes (reported).
- ``\\{{#…}}`` is the helper's text, written without the backslash; a helper
  naming no file (``{{#include}}`` in prose about helpers) stays as it is, as in mdBook.

A path is relative to the file that names it and may not leave the source folder
or pass through a symbolic link: such an include is reported, not followed.
"""

from __future__ import annotations

import re
from pathlib import Path

from .sourcefiles import Refused, SourceTree

MAX_DEPTH = 10
_HELPER = re.compile(r"\\\{\{#[^}]*\}\}|\{\{\s*#([a-zA-Z0-9_]+)\s*([^}]*?)\s*\}\}")
_ANCHOR_START = re.compile(r"ANCHOR:\s*([\w_-]+)")
_ANCHOR_END = re.compile(r"ANCHOR_END:\s*([\w_-]+)")


def expand(text: str, path: Path, tree: SourceTree, depth: int = 0) -> str:
    """*text* (of the file *path*) with every helper resolved; what cannot be is
    reported at its line and left out."""

    def replace(match: re.Match[str]) -> str:
        if match[0].startswith("\\"):
            return match[0][1:]
        line = text.count("\n", 0, match.start()) + 1
        kind, argument = match[1], match[2]
        if not argument:
            return match[0]  # no file named: mdBook leaves the words as they are
        if kind == "title":
            tree.note(path, line, f"mdBook's page title '{argument}' has no place in a book "
                                  "and is left out")
            return ""
        if kind not in ("include", "rustdoc_include", "playground"):
            tree.note(path, line, f"mdBook's '{{{{#{kind}}}}}' is not known to Folio: "
                                  "write out what it stood for")
            return ""
        if depth >= MAX_DEPTH:
            tree.note(path, line, f"includes nested more than {MAX_DEPTH} deep are left out")
            return ""
        name, _, selection = (argument.split() or [""])[0].partition(":")
        try:
            target, content = tree.read_named(name, path.parent)
        except Refused as refused:
            tree.note(path, line, f"the include is left out: {refused}")
            return ""
        lines = content.splitlines()
        chosen = _select(lines, selection)
        if chosen is None:
            tree.note(path, line, f"the include is left out: '{selection}' is no anchor "
                                  f"(ANCHOR: {selection}) of {name}")
            return ""
        chosen = [item for item in chosen
                  if not (_ANCHOR_START.search(item) or _ANCHOR_END.search(item))]
        body = expand("\n".join(chosen), target, tree, depth + 1)
        if kind == "playground":
            return f"```rust\n{body}\n```"
        return body

    return _HELPER.sub(replace, text)


def _select(lines: list[str], selection: str) -> list[str] | None:
    """The lines *selection* names (empty: all); None when an anchor is not found."""
    if not selection:
        return lines
    first, _, last = selection.partition(":")
    if first.strip() and not first.strip().isdigit():
        return _anchored(lines, first.strip())
    start = int(first) - 1 if first.strip() else 0
    if ":" not in selection:
        return lines[max(start, 0):start + 1]
    end = int(last) if last.strip().isdigit() else len(lines)
    return lines[max(start, 0):end]


def _anchored(lines: list[str], name: str) -> list[str] | None:
    inside, found, chosen = False, False, []
    for line in lines:
        start, end = _ANCHOR_START.search(line), _ANCHOR_END.search(line)
        if start and start[1] == name:
            inside = found = True
        elif end and end[1] == name:
            inside = False
        elif inside:
            chosen.append(line)
    return chosen if found else None
