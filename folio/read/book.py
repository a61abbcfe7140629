"""Read a book's folder into the Book model: one parse of every file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..errors import BuildError, find_line, raise_all
from ..htmltree import fragment, text_of
from ..model import CHAPTER, FRONT, Book, Section
from ..transforms import apply_transforms
from .chronology import load_chronology
from .config import BookConfig, load_config
from .glossary import load_glossary
from .nesting import check_nesting
from .pandoc import Fragment, parse_files, render_snippets
from .parsecache import ParseCache
from .questions import load_questions

MARKDOWN_FIELDS = ("first_published", "rights", "apparatus_license")


def read_book(source: BookConfig | Path, warn: Callable[[str], None] = print,
              cache: ParseCache | None = None) -> Book:
    """Parse, validate and transform the book: *source* is its loaded configuration
    (a build loads book.yaml once) or its folder. Pandoc's warnings go to *warn*
    as ``file:line:col: message``; bad input raises BuildError (BuildErrors for
    several at once)."""
    config = source if isinstance(source, BookConfig) else load_config(source)
    root = config.root
    files = [*config.contents.front, *config.contents.chapters]
    fragments = parse_files(files, config.language, cache, root)
    for parsed in fragments:
        for warning in parsed.warnings:
            where = _rel(parsed.source, root)
            warn(f"{where}:{warning}" if warning[:1].isdigit() else f"{where}: {warning}")

    errors: list[BuildError] = []
    sections: list[Section] = []
    pending_notes: dict[str, list[str]] = {}
    chapter_number = 0
    for parsed in fragments:
        kind = FRONT if parsed.source in config.contents.front else CHAPTER
        try:
            section = _section(parsed, kind)
        except BuildError as error:
            errors.append(error)
            continue
        if kind == CHAPTER:
            chapter_number += 1
            section.number = chapter_number
        sections.append(section)
        pending_notes[section.id] = parsed.notes

    glossary: list = []
    chronology: list = []
    try:
        glossary = (load_glossary(config.contents.glossary, config.language)
                    if config.contents.glossary else [])
    except BuildError as error:
        errors.append(error)
    try:
        chronology = (load_chronology(config.contents.chronology, config.language)
                      if config.contents.chronology else [])
    except BuildError as error:
        errors.append(error)
    raise_all(errors)
    questions = load_questions(config, [s.id for s in sections if s.kind == CHAPTER])

    book = Book(config=config, sections=sections, glossary=glossary, chronology=chronology,
                meta_html=_metadata_html(config), questions=questions)
    _check_nesting(book, pending_notes)
    apply_transforms(book, pending_notes)
    return book


def _check_nesting(book: Book, pending_notes: dict[str, list[str]]) -> None:
    """Every text of the book nests at most MAX_DEPTH deep, before a transform walks it."""
    config = book.config
    texts = [(s.source, s.body, "the chapter") for s in book.sections if s.body is not None]
    texts += [(s.source, fragment(note), "a note") for s in book.sections
              for note in pending_notes.get(s.id, [])]
    texts += [(config.contents.glossary, e.definition, "a definition") for e in book.glossary]
    texts += [(config.contents.chronology, e.text, "an event") for e in book.chronology]
    texts += [(q.source, item, "a question") for q in book.questions.values()
              for item in q.items]
    texts += [(config.path, element, "the setting") for element in book.meta_html.values()]
    errors = []
    for source, root, what in texts:
        try:
            check_nesting(root, source, what)
        except BuildError as error:
            errors.append(error)
    raise_all(errors)


def _metadata_html(config: BookConfig) -> dict:
    """The metadata fields that may hold Markdown, as HTML."""
    fields = [f for f in MARKDOWN_FIELDS if getattr(config, f)]
    rendered = render_snippets([getattr(config, f) for f in fields], config.path,
                               config.language)
    return {name: fragment(html) for name, html in zip(fields, rendered, strict=True)}


def _section(parsed: Fragment, kind: str) -> Section:
    body = fragment(parsed.body)
    first = next(iter(body), None)
    if first is None or first.tag != "h1":
        raise BuildError("a chapter must begin with a level-1 heading ('# Title')",
                         parsed.source, 1)
    if len(body.findall("h1")) > 1:
        raise BuildError("a chapter file holds one level-1 heading; split it into two files",
                         parsed.source, find_line(parsed.source, r"^# ", occurrence=2))
    if not text_of(first):
        raise BuildError("the chapter heading is empty", parsed.source, 1)
    return Section(id=first.get("id") or "section", kind=kind, title=text_of(first),
                   source=parsed.source, body=body)


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


__all__ = ["read_book", "BookConfig"]
