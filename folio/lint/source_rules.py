"""Rules read straight from the Markdown source, line by line (no parsing needed).

Every pattern runs in time linear in the line: no repeated part can match the
character that begins another attempt (a bracket, a brace, ``<``), so a line of
50,000 ``<a `` or ``[^`` costs a scan, not a scan from every position."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from ..files import read_text
from .findings import Finding

_FENCE = re.compile(r"^\s*(```|~~~)")
# A note's label holds no blank, '^', '[' or ']' (pandoc's rule).
_NOTE_REF = re.compile(r"\[\^([^\]\[^\s]+)\](?!:)")
_NOTE_DEF = re.compile(r"^\[\^([^\]\[^\s]+)\]:")
_EXPLICIT_ID = re.compile(r"\{[^{}]*#([\w:.-]+)")
_LINK = re.compile(r"(?<!!)\[[^\[\]]*\]\(([^)\s\[\]]+)(?:\s+\"[^\"]*\")?\)")
_EMPTY_SPAN_INDEX = re.compile(r"\[\s*\]\{[^{}]*\.index")
_ATTRIBUTES = re.compile(r"\{[^{}]*")  # an attribute block, up to its end or the next one
_EMPTY_TERM = re.compile(r"term=\"\s*\"")
_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)
_FRAME = re.compile(r"<(iframe|object|embed)\b", re.IGNORECASE)
_HANDLER = re.compile(r"<[a-zA-Z][^<>]*\s(on[a-zA-Z]+)\s*=", re.IGNORECASE)
_JAVASCRIPT = re.compile(r"javascript\s*:", re.IGNORECASE)
_IGNORE = re.compile(r"<!--\s*lint:\s*ignore\s+([A-Z]\d{3}(?:[\s,]+[A-Z]\d{3})*)\s*-->")
# What is not prose, for the typography rules: code, attributes, link targets, tags.
_NOT_PROSE = re.compile(r"`[^`]*`|\{[^{}]*\}|\]\([^()\[\]]*\)|<[^<>]+>|^\s*\[\^[^\]]+\]:")


def lines_of(path: Path, root: Path | None = None) -> list[str]:
    """The lines of the Markdown file *path*, read by the rule of ``folio.files``
    (inside *root*, default its folder); BuildError when it may not be read."""
    return read_text(path, [root or path.parent], what="Markdown file").splitlines()


def prose_lines(lines: list[str]) -> Iterator[tuple[int, str]]:
    """(line number, text) of lines outside fenced code blocks and front matter."""
    fenced = False
    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
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


def check_file(path: Path, root: Path) -> list[Finding]:
    lines = lines_of(path, root)
    findings: list[Finding] = []

    def add(line: int, column: int, code: str, message: str) -> None:
        findings.append(Finding(path, line, column, code, message))

    refs: dict[str, tuple[int, int]] = {}
    defs: dict[str, tuple[int, int]] = {}
    for number, line in prose_lines(lines):
        definition = _NOTE_DEF.match(line)
        if definition:
            label = definition[1]
            if label in defs:
                add(number, 1, "N003", f"note [^{label}] is defined twice (first on line "
                                       f"{defs[label][0]})")
            defs.setdefault(label, (number, 1))
        for match in _NOTE_REF.finditer(line):
            refs.setdefault(match[1], (number, match.start() + 1))
        for match in _LINK.finditer(line):
            _check_link_target(match[1], path, root, number, match.start(1) + 1, add)
        for column in _empty_index_marks(line):
            add(number, column, "I001", "an index mark needs a heading: mark some words or "
                                        "give term=\"…\"")
        for pattern, code, what in ((_SCRIPT, "S001", "a <script> would run in the web book "
                                     "and in e-readers: remove it"),
                                    (_FRAME, "S002", "embedded frames and objects load other "
                                     "content: remove it")):
            for match in pattern.finditer(line):
                add(number, match.start() + 1, code, what)
        for match in _HANDLER.finditer(line):
            add(number, match.start(1) + 1, "S003", f"'{match[1]}' would run script: remove it")
        for match in _JAVASCRIPT.finditer(line):
            add(number, match.start() + 1, "S004", "a javascript: URL runs script: link to a "
                                                   "page or an anchor instead")
        _typography(line, number, add)
    for label, (number, column) in refs.items():
        if label not in defs:
            add(number, column, "N001", f"note [^{label}] is referenced but never defined: "
                                        f"add '[^{label}]: …' at the end of the file")
    for label, (number, column) in defs.items():
        if label not in refs:
            add(number, column, "N002", f"note [^{label}] is defined but never referenced")
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
        for number, line in prose_lines(lines_of(path)):
            for match in _EXPLICIT_ID.finditer(line):
                anchor = match[1]
                counts[anchor] += 1
                if anchor in seen:
                    first_path, first_line = seen[anchor]
                    findings.append(Finding(path, number, match.start(1), "D001",
                                            f"id '{anchor}' is already given in "
                                            f"{first_path.name}:{first_line}"))
                else:
                    seen[anchor] = (path, number)
    return findings


def _check_link_target(target: str, path: Path, root: Path, line: int, column: int,
                       add) -> None:
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", target) or target.startswith("#"):
        return  # external URLs are for `check --external`; anchors are checked on the model
    file = target.split("#")[0]
    if not any((folder / file).resolve().is_file() for folder in (path.parent, root)):
        add(line, column, "L002", f"link to '{file}', which is not a file of the book")


def _typography(line: str, number: int, add) -> None:
    prose = _NOT_PROSE.sub(lambda m: "\x00" * len(m[0]), line)  # keeps columns
    if prose.lstrip().startswith(("|", "---", "***", "___")):
        return
    quote = re.search(r"[\"']", prose)
    if quote:
        add(number, quote.start() + 1, "T001", "straight quote: write “ ” ‘ ’ (or ’ for an "
                                               "apostrophe)")
    double = re.search(r"(?<=\S)  +(?=\S)", prose)
    if double:
        add(number, double.start() + 1, "T002", "two spaces in a row")
    dashes = re.search(r"(?<!-)--(?!-)", prose)
    if dashes:
        add(number, dashes.start() + 1, "T003", "'--': write an en dash (–) for ranges or an "
                                                "em dash (—) for a break")
