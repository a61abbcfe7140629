"""Finding a passage of pandoc's reading again in its Markdown file.

Pandoc's Markdown reader tells no source positions, so a rule that works on what
pandoc parsed (a raw passage, a link target, a word of the text) looks for it in
the file: the first of its *needles* (the ways it may be written) that the file
holds. Asked again for the same needle, the locator gives its next place, so the
second of two equal passages is found at the second place that shows it. What a
rule looks for never comes from code, so a place outside code (fenced, indented or
inline, as far as lines show them) is taken before one inside. The search is
case-insensitive and runs in time linear in the file."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from ..errors import BuildError
from ..files import read_text


class Locator:
    """Places in the text of *path* (a file inside *root*); an unreadable file has none."""

    def __init__(self, path: Path, root: Path):
        try:
            text = read_text(path, [root], what="Markdown file")
        except BuildError:
            text = ""
        self.lines = text.splitlines()
        self._lower = [line.lower() for line in self.lines]
        self._asked: Counter[str] = Counter()
        self._places: dict[str, list[tuple[int, int]]] = {}
        self._code = code_spans(self.lines)

    def find(self, *needles: str, offset: int = 0) -> tuple[int | None, int | None]:
        """(line, column), both from 1, of the next place that shows the first of
        *needles* found in the file, plus *offset* characters; (None, None) when none
        is there."""
        for needle in needles:
            if not needle:
                continue
            places = self.places(needle)
            if places:
                line, column = places[min(self._asked[needle], len(places) - 1)]
                self._asked[needle] += 1
                return line, column + offset
        return None, None

    def places(self, needle: str) -> list[tuple[int, int]]:
        """Every (line, column) where *needle* (one line of text) starts."""
        needle = needle.lower()
        if needle in self._places:
            return self._places[needle]
        found: list[tuple[int, int]] = []
        self._places[needle] = found
        for number, line in enumerate(self._lower, start=1):
            start = line.find(needle)
            while start >= 0:
                found.append((number, start + 1))
                start = line.find(needle, start + len(needle))
        prose = [(n, c) for n, c in found
                 if not any(a <= c - 1 < b for a, b in self._code.get(n, ()))]
        found[:] = prose or found
        return found


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_BACKTICKS = re.compile(r"`+")


def code_spans(lines: list[str]) -> dict[int, list[tuple[int, int]]]:
    """{line number: [(start, end), …]} of the code in *lines* (0-based columns, end
    excluded): fenced blocks, indented blocks after a blank line, inline code."""
    spans: dict[int, list[tuple[int, int]]] = {}
    fence = ""
    indented = False
    blank = True
    for number, line in enumerate(lines, start=1):
        opening = _FENCE.match(line)
        if fence:
            spans[number] = [(0, len(line))]
            if opening and opening[1][0] == fence[0] and len(opening[1]) >= len(fence) \
                    and not line[opening.end():].strip():
                fence = ""
            continue
        if opening:
            fence = opening[1]
            spans[number] = [(0, len(line))]
            continue
        indented = (blank or indented) and line.startswith(("    ", "\t")) and bool(line.strip())
        if indented:
            spans[number] = [(0, len(line))]
        else:
            spans[number] = _inline_code(line)
        blank = not line.strip()
    return spans


def _inline_code(line: str) -> list[tuple[int, int]]:
    """The inline code spans of *line*: a run of backticks up to the next run of the
    same length."""
    spans, open_at, width = [], None, 0
    for run in _BACKTICKS.finditer(line):
        if open_at is None:
            open_at, width = run.start(), len(run[0])
        elif len(run[0]) == width:
            spans.append((open_at, run.end()))
            open_at = None
    return spans
