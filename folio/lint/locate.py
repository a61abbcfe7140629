"""Finding a passage of pandoc's reading again in its Markdown file.

Pandoc's Markdown reader tells no source positions, so a rule that works on what
pandoc parsed (a raw passage, a link target, a word of the text) looks for it in
the file: the first of its *needles* (the ways it may be written) that the file
holds. Asked again for the same needle, the locator gives its next place, so the
second of two equal passages is found at the second place that shows it. The
search is case-insensitive and runs in time linear in the file."""

from __future__ import annotations

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
        return found
