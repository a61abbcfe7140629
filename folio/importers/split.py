"""Split one Markdown text into chapters at a heading level, as pandoc reads it.

``split(text, level)`` cuts *text* before every heading of *level* or above
(``#`` and underlined "setext" headings alike; a ``#`` line inside a fenced code
block, an HTML comment or right after a paragraph line is no heading, by
pandoc's Markdown rules ``fenced_code_blocks`` and ``blank_before_header``), and
then gives each piece what it needs to stand alone as a file:

- every footnote definition (``[^label]: …`` with its indented continuation
  lines) moves to the piece that references the note (copied to each, when several
  do); one that no piece references stays where it was;
- every link reference definition (``[label]: url``) is copied to each piece that
  uses ``[label]``.

``retitle(piece)`` then moves the piece's headings up so that its first heading
is level 1 and no heading skips a level (Folio's P001 and H001).

Every line of a piece keeps the number of the source line it came from
(``Piece.origins``), so a message can name the line of the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ATTRIBUTES = re.compile(r"\s*\{[^{}]*\}\s*$")
_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\[^\s]+)\]:")
_NOTE_REFERENCE = re.compile(r"\[\^([^\]\[^\s]+)\](?!:)")
_LINK_DEFINITION = re.compile(r"^ {0,3}\[([^\]^][^\]]*)\]:\s*\S")
_TITLE_LINE = re.compile(r"^\s+[\"'(]")
_INDENTED = re.compile(r"^(?: {4}|\t)")


@dataclass
class Heading:
    """A heading of the source: *index* of its (first) line in the lines split,
    its *level* (1–6), its *title* (the text without ``#`` or attributes) and
    whether it is underlined (*setext*: its underline is the next line)."""

    index: int
    level: int
    title: str
    setext: bool = False


@dataclass
class Piece:
    """A run of the source's lines that becomes one file.

    *title* and *level* are those of the heading that opens it (``None`` and 0 for
    the text before the first heading); *lines* its lines without line ends;
    *origins* the source line number (from 1) of each line; *notes_moved* the
    labels of the notes whose definitions were brought here from another piece."""

    title: str | None
    level: int
    lines: list[str]
    origins: list[int]
    notes_moved: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip("\n") + "\n"

    @property
    def first_line(self) -> int:
        return self.origins[0] if self.origins else 1

    @property
    def has_text(self) -> bool:
        """Whether anything but headings and blank lines is in the piece."""
        skip = {h.index for h in headings(self.lines)}
        skip |= {h.index + 1 for h in headings(self.lines) if h.setext}
        return any(line.strip() for number, line in enumerate(self.lines) if number not in skip)


def code_lines(lines: list[str]) -> set[int]:
    """Indexes of the lines inside fenced code blocks (fences included) and HTML
    comments, where no heading or definition is read."""
    inside: set[int] = set()
    fence: str | None = None
    comment = False
    for index, line in enumerate(lines):
        if fence is not None:
            inside.add(index)
            stripped = line.strip()
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            continue
        if comment:
            inside.add(index)
            comment = "-->" not in line
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening[1]
            inside.add(index)
        elif line.lstrip().startswith("<!--") and "-->" not in line:
            comment = True
            inside.add(index)
    return inside


def headings(lines: list[str]) -> list[Heading]:
    """The headings of *lines*, as pandoc's Markdown reads them: ``#`` headings and
    underlined ones, each after a blank line (or at the start, or after another
    heading or a code block), none inside code or comments."""
    skip = code_lines(lines)
    found: list[Heading] = []
    after_break = True  # the previous line ends a block: a heading may start here
    underline_of: int | None = None
    for index, line in enumerate(lines):
        if index == underline_of:
            after_break = True
            continue
        if index in skip:
            after_break = True
            continue
        atx = _ATX.match(line)
        if atx and after_break:
            found.append(Heading(index, len(atx[1]), _title(atx[2] or "")))
            after_break = True
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        underline = _SETEXT.match(following)
        if (after_break and line.strip() and underline and index + 1 not in skip
                and not _INDENTED.match(line)):
            found.append(Heading(index, 1 if underline[1][0] == "=" else 2,
                                 _title(line.strip()), setext=True))
            underline_of = index + 1
            continue
        after_break = not line.strip()
    return found


def _title(text: str) -> str:
    return _ATTRIBUTES.sub("", text).strip()


def split(text: str, level: int = 1, first_line: int = 1) -> list[Piece]:
    """*text* cut before each heading of *level* or above (1 to 6), each piece made
    to stand alone (its notes and link definitions with it). *first_line* is the
    source line number of the text's first line (after a metadata block, say).
    The first piece has no title when text comes before the first heading; a text
    without such headings is one piece. Raises ValueError for a level outside 1–6."""
    if not 1 <= level <= 6:
        raise ValueError(f"a heading level is 1 to 6, not {level}")
    lines = text.splitlines()
    origins = list(range(first_line, first_line + len(lines)))
    starts = [h for h in headings(lines) if h.level <= level]
    pieces: list[Piece] = []
    bounds = [h.index for h in starts] + [len(lines)]
    if not starts or starts[0].index > 0:
        end = bounds[0]
        if any(line.strip() for line in lines[:end]) or not starts:
            pieces.append(Piece(None, 0, lines[:end], origins[:end]))
    for heading, end in zip(starts, bounds[1:], strict=True):
        pieces.append(Piece(heading.title, heading.level, lines[heading.index:end],
                            origins[heading.index:end]))
    _move_notes(pieces)
    _copy_link_definitions(pieces)
    for piece in pieces:
        _trim(piece)
    return pieces


def _definitions(piece: Piece, pattern: re.Pattern, continued: bool) -> list[tuple[str, int, int]]:
    """(label, first index, end index) of each definition in *piece* matching
    *pattern*, outside code; *continued*: indented lines that follow belong to it
    (a note's paragraphs), else only a title on the next line does."""
    skip = code_lines(piece.lines)
    found = []
    index = 0
    lines = piece.lines
    while index < len(lines):
        match = pattern.match(lines[index]) if index not in skip else None
        if not match:
            index += 1
            continue
        end = index + 1
        if continued:
            while end < len(lines):
                if _INDENTED.match(lines[end]) and lines[end].strip():
                    end += 1
                elif not lines[end].strip():
                    ahead = end
                    while ahead < len(lines) and not lines[ahead].strip():
                        ahead += 1
                    if ahead < len(lines) and _INDENTED.match(lines[ahead]):
                        end = ahead
                    else:
                        break
                else:
                    break
        elif end < len(lines) and _TITLE_LINE.match(lines[end]):
            end += 1
        found.append((match[1], index, end))
        index = end
    return found


def _uses(piece: Piece, pattern_for: callable, exclude: set[int]) -> set[str]:
    skip = code_lines(piece.lines) | exclude
    text = "\n".join(line for number, line in enumerate(piece.lines) if number not in skip)
    return pattern_for(text)


def _move_notes(pieces: list[Piece]) -> None:
    """Each note definition to the pieces that reference the note."""
    blocks: dict[str, tuple[int, list[str], list[int]]] = {}
    spans: dict[int, list[tuple[int, int]]] = {}
    for number, piece in enumerate(pieces):
        for label, start, end in _definitions(piece, _NOTE_DEFINITION, continued=True):
            spans.setdefault(number, []).append((start, end))
            if label not in blocks:
                blocks[label] = (number, piece.lines[start:end], piece.origins[start:end])
    users: dict[str, list[int]] = {}
    for number, piece in enumerate(pieces):
        inside = {i for start, end in spans.get(number, []) for i in range(start, end)}
        for label in _uses(piece, lambda text: set(_NOTE_REFERENCE.findall(text)), inside):
            users.setdefault(label, []).append(number)
    moved: dict[int, set[str]] = {}
    for label, (home, _, _) in blocks.items():
        targets = users.get(label, [home])
        if targets != [home]:
            moved.setdefault(home, set()).add(label)
    for number, piece in enumerate(pieces):  # take out what goes elsewhere
        gone = set()
        for label, start, end in _definitions(piece, _NOTE_DEFINITION, continued=True):
            if label in moved.get(number, set()):
                gone |= set(range(start, end))
        for index in sorted(gone):  # and the blank lines that led to a block taken out,
            after = index + 1           # unless a line follows that they set apart
            while after in gone:
                after += 1
            if after < len(piece.lines) and piece.lines[after].strip():
                continue
            before = index - 1
            while before >= 0 and before not in gone and not piece.lines[before].strip():
                gone.add(before)
                before -= 1
        if gone:
            piece.lines = [line for i, line in enumerate(piece.lines) if i not in gone]
            piece.origins = [o for i, o in enumerate(piece.origins) if i not in gone]
    for label, (home, lines, origins) in blocks.items():
        for target in users.get(label, [home]):
            if target == home and label not in moved.get(home, set()):
                continue
            piece = pieces[target]
            _append(piece, lines, origins)
            if target != home:
                piece.notes_moved.append(label)


def _copy_link_definitions(pieces: list[Piece]) -> None:
    """Each link reference definition copied to every other piece that uses its label."""
    found = []
    for number, piece in enumerate(pieces):
        for label, start, end in _definitions(piece, _LINK_DEFINITION, continued=False):
            found.append((number, _label(label), piece.lines[start:end],
                          piece.origins[start:end]))
    if not found:
        return
    used: list[set[str]] = []
    for piece in pieces:
        text = "\n".join(line for number, line in enumerate(piece.lines)
                         if number not in code_lines(piece.lines)
                         and not _LINK_DEFINITION.match(line))
        used.append({_label(label) for label in re.findall(r"\[([^\[\]]+)\]", text)})
    done: set[tuple[int, str]] = set()
    for home, label, lines, origins in found:
        for number, piece in enumerate(pieces):
            if number != home and label in used[number] and (number, label) not in done:
                _append(piece, lines, origins)
                done.add((number, label))


def _label(label: str) -> str:
    return " ".join(label.split()).casefold()


def _append(piece: Piece, lines: list[str], origins: list[int]) -> None:
    while piece.lines and not piece.lines[-1].strip():
        piece.lines.pop()
        piece.origins.pop()
    piece.lines += ["", *lines]
    piece.origins += [origins[0], *origins]


def _trim(piece: Piece) -> None:
    while piece.lines and not piece.lines[-1].strip():
        piece.lines.pop()
        piece.origins.pop()
    while piece.lines and not piece.lines[0].strip():
        piece.lines.pop(0)
        piece.origins.pop(0)


def retitle(piece: Piece) -> list[tuple[int, int, int]]:
    """Move *piece*'s headings up so that its first is level 1 and none skips a
    level below the one before it (a ``####`` after a ``##`` becomes ``###``).
    Underlined headings whose level changes are written with ``#``. Returns
    (index in ``piece.lines``, level written, new level) for each heading that
    skipped a level (a shift of the whole piece is not listed)."""
    changed = []
    found = headings(piece.lines)
    if not found:
        return changed
    shift = found[0].level - 1
    previous = 0
    for heading in found:
        wanted = min(heading.level - shift, previous + 1)
        wanted = max(wanted, 1)
        if wanted != heading.level - shift:
            changed.append((heading.index, heading.level, wanted + shift))
        if wanted != heading.level:
            line = piece.lines[heading.index]
            if heading.setext:
                piece.lines[heading.index] = "#" * wanted + " " + line.strip()
                piece.lines[heading.index + 1] = ""
            else:
                hashes = re.match(r"^ {0,3}#+", line)
                piece.lines[heading.index] = "#" * wanted + line[hashes.end():]
        previous = wanted
    return changed
