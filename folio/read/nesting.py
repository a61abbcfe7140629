"""A limit on how deeply a text's markup nests, checked on pandoc's HTML before any
transform walks it: a list nested 500 deep made the layout (WeasyPrint) recurse
past Python's limit. A real book nests a dozen elements deep (section, quotation,
list in a list, emphasis, link); :data:`MAX_DEPTH` is five times that."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import BuildError
from ..files import read_text
from ..htmltree import HtmlElement

MAX_DEPTH = 60  # elements inside elements
_STRUCTURE = re.compile(r"^(?:[\s>*+-]|\d+[.)]|<[a-zA-Z][^<>]*>)*")


def deepest(root: HtmlElement) -> tuple[int, HtmlElement]:
    """How many elements deep *root*'s content nests, and the deepest element; without
    recursion."""
    best = (0, root)
    stack = [(child, 1) for child in root if isinstance(child.tag, str)]
    while stack:
        element, depth = stack.pop()
        if depth > best[0]:
            best = (depth, element)
        stack.extend((child, depth + 1) for child in element if isinstance(child.tag, str))
    return best


def check_nesting(root: HtmlElement, source: Path | None, what: str = "the text") -> None:
    """BuildError at the source line that nests deepest when *root* nests deeper than
    MAX_DEPTH."""
    depth, element = deepest(root)
    if depth <= MAX_DEPTH:
        return
    raise BuildError(f"{what} nests {depth} elements deep (lists in lists, quotations, "
                     f"tags), more than the {MAX_DEPTH} Folio lays out: flatten it",
                     source, _deepest_line(source, (element.text or "").strip()))


def _deepest_line(source: Path | None, text: str) -> int | None:
    """The line of *source* holding *text* behind the longest run of structure (indent,
    list markers, '>', opening tags): where the deepest nesting is written."""
    if source is None:
        return None
    try:
        lines = read_text(source, [source.parent]).splitlines()
    except BuildError:
        return None
    scored = [(len(_STRUCTURE.match(line)[0]), number)
              for number, line in enumerate(lines, start=1) if not text or text in line]
    return max(scored)[1] if scored else None


# Columns of indentation a line may have: lists nested MAX_DEPTH deep at pandoc's
# four columns a level. Deeper is refused before pandoc reads the file, whose time
# on such input grows with the machine's load, not only with the depth.
MAX_INDENT = 4 * MAX_DEPTH
_QUOTES = re.compile(r"^[ \t]*(?:>[ \t]*)+")


def check_written_nesting(text: str, source: Path) -> None:
    """BuildError at the first line of *text* written more than MAX_DEPTH levels deep:
    indented past MAX_INDENT columns, or behind more than MAX_DEPTH '>' marks."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.lstrip(" \t")
        if not stripped:
            continue
        indent = len(line[: len(line) - len(stripped)].expandtabs(4))
        quotes = _QUOTES.match(line)
        depth = quotes[0].count(">") if quotes else 0
        if indent > MAX_INDENT or depth > MAX_DEPTH:
            raise BuildError(f"the text nests deeper than the {MAX_DEPTH} levels Folio lays "
                             f"out (indented {indent} columns, {depth} quotation marks): "
                             "flatten it", source, number)
