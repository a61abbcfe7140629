"""Rules on what pandoc parsed, not on the Markdown as written, so that they see what
the build will use and nothing else (code is code, a note indented by three spaces
is a note, a quotation mark pandoc curls is no finding):

- P003, N002, N003: pandoc's own warnings about a file, at the line and column
  pandoc names;
- S001–S004: raw HTML as pandoc read it (``<script>``, frames, handlers) and link or
  image targets with a script scheme; the cleaning (``folio.read.sanitize``) removes
  all of them whatever the lint settings, these rules say so early;
- R001, R003: raw TeX and raw blocks for other formats, which no format of the build
  uses, so they would vanish without a word;
- L001, L002: every link target (inline, reference, autolink, raw ``<a href>``) to a
  missing anchor or file;
- T001, T003, N001, L003: the text as the reader will see it (the model's HTML,
  outside code, keyboard input, program output, addresses and mathematics): straight
  quotes and ``--`` that pandoc's ``smart`` extension left, and a note or reference
  link pandoc could not resolve, which it prints as written.

Each finding is placed by looking for what it is about in the file (``locate``)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

from ..model import Book
from ..read.inventory import Inventory, Raw
from ..transforms.file_links import manuscript_file
from .findings import Finding
from .locate import Locator

# pandoc's log message types that an N rule names; every other warning is P003, but
# for a duplicate identifier, which D001 reports where the id is written (pandoc names
# the line after it) and across files.
_NOTE_WARNINGS = {"NoteDefinedButNotUsed": "N002", "DuplicateNoteReference": "N003"}
_LEFT_TO_OTHER_RULES = {"DuplicateIdentifier"}
# Raw formats the HTML writer keeps (pandoc's html5 writer: ``html`` and ``html5``).
HTML_FORMATS = {"html", "html5"}
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*)([^<>]*)")
_ATTRIBUTE = re.compile(r"""([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'<>`=]+))?""")
_FRAMES = {"iframe", "frame", "frameset", "object", "embed"}
_SCRIPT_SCHEME = re.compile(r"^(javascript|vbscript):")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_PAGE_BREAKS = {"\\newpage", "\\clearpage", "\\pagebreak", "\\cleardoublepage"}
# The text a reader is not meant to read as prose: code, keyboard input, program
# output, mathematics and addresses (autolinks, plain-text URLs).
_NOT_PROSE_TAGS = {"code", "pre", "kbd", "samp", "var", "script", "style", "math"}
_NOT_PROSE_CLASSES = {"uri", "email", "url", "math"}
_STRAIGHT = re.compile(r"[\"']|-{2,}")
_NOTE_LEFT = re.compile(r"\[\^([^\]\[^\s]+)\]")
_REFERENCE_LEFT = re.compile(r"\[([^\[\]]+)\]\[([^\[\]]*)\]")
_ANY_RULE = re.compile("|".join(p.pattern for p in (_STRAIGHT, _NOTE_LEFT, _REFERENCE_LEFT)))
# How each character may be written in the source when it survives smart typography.
_WRITTEN = {'"': ('\\"', '"', "&quot;", "&#34;"), "'": ("\\'", "'", "&#39;", "&apos;")}


def check_parsed(book: Book) -> list[Finding]:
    """Every finding of the rules above on *book* as read."""
    root = book.config.root
    locators: dict[Path, Locator] = {}

    def locator(path: Path) -> Locator:
        if path not in locators:
            locators[path] = Locator(path, root)
        return locators[path]

    anchors = _anchors(book)
    findings: list[Finding] = []
    for inventory in book.inventories:
        place = locator(inventory.source)
        findings += _pandoc_warnings(inventory)
        findings += _raw_passages(inventory, place)
        findings += _targets(inventory, place, anchors, root, book.anchors_by_source)
    notes = book.notes_by_section()
    for section in book.sections:
        if section.body is None or section.source is None or section.source.suffix != ".md":
            continue
        for text_root in (section.body, *(n.body for n in notes.get(section.id, []))):
            findings += _text_rules(text_root, section.source, locator(section.source))
    return findings


def _anchors(book: Book) -> set[str]:
    anchors = {anchor for s in book.sections if s.body is not None
               for anchor in s.body.xpath(".//@id")}
    anchors |= {s.id for s in book.sections}
    anchors |= {e.id for e in (book.bibliography.entries if book.bibliography else [])}
    return anchors | {n.id for n in book.notes} | {e.anchor for e in book.glossary}


def _pandoc_warnings(inventory: Inventory) -> Iterator[Finding]:
    for warning in inventory.warnings:
        if warning.kind in _LEFT_TO_OTHER_RULES:
            continue
        code = _NOTE_WARNINGS.get(warning.kind, "P003")
        if code == "N002":
            message = f"note [^{warning.key}] is defined but never referenced"
        elif code == "N003":
            message = (f"note [^{warning.key}] is defined twice: the build keeps this "
                       "definition and drops the first; keep one")
        else:
            message = f"pandoc: {warning.message}"
        yield Finding(inventory.source, warning.line, warning.column, code, message)


def _raw_passages(inventory: Inventory, place: Locator) -> Iterator[Finding]:
    source = inventory.source
    for raw in inventory.raw:
        first = raw.text.strip().splitlines()[0] if raw.text.strip() else raw.text
        if raw.format in HTML_FORMATS:
            yield from _raw_html(raw.text, source, place)
        elif raw.format == "tex":
            line, column = place.find(first)
            yield Finding(source, line, column, "R001", _tex_advice(raw))
        else:
            line, column = place.find("{=" + raw.format + "}", first)
            yield Finding(source, line, column, "R003",
                          f"a raw passage for {raw.format}, which no format of the build "
                          "uses: it is left out of every output; delete it, or write it "
                          "in Markdown")


def _tex_advice(raw: Raw) -> str:
    text = raw.text.strip()
    environment = re.match(r"\\begin\{([^}]*)\}", text)
    if environment:
        return (f"a TeX environment \\begin{{{environment[1]}}}, which the build drops with "
                "everything in it: write it in Markdown (a table, a line block, a list)")
    if text in _PAGE_BREAKS:
        return (f"'{text}' is a TeX page break, which the build drops: delete it (every "
                "chapter begins on a new page)")
    shown = " ".join(text.split())[:40]
    return (f"'{shown}' is TeX, which the build drops (the sentence then reads as if it "
            f"were not there): write it as text, or escape the backslash (\\{shown})")


def _raw_html(text: str, source: Path, place: Locator) -> Iterator[Finding]:
    """S001–S004 in one raw HTML passage, comments left out (no browser runs them)."""
    text = _COMMENT.sub("", text)
    for tag in _TAG.finditer(text):
        name = tag[1].lower()
        if name == "script":
            line, column = place.find("<script")
            yield Finding(source, line, column, "S001", "a <script> would run in the web "
                                                        "book and in e-readers: remove it")
        elif name in _FRAMES:
            line, column = place.find(f"<{tag[1]}")
            yield Finding(source, line, column, "S002", "embedded frames and objects load "
                                                        "other content: remove it")
        for attribute in _ATTRIBUTE.finditer(tag[2]):
            key, value = attribute[1], attribute[2] or ""
            if key.lower().startswith("on") and len(key) > 2:
                line, column = place.find(f"{key}=", key)
                yield Finding(source, line, column, "S003",
                              f"'{key}' would run script: remove it")
            value = value[1:-1] if value[:1] in "\"'" and len(value) > 1 else value
            if _script_url(value):
                line, column = place.find(value.splitlines()[0] if value else value)
                yield _script_url_finding(source, line, column)


def _script_url(value: str) -> bool:
    """Whether *value* is a URL with a script scheme, however it is written (entities,
    case, white space and control characters inside it, as browsers read it)."""
    return bool(_SCRIPT_SCHEME.match(_INVISIBLE.sub("", html.unescape(value)).lower()))


def _script_url_finding(source: Path, line: int | None, column: int | None) -> Finding:
    return Finding(source, line, column, "S004", "a javascript: URL runs script: link to a "
                                                 "page or an anchor instead")


def _targets(inventory: Inventory, place: Locator, anchors: set[str], root: Path,
             anchors_by_source: dict[Path, dict[str, str]]) -> Iterator[Finding]:
    source = inventory.source
    raw_links = [value for raw in inventory.raw if raw.format in HTML_FORMATS
                 for value in _hrefs(raw.text)]
    for target in [*inventory.targets, *raw_links]:
        if _script_url(target):
            yield _script_url_finding(source, *place.find(target))
        elif _SCHEME.match(target):
            continue  # an address outside the book: `check --external`
        elif target.startswith("#"):
            anchor = unquote(target[1:])
            if anchor and anchor not in anchors:
                line, column = place.find(f"(#{anchor}", f"#{anchor}", target)
                yield Finding(source, line, column, "L001",
                              f"link to '#{anchor}', which is no heading or anchor of the book")
        else:
            yield from _file_target(target, source, place, root, anchors_by_source)
    for image in inventory.images:
        if _script_url(image):
            yield _script_url_finding(source, *place.find(image))
    for key, value in inventory.attributes:
        if key.lower().startswith("on") and len(key) > 2:
            line, column = place.find(f"{key}=", key)
            yield Finding(source, line, column, "S003", f"'{key}' would run script: remove it")
        if _script_url(value):
            yield _script_url_finding(source, *place.find(value))


def _file_target(target: str, source: Path, place: Locator, root: Path,
                 anchors_by_source: dict[Path, dict[str, str]]) -> Iterator[Finding]:
    """L002 for a link to a file that is not one of the book's manuscript files (the
    EPUB and the web book hold only those: any other file would be a dead link there),
    L001 for a fragment the linked manuscript file has no anchor for."""
    file = unquote(target.split("#")[0].split("?")[0])
    if not file:
        return
    linked = manuscript_file(target, source, root, anchors_by_source)
    if linked is None:
        exists = any((folder / file).resolve().is_file() for folder in (source.parent, root))
        line, column = place.find(target, file)
        why = ("which is not in the book's contents: the EPUB and the web book carry only "
               "the chapters, so link to a chapter file or to a web address") if exists \
            else "which is not a file of the book"
        yield Finding(source, line, column, "L002", f"link to '{file}', {why}")
        return
    fragment = unquote(target.partition("#")[2])
    if fragment and fragment not in anchors_by_source[linked]:
        line, column = place.find(target, f"#{fragment}")
        yield Finding(source, line, column, "L001",
                      f"link to '{target}': {linked.name} has no heading or anchor "
                      f"'{fragment}'")


def _hrefs(text: str) -> Iterator[str]:
    """The ``href`` of each ``<a>`` and ``<area>`` in raw HTML, entities decoded."""
    for tag in _TAG.finditer(_COMMENT.sub("", text)):
        if tag[1].lower() not in ("a", "area"):
            continue
        for attribute in _ATTRIBUTE.finditer(tag[2]):
            if attribute[1].lower() == "href" and attribute[2]:
                value = attribute[2]
                value = value[1:-1] if value[:1] in "\"'" and len(value) > 1 else value
                yield html.unescape(value).strip()


def _prose(element) -> Iterator[str]:
    """The runs of text under *element* a reader reads as prose, in document order."""
    if not isinstance(element.tag, str):
        return
    classes = set((element.get("class") or "").split())
    if element.tag in _NOT_PROSE_TAGS or classes & _NOT_PROSE_CLASSES:
        return
    if element.text:
        yield element.text
    for child in element:
        yield from _prose(child)
        if child.tail:
            yield child.tail


def _text_rules(text_root, source: Path, place: Locator) -> Iterator[Finding]:
    # Each run _prose yields is one of itertext's pieces, and no pattern matches across
    # a line break it cannot hold: a text whose pieces, a line each, hold no match has
    # no finding (most texts; walking them is the costly part).
    if not _ANY_RULE.search("\n".join(text_root.itertext())):
        return
    for text in _prose(text_root):
        for match in _STRAIGHT.finditer(text):
            mark = match[0]
            line, column = _find_mark(text, match.start(), mark, place)
            if mark in _WRITTEN:
                yield Finding(source, line, column, "T001",
                              "straight quote that pandoc could not curl (escaped, written "
                              "as an entity, or in raw HTML): write “ ” ‘ ’ (or ’ for an "
                              "apostrophe)")
            else:
                yield Finding(source, line, column, "T003",
                              f"'{mark}' that pandoc could not make a dash (escaped, written "
                              "as entities, or in raw HTML): write an en dash (–) for ranges "
                              "or an em dash (—) for a break")
        for match in _NOTE_LEFT.finditer(text):
            line, column = place.find(match[0])
            if not _escaped(place, line, column):
                yield Finding(source, line, column, "N001",
                              f"note {match[0]} is referenced but never defined, and would "
                              f"be printed as written: add '{match[0]}: …' to the file")
        for match in _REFERENCE_LEFT.finditer(text):
            line, column = place.find(match[0])
            if line is not None and not _escaped(place, line, column):
                label = match[2] or match[1]
                yield Finding(source, line, column, "L003",
                              f"reference link {match[0]} names no link definition, and "
                              f"would be printed as written: add '[{label}]: address'")


def _find_mark(text: str, start: int, mark: str, place: Locator) -> tuple[int | None, int | None]:
    """Where the quotation mark or hyphens *mark* at *start* of *text* is written."""
    before = re.search(r"\S{0,12}\s?$", text[:start])[0]
    after = re.match(r"\s?\S{0,12}", text[start + len(mark):])[0]
    written = _WRITTEN.get(mark) or (mark.replace("-", "\\-"), "-\\" + mark[1:],
                                     "\\" + mark, mark)
    candidates = [(before + w + after, len(before)) for w in written]
    candidates += [(before + w, len(before)) for w in written if before.strip()]
    candidates += [(w + after, 0) for w in written if after.strip()]
    for needle, offset in candidates:
        line, column = place.find(needle)
        if line is not None:
            return line, column + offset
    return None, None


def _escaped(place: Locator, line: int | None, column: int | None) -> bool:
    """Whether the text found at *line*, *column* is written after a backslash."""
    if line is None or column is None or column < 2:
        return False
    return place.lines[line - 1][column - 2] == "\\"
