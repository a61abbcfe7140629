"""pandoc's document tree (its JSON form) for the importers: read a source's
Markdown into it, walk and change it, and write it back as pandoc's Markdown,
the dialect Folio reads.

Elements are pandoc's JSON (pandoc-types 1.23): ``{"t": "Header", "c": [level,
[id, classes, attributes], inlines]}`` and so on. pandoc runs with ``--sandbox``
(it reads nothing but its input) and a time limit.
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import BuildError
from ..read.pandoc import pandoc_path, time_budget
from ..subprocesses import run_on_budget

# How mdBook's parser (pulldown-cmark, with the extensions mdBook turns on) reads
# Markdown, as pandoc can: CommonMark with footnotes, tables, strikethrough, task
# lists and heading attributes.
COMMONMARK = "commonmark+footnotes+pipe_tables+strikeout+task_lists+attributes"
PANDOC_MARKDOWN = "markdown"  # Quarto and bookdown write pandoc's own Markdown
# What the importers write: pandoc's Markdown, with typographic characters kept as they
# are (the writer with ``smart`` would turn ’ back into '), and tables as pipe tables
# (or HTML when a cell holds blocks), whose lines no typography rule reads as prose.
WRITTEN_MARKDOWN = "markdown-smart-simple_tables-multiline_tables-grid_tables"

Node = dict


def run(text: str, reader: str, writer: str, where: Path | None = None) -> str:
    """pandoc's *writer* output for *text* read as *reader*. BuildError at *where* when
    pandoc refuses the text or takes longer than a real book ever needs."""
    command = [pandoc_path(), "--sandbox", "--quiet", "--from", reader, "--to", writer,
               "--wrap=preserve"]
    done = run_on_budget(command, text, time_budget(len(text.encode())))
    if done.over_budget:
        raise BuildError("pandoc could not read this file in time: cut it into smaller "
                         "files", where)
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        raise BuildError(f"pandoc cannot read this file: {message[-1] if message else ''}",
                         where)
    return done.stdout


def read(text: str, reader: str, where: Path | None = None) -> dict:
    """The document tree of *text*: ``{"blocks": [...], "meta": {...}, ...}``."""
    return json.loads(run(text, reader, "json", where))


def write_markdown(blocks: list[Node], where: Path | None = None) -> str:
    """*blocks* as pandoc's Markdown, line breaks kept where the source had them."""
    document = {"pandoc-api-version": [1, 23, 1], "meta": {}, "blocks": blocks}
    return run(json.dumps(document), "json", WRITTEN_MARKDOWN, where)


def walk(node: object) -> Iterator[Node]:
    """Every element (a dict with ``t``) in *node*, in document order, outer first."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if "t" in current:
                yield current
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))


def map_blocks(blocks: list[Node], change: Callable[[Node], list[Node] | None]) -> list[Node]:
    """*blocks* with each block (at any depth: in quotes, lists, divs, notes) replaced by
    ``change(block)`` when that is not None (a list: zero or more blocks)."""

    def blocks_in(value: object) -> object:
        if isinstance(value, list):
            if value and all(isinstance(v, dict) and v.get("t") in BLOCKS for v in value):
                out: list = []
                for block in value:
                    replaced = change(block)
                    for new in ([block] if replaced is None else replaced):
                        out.append(blocks_in(new))
                return out
            return [blocks_in(v) for v in value]
        if isinstance(value, dict):
            return {key: blocks_in(v) for key, v in value.items()}
        return value

    return blocks_in(blocks)


BLOCKS = {"Plain", "Para", "LineBlock", "CodeBlock", "RawBlock", "BlockQuote", "OrderedList",
          "BulletList", "DefinitionList", "Header", "HorizontalRule", "Table", "Figure",
          "Div"}


def stringify(inlines: object) -> str:
    """The text of *inlines* as pandoc's ``stringify`` gives it (notes left out)."""
    parts: list[str] = []

    def go(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                go(item)
            return
        if not isinstance(node, dict):
            return
        kind, content = node.get("t"), node.get("c")
        if kind == "Str":
            parts.append(content)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            parts.append(" ")
        elif kind in ("Code", "Math"):
            parts.append(content[1])
        elif kind in ("Note", "RawInline"):
            return
        elif kind in ("Quoted", "Link", "Image", "Span", "Cite"):
            go(content[1])  # the words; not the attributes, target or citations
        elif isinstance(content, list):
            go(content)

    go(inlines)
    return "".join(parts)


def auto_identifier(text: str, used: set[str]) -> str:
    """The id pandoc's ``auto_identifiers`` gives a heading whose text is *text*, given
    the ids *used* before it in the same file (pandoc's manual, "Extension:
    auto_identifiers"): formatting removed, lowercase, only letters, digits, ``_ - .``
    kept, spaces made hyphens, nothing before the first letter; ``section`` when
    nothing is left; ``-1``, ``-2`` … when taken. Adds the id to *used*."""
    kept = "".join(c for c in text.lower() if c.isalnum() or c in "_-." or c.isspace())
    ident = "-".join(kept.split())
    while ident and not unicodedata.category(ident[0]).startswith("L"):
        ident = ident[1:]
    ident = ident or "section"
    unique, counter = ident, 1
    while unique in used:
        unique = f"{ident}-{counter}"
        counter += 1
    used.add(unique)
    return unique


def header(level: int, inlines: list[Node], ident: str = "",
           classes: list[str] | None = None) -> Node:
    """A Header element."""
    return {"t": "Header", "c": [level, [ident, classes or [], []], inlines]}


def text_inlines(text: str) -> list[Node]:
    """Plain *text* as inlines (words and spaces)."""
    out: list[Node] = []
    for number, word in enumerate(text.split()):
        if number:
            out.append({"t": "Space"})
        out.append({"t": "Str", "c": word})
    return out
