"""What the cleaning of the book's HTML and images removed, each at the place in the
manuscript it comes from.

Pandoc does not tell where in a Markdown file an element of its HTML comes from, so a
change is found again in the source text: the first strings that may show it (the
removed tag's ``<name``, an attribute's value or name) are looked for, entity-decoded
as well as raw, in the lines the fragment comes from; the second change of one kind
goes to the second place that shows it. A change found nowhere is reported at the
fragment's first line (a glossary entry, a setting), or at its file."""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .sanitize import Change


@dataclass(frozen=True)
class Removal:
    """Something the cleaning removed or changed: *path* and *line* (1-based; None
    when unknown) of its source, and a message saying what and why."""

    path: Path | None
    line: int | None
    message: str


@dataclass(frozen=True)
class Origin:
    """Where a fragment's source is: *path*, and the lines *first* to *last* (1-based,
    inclusive; *last* None for the rest of the file) that hold it."""

    path: Path | None
    first: int = 1
    last: int | None = None


def locate(changes: list[Change], origin: Origin) -> list[Removal]:
    """Each of *changes* (in the order of the fragment) as a Removal at its line."""
    if not changes:
        return []
    lines = _lines(origin)
    used: Counter[str] = Counter()
    found = []
    for change in changes:
        line = None
        for needle in change.needles:
            places = [number for number, text in lines
                      for _ in range(_count(needle.lower(), text))]
            if places:
                line = places[min(used[needle], len(places) - 1)]
                used[needle] += 1
                break
        if line is None and origin.last is not None:
            line = origin.first
        found.append(Removal(origin.path, line, change.message))
    return found


def _lines(origin: Origin) -> list[tuple[int, str]]:
    """(number, text) of the origin's lines, each lower-cased, raw and entity-decoded."""
    if origin.path is None:
        return []
    try:
        text = origin.path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    lines = text.splitlines()
    last = len(lines) if origin.last is None else min(origin.last, len(lines))
    return [(number, f"{line}\n{html.unescape(line)}".lower())
            for number, line in enumerate(lines[origin.first - 1:last], start=origin.first)]


def _count(needle: str, text: str) -> int:
    """How often *needle* shows on a line (*text*: the line raw, then decoded)."""
    raw, _, decoded = text.partition("\n")
    return max(raw.count(needle), decoded.count(needle))
