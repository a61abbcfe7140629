"""One Markdown text (a whole manuscript) made into the chapters of a Folio book.

The text is cut at a heading level (``folio.importers.split``); then:

- text before the first heading becomes a front-matter section titled
  ``FRONT_TITLE`` ("Preface"), with a report line asking for its real heading;
- a heading above the split level (a ``#`` when splitting at ``##``) opens a part
  (``- part: Title`` in book.yaml) when nothing but its heading is under it, and a
  chapter of its own when it has text;
- a heading at the split level with nothing under it opens a part too when a
  chapter follows (a manuscript's "Part One" page), and is left out, reported,
  when it is the last;
- every chapter's headings move up so that it opens with a level-1 heading and
  no heading skips a level (Folio's P001 and H001), a report line for each that
  skipped.
"""

from __future__ import annotations

from .model import CHAPTER, FRONT, ImportedChapter
from .split import Piece, retitle, split

FRONT_TITLE = "Preface"


def assemble(text: str, level: int = 1, first_line: int = 1
             ) -> tuple[list[ImportedChapter], list[tuple[int, str]]]:
    """The chapters of *text* (whose first line is line *first_line* of its
    source) split at heading *level* (1–6), and what was not carried over, as
    (source line, message). Each chapter's own report lines are in its ``report``.
    """
    chapters: list[ImportedChapter] = []
    loose: list[tuple[int, str]] = []
    part: str | None = None
    pieces = split(text, level, first_line)
    for number, piece in enumerate(pieces):
        later = any(p.title is not None for p in pieces[number + 1:])
        if piece.title is None:
            chapters.append(_front(piece))
            continue
        if not piece.has_text:
            if later:
                if part is not None:
                    loose.append((piece.first_line, f"the part '{part}' has no chapter; "
                                                    "it was left out"))
                part = piece.title
            else:
                loose.append((piece.first_line, f"the heading '{piece.title}' has no text "
                                                "under it and was left out"))
            continue
        chapter = _chapter(piece)
        if piece.level < level:
            chapter.report.append((1, f"the text under the heading '{piece.title}' became a "
                                      "chapter of its own (a part in Folio has a title only)"))
        chapter.part, part = part, None
        chapters.append(chapter)
    return chapters, loose


def _front(piece: Piece) -> ImportedChapter:
    piece.lines[:0] = [f"# {FRONT_TITLE}", ""]
    piece.origins[:0] = [piece.first_line, piece.first_line]
    changes = retitle(piece)
    chapter = ImportedChapter(FRONT_TITLE.lower(), piece.text, kind=FRONT)
    chapter.report.append((1, f"the text before the first heading became the front-matter "
                              f"section '{FRONT_TITLE}': give it its own heading, or move it "
                              "into a chapter"))
    chapter.report += _level_notes(changes)
    return chapter


def _chapter(piece: Piece) -> ImportedChapter:
    changes = retitle(piece)
    chapter = ImportedChapter(piece.title or "chapter", piece.text, kind=CHAPTER)
    chapter.report += _level_notes(changes)
    return chapter


def _level_notes(changes: list[tuple[int, int, int]]) -> list[tuple[int, str]]:
    return [(index + 1, f"a level-{old} heading after a level-{new - 1} heading became level "
                        f"{new} (headings go down one level at a time)")
            for index, old, new in changes]
