"""mdBook's ``SUMMARY.md``: the book's order, read as mdBook reads it.

The grammar (mdBook's guide, "SUMMARY.md"): an optional title (``# Summary``);
prefix chapters (``[Title](file.md)`` lines, no list marker); numbered chapters
(list items ``- [Title](file.md)``, nested by indentation), among which ``#``
headings are part titles and ``---`` separators; then suffix chapters (plain
links again). ``[Title]()`` is a draft chapter: listed, with no file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

PREFIX, NUMBERED, SUFFIX = "prefix", "numbered", "suffix"
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_ITEM = re.compile(r"^(?P<indent>\s*)(?P<marker>[-*+]\s+)?\[(?P<title>.*)\]\((?P<path>[^()]*)\)"
                   r"\s*$")
_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.*?)\s*#*\s*$")
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")


@dataclass
class Entry:
    """One chapter of SUMMARY.md: its *title* (Markdown), its *path* relative to the
    source folder (None for a draft), where it stands (PREFIX, NUMBERED, SUFFIX), the
    part title above it, its *line* in SUMMARY.md and its nested chapters."""

    title: str
    path: str | None
    place: str
    line: int
    part: str | None = None
    children: list[Entry] = field(default_factory=list)


@dataclass
class Summary:
    entries: list[Entry]
    unread: list[tuple[int, str]]  # lines not understood: (line, text)


def parse_summary(text: str) -> Summary:
    """The chapters of *text* (SUMMARY.md), top-level entries with their children."""
    text = _COMMENT.sub(lambda m: "\n" * m[0].count("\n"), text)
    entries: list[Entry] = []
    unread: list[tuple[int, str]] = []
    stack: list[tuple[int, Entry]] = []  # (indentation, entry) of the open list items
    part: str | None = None
    seen_anything = False
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        heading = _HEADING.match(line)
        if heading:
            if seen_anything:
                part, stack = heading["title"], []
            seen_anything = True
            continue
        seen_anything = True
        if _SEPARATOR.match(line):
            continue
        item = _ITEM.match(line)
        if item is None:
            unread.append((number, line.strip()))
            continue
        path = unquote(item["path"].strip()) or None
        title = item["title"].strip()
        if item["marker"]:
            indent = len(item["indent"].expandtabs(4))
            entry = Entry(title, path, NUMBERED, number, part)
            part = None
            while stack and stack[-1][0] >= indent:
                stack.pop()
            if stack:
                stack[-1][1].children.append(entry)
            else:
                entries.append(entry)
            stack.append((indent, entry))
        else:
            numbered = any(e.place == NUMBERED for e in entries)
            entries.append(Entry(title, path, SUFFIX if numbered else PREFIX, number))
            stack = []
    return Summary(entries, unread)
