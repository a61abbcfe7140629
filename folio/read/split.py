"""A chapter file may hold several chapters: its parsed body is cut at its
headings of the book's split level (``contents.split_level``, like pandoc's
``--split-level``), and each piece keeps its own notes and the source line of
its heading, so that messages about it still name the right line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lxml import html as lxml_html

from ..errors import BuildError
from ..files import read_text
from .pandoc import Fragment

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


@dataclass
class Piece:
    """One chapter (or part page) cut from a file: *body* a ``div`` whose first child
    is its level-1 heading, *notes* its footnotes (HTML) in the order its
    placeholders number them, *line* the source line of its heading (1-based),
    *part* whether it opens a part (a ``#`` heading when chapters are ``##``)."""

    body: lxml_html.HtmlElement
    notes: list[str]
    line: int
    part: bool = False


def heading_lines(text: str) -> list[tuple[int, int]]:
    """``(level, line)`` of every Markdown heading in *text*, in order: ATX (``## T``)
    and setext (a line underlined with ``=`` or ``-``), outside fenced code blocks,
    HTML comments and a leading YAML metadata block. Lines are 1-based."""
    lines = text.splitlines()
    found: list[tuple[int, int]] = []
    fence: str | None = None
    comment = False
    start = 0
    if lines and lines[0].strip() == "---":  # a YAML metadata block
        for number in range(1, len(lines)):
            if lines[number].strip() in ("---", "..."):
                start = number + 1
                break
    for index in range(start, len(lines)):
        line = lines[index]
        if comment:
            comment = "-->" not in line
            continue
        if fence is not None:
            if line.strip().startswith(fence):
                fence = None
            continue
        if match := _FENCE.match(line):
            fence = match[1][0] * 3
            continue
        if line.lstrip().startswith("<!--") and "-->" not in line:
            comment = True
            continue
        if match := _ATX.match(line):
            found.append((len(match[1]), index + 1))
        elif (index > start and (match := _SETEXT.match(line)) and lines[index - 1].strip()
              and not _ATX.match(lines[index - 1]) and not _SETEXT.match(lines[index - 1])):
            found.append((1 if match[1][0] == "=" else 2, index))
    return found


def split_fragment(parsed: Fragment, body: lxml_html.HtmlElement, level: int) -> list[Piece]:
    """Cut *body* (the parsed file *parsed*, a ``div``) before each heading of *level*
    (1 or 2) at its top level; at level 2, before each ``h1`` too, which opens a part,
    and each chapter's headings move up one level (``h2`` becomes ``h1``).

    Raises BuildError (at line 1) when text comes before the first such heading."""
    cuts = HEADINGS[:level]
    lines = _source_lines(parsed.source, cuts)
    pieces: list[Piece] = []
    seen = {tag: 0 for tag in cuts}
    for child in list(body):
        if isinstance(child.tag, str) and child.tag in cuts:
            count = seen[child.tag]
            seen[child.tag] += 1
            line = lines[child.tag][count] if count < len(lines[child.tag]) else 1
            pieces.append(Piece(lxml_html.Element("div"), [], line,
                                part=level == 2 and child.tag == "h1"))
        elif not pieces:
            if not isinstance(child.tag, str) or not _is_blank(child):
                raise BuildError(_first_heading_message(level), parsed.source, 1)
            continue
        pieces[-1].body.append(child)
    if not pieces:
        raise BuildError(_first_heading_message(level), parsed.source, 1)
    for piece in pieces:
        if level == 2 and not piece.part:
            _promote(piece.body)
        piece.notes = _renumber_notes(piece.body, parsed.notes)
    return pieces


def _first_heading_message(level: int) -> str:
    if level == 1:
        return "a chapter must begin with a level-1 heading ('# Title')"
    return ("a chapter file must begin with a heading: '# Part' or '## Chapter' "
            "(contents.split_level is 2)")


def _is_blank(element: lxml_html.HtmlElement) -> bool:
    return not element.text_content().strip() and not element.xpath(".//img|.//svg")


def _promote(body: lxml_html.HtmlElement) -> None:
    """Every heading one level up: a chapter cut at ``##`` reads as one cut at ``#``."""
    for heading in body.iter(*HEADINGS[1:]):
        heading.tag = HEADINGS[HEADINGS.index(heading.tag) - 1]


def _renumber_notes(body: lxml_html.HtmlElement, notes: list[str]) -> list[str]:
    """The notes *body*'s placeholders refer to, renumbered 1, 2, … in its order."""
    own = []
    for marker in body.xpath(".//span[@class='folio-noteref']"):
        own.append(notes[int(marker.get("data-note")) - 1])
        marker.set("data-note", str(len(own)))
    return own


def _source_lines(path: Path, tags: tuple[str, ...]) -> dict[str, list[int]]:
    """The source lines of *path*'s headings of each tag in *tags*, in order."""
    try:
        text = read_text(path, [path.parent], what="Markdown file")
    except BuildError:
        return {tag: [] for tag in tags}
    found = heading_lines(text)
    return {tag: [line for level, line in found if HEADINGS[level - 1] == tag]
            for tag in tags}


__all__ = ["Piece", "heading_lines", "split_fragment"]
