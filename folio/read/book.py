"""Read a book's folder into the Book model: one parse of every file."""

from __future__ import annotations

import re
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from lxml import html as lxml_html

from ..errors import BuildError, BuildErrors, raise_all
from ..htmltree import fragment, text_of
from ..i18n import strings_of
from ..memo import Table
from ..model import APPENDIX, CHAPTER, FRONT, PART, Book, Section
from ..transforms import apply_transforms
from .chronology import load_chronology
from .citations import resolve_citations
from .config import BookConfig, load_config
from .glossary import load_glossary
from .mathml import formula_faults
from .nesting import check_nesting
from .pandoc import parse_files, render_snippets
from .parsecache import ParseCache
from .questions import load_questions
from .removals import Removal
from .split import Piece, split_fragment
from .typography import settings_to_typeset, typeset_settings

MARKDOWN_FIELDS = ("first_published", "rights", "apparatus_license")


def read_book(source: BookConfig | Path, warn: Callable[[str], None] = print,
              cache: ParseCache | None = None) -> Book:
    """Parse, validate and transform the book: *source* is its loaded configuration
    (a build loads book.yaml once) or its folder. Pandoc's warnings are kept in the
    model (``book.inventories``), and ``folio.check`` reports them as findings;
    *warn* is not called for them. Bad input raises BuildError (BuildErrors for
    several at once)."""
    config = source if isinstance(source, BookConfig) else load_config(source)
    with ThreadPoolExecutor(max_workers=1) as aside:
        return _read(config, warn, cache, _SideReadings(config, aside))


class _SideReadings:
    """The glossary, chronology, questions and settings, each read in a thread of
    *aside* while the chapters and citations are read: every reading is mostly a
    pandoc run, so they overlap on the cores. Each keeps what its cleaning removed
    apart, to be added in the book's order."""

    def __init__(self, config: BookConfig, aside: ThreadPoolExecutor):
        self.aside = aside
        glossary, chronology = config.contents.glossary, config.contents.chronology
        self.glossary = self.start(load_glossary, glossary, config.language) if glossary \
            else None
        self.chronology = (self.start(load_chronology, chronology, config.language)
                           if chronology else None)
        self.settings = self.start(_render_settings, config)

    def start(self, reading: Callable, *arguments) -> Future:
        def read() -> tuple:
            removed: list[Removal] = []
            return reading(*arguments, removed), removed
        return self.aside.submit(read)

    @staticmethod
    def result(future: Future | None, removed: list[Removal], empty):
        """What *future* read (*empty* when there was nothing to read), its removals
        added to *removed*; its BuildError raised."""
        if future is None:
            return empty
        value, more = future.result()
        removed += more
        return value


def _read(config: BookConfig, warn: Callable[[str], None], cache: ParseCache | None,
          side: _SideReadings) -> Book:
    contents = config.contents
    fragments = parse_files(contents.markdown, config.language, cache, config.root)
    removed: list[Removal] = [r for parsed in fragments for r in parsed.removed]

    errors: list[BuildError] = []
    sections: list[Section] = []
    pending_notes: list[list[str]] = []  # each section's notes, in the sections' order
    pending_cites: list[list[dict]] = []  # each section's citations (read.citations)
    kinds = {**{p: FRONT for p in contents.front}, **{p: CHAPTER for p in contents.chapters},
             **{p: APPENDIX for p in contents.appendices}}
    chapters = iter(range(len(contents.chapters)))
    for parsed in fragments:
        kind = kinds[parsed.source]
        if kind == CHAPTER and (index := next(chapters)) in contents.parts:
            title, line = contents.parts[index]
            parts = sum(1 for s in sections if s.kind == PART)
            sections.append(_part_page(title, parts + 1, config.path, line))
            pending_notes.append([])
            pending_cites.append([])
        level = contents.split_level if kind == CHAPTER else 1
        try:
            pieces = split_fragment(parsed, fragment(parsed.body), level)
            made = [_section(parsed.source, piece, kind) for piece in pieces]
        except BuildError as error:
            errors.append(error)
            continue
        sections += made
        pending_notes += [piece.notes for piece in pieces]
        # the pieces of a file share its citations: placeholders keep the file's numbers
        pending_cites += [parsed.cites] * len(pieces)
    questions_read = side.start(load_questions, config,
                                [s.id for s in sections if s.kind == CHAPTER])
    bibliography = None
    if not errors:  # citations are set when every section has been read
        try:
            bibliography = resolve_citations(config.citations, config.language, sections,
                                             pending_notes, pending_cites, removed, cache,
                                             strings_of(config))
        except BuildError as error:
            errors += error.errors if isinstance(error, BuildErrors) else [error]
    number_sections(sections)

    glossary: list = []
    chronology: list = []
    try:
        glossary = side.result(side.glossary, removed, [])
    except BuildError as error:
        errors.append(error)
    try:
        chronology = side.result(side.chronology, removed, [])
    except BuildError as error:
        errors.append(error)
    raise_all(errors)
    questions = side.result(questions_read, removed, {})
    meta_html, typeset = side.result(side.settings, removed, None)
    book = Book(config=typeset, sections=sections, glossary=glossary, chronology=chronology,
                meta_html=meta_html, questions=questions, sanitized=removed,
                reading_findings=formula_faults(fragments), bibliography=bibliography,
                inventories=[parsed.inventory for parsed in fragments
                             if parsed.inventory is not None])
    _check_nesting(book, pending_notes)
    apply_transforms(book, pending_notes)
    return book


def _render_settings(config: BookConfig,
                     removed: list[Removal]) -> tuple[dict, BookConfig]:
    """In one pandoc run: the settings that may hold Markdown, as HTML (what their
    cleaning removes is added to *removed*), and the configuration with its text
    settings typeset (``typography``)."""
    markdown = {f: getattr(config, f) for f in MARKDOWN_FIELDS if getattr(config, f)}
    plain = settings_to_typeset(config)
    texts = [*markdown.values(), *plain.values()]
    lines = [config.line_of(name) for name in [*markdown, *plain]]
    rendered = render_snippets(texts, config.path, config.language, lines, removed)
    html = dict(zip([*markdown, *plain], rendered, strict=True))
    meta_html = {name: fragment(html[name]) for name in markdown}
    return meta_html, typeset_settings(config, {name: html[name] for name in plain})


def _part_page(title: str, number: int, source: Path, line: int) -> Section:
    """A part's title page, from ``- part: Title`` at *line* of book.yaml."""
    heading = lxml_html.Element("h1", {"class": "part", "id": f"part-{number}"})
    heading.text = title
    body = lxml_html.Element("div")
    body.append(heading)
    return Section(id=f"part-{number}", kind=PART, title=title, source=source, body=body)


# serve: the notes found nested within the limit, by their HTML (folio.memo): each
# would be parsed again only to be measured.
_NOTES_WITHIN = Table(20_000)


def _check_nesting(book: Book, pending_notes: list[list[str]]) -> None:
    """Every text of the book nests at most MAX_DEPTH deep, before a transform walks it."""
    config = book.config
    texts = [(s.source, s.body, "the chapter") for s in book.sections if s.body is not None]
    notes = [(s.source, note) for s, held in zip(book.sections, pending_notes, strict=False)
             for note in held if _NOTES_WITHIN.get(note) is None]
    texts += [(source, fragment(note), "a note") for source, note in notes]
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
    for _, note in notes:
        _NOTES_WITHIN.put(note, True)


def _section(source: Path, piece: Piece, kind: str) -> Section:
    """The section of one *piece* of the file *source*: a part's title page when it
    opens a part (``# Part One {.part}``, or a ``#`` heading when chapters are ``##``)."""
    body = piece.body
    first = body[0]
    if not text_of(first):
        raise BuildError("the chapter heading is empty", source, piece.line)
    classes = set((first.get("class") or "").split())
    if kind == CHAPTER and ("part" in classes or piece.part):
        kind = PART  # a part's title page, with any words after it
        first.set("class", " ".join(sorted(classes | {"part"})))
    return Section(id=first.get("id") or "section", kind=kind, title=text_of(first),
                   source=source, body=body, line=piece.line)


__all__ = ["read_book", "BookConfig"]


# A title that carries its own number: "Chapter 1: …", "3. …", "IV – …", "Appendix B: …".
_OWN_NUMBER = re.compile(
    r"^(?:(?:chapter|part|appendix|kapitel|chapitre|capítulo|capitolo|hoofdstuk|глава)\s+)?"
    r"(?:\d+|[IVXLC]+|[A-Z])\s*[.:)–—-](?:\s|$)", re.IGNORECASE)


def number_sections(sections: list[Section]) -> None:
    """Chapters are numbered 1, 2, … and appendices lettered A, B, …, except a
    heading marked ``{.unnumbered}`` (or ``{-}``) and a title that carries its own
    number; each chapter or appendix after a part belongs to it."""
    chapter, appendix, part = 0, 0, None
    for section in sections:
        if section.kind == PART:
            part = section.id
            continue
        if section.kind not in (CHAPTER, APPENDIX):
            continue
        section.part = part if section.kind == CHAPTER else None
        heading = section.body[0] if section.body is not None and len(section.body) else None
        classes = set(((heading.get("class") if heading is not None else "") or "").split())
        if "unnumbered" in classes or _OWN_NUMBER.match(section.title):
            continue
        if section.kind == CHAPTER:
            chapter += 1
            section.number, section.label = chapter, str(chapter)
        else:
            appendix += 1
            section.label = _letters(appendix)


def _letters(number: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
