"""pandoc for the importers: sandboxed, with a time and a memory limit.

Every run has ``--sandbox`` (pandoc reads only the inputs it is given and writes
only its output and ``--extract-media``), a time budget of
``folio.read.pandoc.time_budget`` for the bytes it reads, and at most
``MEMORY`` of heap (GHC's runtime option ``-M``), so that a hostile document ends
in a message rather than a hang or the machine's memory."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from ..errors import BuildError
from ..read.pandoc import pandoc_path, time_budget
from ..subprocesses import run_on_budget

MEMORY = "2g"  # pandoc's heap: a 500-page manuscript needs a tenth of it
MARKDOWN_OUT = "markdown-smart-simple_tables-multiline_tables"
"""The Markdown the importers write: pandoc's, with literal quotes and dashes (the
text is already typographic) and pipe or grid tables, whose lines Folio's
typography rules do not read as prose."""


def run_pandoc(arguments: list[str], source: Path, stdin: str | None = None,
               size: int = 0, environment: dict[str, str] | None = None) -> str:
    """pandoc's standard output for *arguments* (input files among them, or *stdin*);
    *size* is the number of bytes it reads (for the time budget). BuildError at
    *source* when pandoc fails, runs out of time or of memory."""
    budget = time_budget(size or len((stdin or "").encode()))
    command = [pandoc_path(), "+RTS", f"-M{MEMORY}", "-RTS", "--sandbox", *arguments]
    result = run_on_budget(command, stdin, budget, {**os.environ, **(environment or {})})
    if result.over_budget:
        raise BuildError(f"pandoc took more than {budget:.0f} s to read this, which a real "
                         "document never needs", source)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        message = lines[-1] if lines else f"pandoc failed ({result.returncode})"
        if "heap overflow" in result.stderr.lower():
            message = "it needs more memory than any real document"
        raise BuildError(f"pandoc could not read this: {message}", source)
    return result.stdout


def to_json(arguments: list[str], source: Path, stdin: str | None = None, size: int = 0,
            environment: dict[str, str] | None = None) -> dict:
    """pandoc's document (its JSON AST) for *arguments*, which name the reader."""
    return json.loads(run_pandoc([*arguments, "--to", "json"], source, stdin, size,
                                 environment))


def to_markdown(document: dict, source: Path) -> str:
    """*document* (a JSON AST) as Markdown that Folio reads as written: quotes,
    apostrophes and dashes made typographic by pandoc's ``smart`` reading, so
    that no straight quote or ``--`` is left in the prose; one paragraph a line."""
    text = json.dumps(document)
    plain = run_pandoc(["--from", "json", "--to", MARKDOWN_OUT, "--wrap=none"], source, text)
    typographic = run_pandoc(["--from", "markdown+smart", "--to", MARKDOWN_OUT, "--wrap=none"],
                             source, plain)
    return single_spaced_markers(typographic)


_MARKER = re.compile(r"^( *(?:[-*+]|\d+[.)]|#[.)]|\(?[a-zA-Z]{1,3}[.)]\)?)) {2,}(?=\S)")


def single_spaced_markers(markdown: str) -> str:
    """*markdown* (as pandoc writes it, code fenced) with one space after each list
    marker (``1.  Item`` → ``1. Item``), which pandoc's Markdown reads the same
    (an item's further blocks are indented four spaces either way) and which no
    typography rule mistakes for two spaces in a sentence."""
    from .split import code_lines

    lines = markdown.split("\n")
    fenced = code_lines(lines)
    return "\n".join(line if number in fenced else _MARKER.sub(r"\1 ", line)
                     for number, line in enumerate(lines))


def stringify(node) -> str:
    """The plain text of a piece of pandoc's JSON AST (inlines, blocks, metadata)."""
    if isinstance(node, list):
        return "".join(stringify(item) for item in node)
    if not isinstance(node, dict):
        return ""  # ids, classes, addresses: not text
    kind = node.get("t")
    if kind in ("Str", "MetaString"):
        return node["c"]
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind in ("Code", "Math"):
        return node["c"][-1]
    if kind == "Quoted":
        quotes = ("“", "”") if node["c"][0]["t"] == "DoubleQuote" else ("‘", "’")
        return quotes[0] + stringify(node["c"][1]) + quotes[1]
    if kind in ("Note", "Image"):
        return ""
    if kind in ("Para", "Plain", "Header"):
        return stringify(node["c"]) + " "
    return stringify(node.get("c", []))
