"""Import a bookdown book: a folder with ``_bookdown.yml`` and ``index.Rmd``.

- ``_bookdown.yml``'s ``rmd_files`` gives the order (a list, or one list a format:
  the ``html`` one is taken); without it, every ``.Rmd`` of the folder, ``index.Rmd``
  first, leaving out names starting with ``_`` (bookdown's own rule).
  ``book_filename`` names bookdown's output only and is not needed.
- ``index.Rmd``'s front matter gives title, subtitle, author, date (when a day),
  ``lang`` (else ``_bookdown.yml``'s ``language: lang``), description,
  bibliography and csl. Its text, before the first chapter, is the front matter.
- ``# (PART) Title {-}`` opens a part; ``# (APPENDIX) … {-}`` makes every chapter
  after it an appendix (both headings go, as bookdown's do).
- R chunks are listings without output (``rmarkdown``); ``\\@ref(…)`` becomes
  pandoc-crossref's reference; text references (``(ref:label)``) are reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from ..errors import BuildError
from ..read.yamlfile import load_yaml
from . import pandocast
from .assemble import Book, Draft, Piece, assemble
from .model import APPENDIX, CHAPTER, FRONT, ImportedBook
from .pandocast import PANDOC_MARKDOWN
from .quarto import _authors, _day, _text, copy_file, cover
from .rmarkdown import bookdown_refs, code_cells, crossref_ids, meta_value
from .sourcefiles import NO_AUTHOR, Refused, SourceTree

NAME = "bookdown"
_TEXT_REFERENCE = re.compile(r"\(ref:[\w-]+\)")
_PART = re.compile(r"^\(PART\*?\)\s*")
_APPENDIX = re.compile(r"^\(APPENDIX\)\s*")


def detects(source: Path) -> bool:
    """A bookdown book is a folder holding ``_bookdown.yml``."""
    return source.is_dir() and (source / "_bookdown.yml").is_file()


def read(source: Path, progress: Callable[[str], None]) -> ImportedBook:
    tree = SourceTree(source)
    config_path = tree.root / "_bookdown.yml"
    try:
        tree.locate("_bookdown.yml")
    except Refused as refused:
        raise BuildError(str(refused), config_path) from None
    config = load_yaml(config_path, tree.root) or {}
    if not isinstance(config, dict):
        raise BuildError("_bookdown.yml must be a mapping of settings", config_path)
    names = _files(tree, config.get("rmd_files"))
    if not names:
        raise BuildError("no chapter: list the .Rmd files in 'rmd_files'", config_path)
    sections: set[str] = set()
    texts: list[tuple[Path, str]] = []
    for name in names:
        try:
            path, text = tree.read_named(name)
        except Refused as refused:
            tree.note(config_path, 0, f"the chapter is left out: {refused}")
            continue
        for number, line in enumerate(text.split("\n"), start=1):
            if _TEXT_REFERENCE.search(line):
                tree.note(path, number, "bookdown's text reference "
                                        f"{_TEXT_REFERENCE.search(line)[0]} is printed as "
                                        "it is: write its text in its place")
        texts.append((path, bookdown_refs(code_cells(text, path, tree), sections)))
    rename = {label: f"sec:{label}" for label in sections}
    meta: dict = {}
    drafts: list[Draft] = []
    kind, part = CHAPTER, None
    for number, (path, text) in enumerate(texts):
        progress(f"reading {tree.relative(path)}")
        document = pandocast.read(text, PANDOC_MARKDOWN, path)
        if number == 0:
            meta = {key: meta_value(value) for key, value in document["meta"].items()}
        blocks = document["blocks"]
        crossref_ids(blocks, rename)
        pieces: list[list] = []
        for block in blocks:
            if block["t"] == "Header" and block["c"][0] == 1:
                words = pandocast.stringify(block["c"][2])
                if _APPENDIX.match(words):
                    kind, part = APPENDIX, None
                    continue
                if _PART.match(words):
                    part = _PART.sub("", words).strip()
                    continue
                pieces.append([block])
            elif pieces:
                pieces[-1].append(block)
            elif block["t"] != "RawBlock":
                pieces.append([block])
        for piece in pieces:
            heading = piece[0]["t"] == "Header"
            piece_kind = FRONT if number == 0 and not drafts and kind == CHAPTER else kind
            if not heading and drafts:
                drafts[-1].pieces.append(Piece(path, piece))
                continue
            drafts.append(Draft([Piece(path, piece)], piece_kind,
                                part if piece_kind == CHAPTER else None,
                                pandocast.text_inlines("Preface") if not heading else None))
            if piece_kind == CHAPTER:
                part = None
    files: dict[str, bytes] = {}
    language = meta.get("lang") or (config.get("language") or {}).get("lang") \
        if isinstance(config.get("language"), dict) else meta.get("lang")
    book = ImportedBook(title=str(meta.get("title") or tree.root.name),
                        subtitle=_text(meta.get("subtitle")),
                        author=_authors(meta.get("author")) or "Unknown Author",
                        language=str(language or "en"),
                        description=_text(meta.get("description")),
                        date=_day(meta.get("date")))
    index = texts[0][0] if texts else config_path
    bibliography = meta.get("bibliography") or []
    for name in [bibliography] if isinstance(bibliography, str) else bibliography:
        copied = copy_file(tree, index, str(name))
        if copied is not None:
            files[copied[0]] = copied[1]
            book.bibliography.append(copied[0])
    if meta.get("csl"):
        copied = copy_file(tree, index, str(meta["csl"]))
        if copied is not None:
            files[copied[0]] = copied[1]
            book.csl = copied[0]
    if not _authors(meta.get("author")):
        tree.note(index, 0, NO_AUTHOR)
    book.cover = cover(tree, index, meta.get("cover-image"), files)
    book.chapters = assemble(Book(tree, _aliases, files), drafts)
    book.files.update(files)
    book.report = tree.report
    return book


def _files(tree: SourceTree, listed: object) -> list[str]:
    if isinstance(listed, dict):
        listed = listed.get("html") or next(iter(listed.values()), [])
    if isinstance(listed, list):
        return [str(name) for name in listed]
    found = sorted(path.name for path in tree.root.glob("*.Rmd")
                   if not path.name.startswith("_"))
    if "index.Rmd" in found:
        found.remove("index.Rmd")
        found.insert(0, "index.Rmd")
    return found


def _aliases(name: str) -> list[str]:
    if name.endswith(".html"):
        return [name[:-5] + ".Rmd"]
    return [name]
