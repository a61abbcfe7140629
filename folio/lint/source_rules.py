"""Rules read straight from the Markdown source, line by line: what pandoc does not
parse (index marks' attributes, mdBook's directives) and explicit ids.

Every pattern runs in time linear in the line: no repeated part can match the
character that begins another attempt (a bracket, a brace, ``<``), so a line of
50,000 ``<a `` or ``[^`` costs a scan, not a scan from every position."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..files import read_text
from ..memo import Table
from .findings import Finding
from .locate import code_spans

_EXPLICIT_ID = re.compile(r"(?<!\{)\{(?!\{)[^{}]*#([\w:.-]+)")  # not mdBook's {{#…}}
_EMPTY_SPAN_INDEX = re.compile(r"\[\s*\]\{[^{}]*\.index")
_ATTRIBUTES = re.compile(r"\{[^{}]*")  # an attribute block, up to its end or the next one
_EMPTY_TERM = re.compile(r"term=\"\s*\"")
# mdBook's preprocessor directives, as mdBook finds them (not after a backslash).
MDBOOK_HELPER = re.compile(r"(?<!\\)\{\{\s*#(include|rustdoc_include|playground|playpen|title)\b")
_IGNORE = re.compile(r"<!--\s*lint:\s*ignore\s+([A-Z]\d{3}(?:[\s,]+[A-Z]\d{3})*)\s*-->")


def lines_of(path: Path, root: Path | None = None) -> list[str]:
    """The lines of the Markdown file *path*, read by the rule of ``folio.files``
    (inside *root*, default its folder); BuildError when it may not be read."""
    return read_text(path, [root or path.parent], what="Markdown file").splitlines()


def prose_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of the lines that are not code, each with its inline code
    blanked out (columns kept): fenced blocks (a fence closes only with its own
    character, at least as long), indented blocks and `code` are code."""
    spans = code_spans(lines)
    for number, line in enumerate(lines, start=1):
        for start, end in spans.get(number, ()):
            line = line[:start] + " " * (end - start) + line[end:]
        if line.strip():
            yield number, line


def ignored_codes(lines: list[str]) -> dict[int, set[str]]:
    """Codes silenced by ``<!-- lint: ignore CODE -->``, for that line and the next."""
    ignored: dict[int, set[str]] = {}
    for number, line in enumerate(lines, start=1):
        for match in _IGNORE.finditer(line):
            codes = set(re.findall(r"[A-Z]\d{3}", match[1]))
            for target in (number, number + 1):
                ignored.setdefault(target, set()).update(codes)
    return ignored


# serve: each file's findings and explicit ids, by its path and text (folio.memo)
_CHECKED = Table(4096)
_IDS = Table(4096)


def check_file(path: Path, root: Path) -> list[Finding]:
    """The rules that read the file *path* as written: empty index marks (I001) and
    mdBook's directives (R002), which mdBook itself finds in the text as written,
    code blocks included. BuildError when the file may not be read."""
    lines = lines_of(path, root)
    key = (str(path), "\n".join(lines))
    found = _CHECKED.get(key)
    if found is None:
        found = _check_lines(path, lines)
        _CHECKED.put(key, found)
    return found


def _check_lines(path: Path, lines: list[str]) -> list[Finding]:
    findings: list[Finding] = []
    for number, line in enumerate(lines, start=1):
        for match in MDBOOK_HELPER.finditer(line):
            findings.append(Finding(path, number, match.start() + 1, "R002",
                                    f"mdBook's {{{{#{match[1]} …}}}} is not read by Folio: "
                                    "the build would print it as written. Import the mdBook "
                                    "with 'build.py import' (it brings the files in), or "
                                    "paste what it names here"))
    for number, line in prose_lines(lines):
        for column in _empty_index_marks(line):
            findings.append(Finding(path, number, column, "I001",
                                    "an index mark needs a heading: mark some words or "
                                    "give term=\"…\""))
    return findings


def _empty_index_marks(line: str) -> Iterator[int]:
    """Columns (from 1) of index marks with nothing to index: ``[]{.index}``, or an
    attribute block with ``.index`` and then an empty ``term=""``."""
    for match in _EMPTY_SPAN_INDEX.finditer(line):
        yield match.start() + 1
    for block in _ATTRIBUTES.finditer(line):
        index = block[0].find(".index")
        if index >= 0 and _EMPTY_TERM.search(block[0], index):
            yield block.start() + 1


def duplicate_ids(paths: list[Path]) -> list[Finding]:
    seen: dict[str, tuple[Path, int]] = {}
    counts: Counter[str] = Counter()
    findings = []
    for path in paths:
        for number, start, anchor in _explicit_ids(lines_of(path)):
            counts[anchor] += 1
            if anchor in seen:
                first_path, first_line = seen[anchor]
                findings.append(Finding(path, number, start, "D001",
                                        f"id '{anchor}' is already given in "
                                        f"{first_path.name}:{first_line}"))
            else:
                seen[anchor] = (path, number)
    return findings


def _explicit_ids(lines: list[str]) -> list[tuple[int, int, str]]:
    """(line, column of the id's start, id) of each explicit id ``{#id}`` of *lines*."""
    text = "\n".join(lines)
    found = _IDS.get(text)
    if found is None:
        found = [(number, match.start(1), match[1]) for number, line in prose_lines(lines)
                 for match in _EXPLICIT_ID.finditer(line)]
        _IDS.put(text, found)
    return found
