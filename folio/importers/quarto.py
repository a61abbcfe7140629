"""Import a Quarto book: a folder with ``_quarto.yml`` whose ``book:`` lists the chapters.

- ``book:`` title, subtitle, author(s) (names, or mappings with ``name``), date
  (when it is a day, YYYY-MM-DD) and ``lang`` become book.yaml's; ``bibliography``
  and ``csl`` (in ``book:`` or at the top) are copied into the book.
- ``chapters`` in order: ``index.qmd`` first is the front matter (Quarto's preface);
  ``- part: "Title"`` or ``- part: file.qmd`` (the part's title is the file's
  heading; other text in it is reported) opens a part; ``appendices`` follow the
  chapters. A ``references.qmd`` (a ``::: {#refs}`` page) is left out: Folio
  makes the bibliography itself.
- Each ``.qmd`` is pandoc's Markdown: its YAML front matter goes (its ``title``
  heads the chapter when the file has no heading; other settings are reported);
  code cells are listings without output (``rmarkdown``), callouts stay boxes
  (a div with its class) titled in bold, cross-references are written as
  pandoc-crossref's, ``{{< include file >}}`` is resolved from the book's own files.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from ..errors import BuildError
from ..read.yamlfile import load_yaml
from . import pandocast
from .assemble import Book, Draft, Piece, assemble
from .model import APPENDIX, CHAPTER, FRONT, ImportedBook
from .pandocast import PANDOC_MARKDOWN
from .rmarkdown import callouts, code_cells, crossref_ids, meta_value
from .sourcefiles import NO_AUTHOR, Refused, SourceTree

NAME = "Quarto"
CONFIG_NAMES = ("_quarto.yml", "_quarto.yaml")
_SHORTCODE = re.compile(r"\{\{<\s*([\w-]+)\s*(.*?)\s*>\}\}")
_REFS = re.compile(r"^:::+\s*\{#refs[\s}]", re.M)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HARMLESS_FRONT_MATTER = {"title", "execute", "jupyter", "engine", "editor", "knitr",
                         "format", "freeze", "number-sections", "toc"}


def detects(source: Path) -> bool:
    """A Quarto book is a folder holding ``_quarto.yml``."""
    return source.is_dir() and any((source / name).is_file() for name in CONFIG_NAMES)


def read(source: Path, progress: Callable[[str], None]) -> ImportedBook:
    tree = SourceTree(source)
    config_path = next(tree.root / name for name in CONFIG_NAMES
                       if (tree.root / name).is_file())
    try:
        tree.locate(config_path.name)
    except Refused as refused:
        raise BuildError(str(refused), config_path) from None
    config = load_yaml(config_path, tree.root)
    if not isinstance(config, dict) or not isinstance(config.get("book"), dict):
        raise BuildError("this _quarto.yml has no 'book:' (Folio imports Quarto books)",
                         config_path)
    settings = config["book"]
    drafts: list[Draft] = []
    part: str | None = None
    chapters = settings.get("chapters") or []
    if not isinstance(chapters, list) or not chapters:
        raise BuildError("'book: chapters:' lists no chapter", config_path)

    def add(entry: object, kind: str) -> None:
        nonlocal part
        if isinstance(entry, dict) and "part" in entry:
            part = _part_title(tree, str(entry["part"]), progress)
            for inner in entry.get("chapters") or []:
                add(inner, kind)
            return
        if isinstance(entry, dict) and "href" in entry:
            entry = entry["href"]
        if not isinstance(entry, str):
            tree.note(config_path, getattr(entry, "line", 0), f"not understood, left out: "
                                                              f"{entry}")
            return
        if kind == CHAPTER and not drafts and PurePosixPath(entry).stem == "index":
            kind = FRONT
        draft = _chapter(tree, config_path, entry, kind, part if kind == CHAPTER else None,
                         progress)
        if draft is not None:
            drafts.append(draft)
            if kind == CHAPTER:
                part = None

    for entry in chapters:
        add(entry, CHAPTER)
    for entry in settings.get("appendices") or []:
        add(entry, APPENDIX)
    files: dict[str, bytes] = {}
    imported = ImportedBook(title=str(settings.get("title") or tree.root.name),
                            subtitle=_text(settings.get("subtitle")),
                            author=_authors(settings.get("author")) or "Unknown Author",
                            language=str(config.get("lang") or settings.get("lang") or "en"),
                            description=_text(settings.get("description")),
                            date=_day(settings.get("date")))
    _bibliography(tree, config_path, config, settings, imported, files)
    if not _authors(settings.get("author")):
        tree.note(config_path, 0, NO_AUTHOR)
    imported.cover = cover(tree, config_path, settings.get("cover-image"), files)
    imported.chapters = assemble(Book(tree, _aliases, files), drafts)
    imported.files.update(files)
    imported.report = tree.report
    return imported


def _chapter(tree: SourceTree, config_path: Path, name: str, kind: str, part: str | None,
             progress) -> Draft | None:
    if not name.endswith((".qmd", ".md", ".Rmd", ".rmd")):
        tree.note(config_path, 0, f"'{name}' is left out: Folio reads Markdown (.qmd, .md) "
                                  "chapters; save it as Markdown")
        return None
    try:
        path, text = tree.read_named(name)
    except Refused as refused:
        tree.note(config_path, 0, f"the chapter is left out: {refused}")
        return None
    if _REFS.search(text):
        tree.note(path, 0, "the references page is left out: Folio makes the bibliography "
                           "from the book's bibliography setting")
        return None
    progress(f"reading {tree.relative(path)}")
    blocks, meta = read_source(tree, path, text)
    title = meta.get("title")
    draft_title = pandocast.text_inlines(str(title)) if title else None
    return Draft([Piece(path, blocks)], kind, part, draft_title)


def read_source(tree: SourceTree, path: Path, text: str) -> tuple[list, dict]:
    """A ``.qmd`` (or ``.Rmd``) file read into pandoc's tree, and its front matter."""
    text = _shortcodes(text, path, tree)
    text = code_cells(text, path, tree)
    document = pandocast.read(text, PANDOC_MARKDOWN, path)
    meta = {key: meta_value(value) for key, value in document["meta"].items()}
    for key in meta:
        if key not in HARMLESS_FRONT_MATTER:
            tree.note(path, 1, f"the front matter's '{key}' is not carried over: set it in "
                               "book.yaml if the whole book needs it")
    blocks = document["blocks"]
    crossref_ids(blocks)
    callouts(blocks)
    return blocks, meta


def _shortcodes(text: str, path: Path, tree: SourceTree, depth: int = 0) -> str:
    def replace(match: re.Match[str]) -> str:
        line = text.count("\n", 0, match.start()) + 1
        if match[1] == "include" and depth < 10:
            try:
                target, content = tree.read_named(match[2].strip().strip("\"'"), path.parent)
            except Refused as refused:
                tree.note(path, line, f"the include is left out: {refused}")
                return ""
            return _shortcodes(content, target, tree, depth + 1)
        if match[1] != "pagebreak":
            tree.note(path, line, f"Quarto's shortcode '{match[1]}' is left out: write out "
                                  "what it stood for")
        return ""

    return _SHORTCODE.sub(replace, text)


def _part_title(tree: SourceTree, value: str, progress) -> str:
    """A part's title: the text, or the heading of the file it names."""
    if not value.endswith((".qmd", ".md")):
        return value
    try:
        path, text = tree.read_named(value)
    except Refused as refused:
        tree.note(tree.root, 0, f"the part's file is left out: {refused}")
        return PurePosixPath(value).stem
    blocks, meta = read_source(tree, path, text)
    title = None
    if blocks and blocks[0]["t"] == "Header":
        title = pandocast.stringify(blocks.pop(0)["c"][2])
    if any(block["t"] != "RawBlock" for block in blocks):
        tree.note(path, 0, "a part has only a title in Folio: the part's other text is "
                           "left out (move it into its first chapter)")
    return title or str(meta.get("title") or PurePosixPath(value).stem)


def _aliases(name: str) -> list[str]:
    pure = PurePosixPath(name)
    if pure.suffix == ".html":
        return [str(pure.with_suffix(".qmd")), str(pure.with_suffix(".md"))]
    return [name]


def _bibliography(tree: SourceTree, config_path: Path, config: dict, settings: dict,
                  book: ImportedBook, files: dict[str, bytes]) -> None:
    """Copy the bibliography files and the CSL style into the book."""
    names = settings.get("bibliography") or config.get("bibliography") or []
    for name in [names] if isinstance(names, str) else list(names):
        copied = copy_file(tree, config_path, str(name))
        if copied is not None:
            files[copied[0]] = copied[1]
            book.bibliography.append(copied[0])
    csl = settings.get("csl") or config.get("csl")
    if csl:
        copied = copy_file(tree, config_path, str(csl))
        if copied is not None:
            files[copied[0]] = copied[1]
            book.csl = copied[0]


def copy_file(tree: SourceTree, where: Path, name: str) -> tuple[str, bytes] | None:
    """The file *name* of the source as (its path in the new book, its bytes), or None
    (reported at *where*) when it cannot be used."""
    if re.match(r"^[a-zA-Z][\w+.-]*:", name):
        tree.note(where, 0, f"'{name}' is on the web and Folio fetches nothing: save it "
                            "into the book and name the file")
        return None
    try:
        path = tree.locate(name)
        if not path.is_file():
            raise Refused(f"'{name}' does not exist")
        return tree.relative(path), tree.data(path)
    except Refused as refused:
        tree.note(where, 0, f"left out: {refused}")
        return None


def cover(tree: SourceTree, where: Path, name: object, files: dict[str, bytes]) -> str | None:
    """The book's cover image (``cover-image``) copied into the book when it is a PNG or
    JPEG (what Folio's ``cover`` takes); its path there, else None (reported)."""
    if not name:
        return None
    if not str(name).lower().endswith((".png", ".jpg", ".jpeg")):
        tree.note(where, 0, f"the cover '{name}' is not a PNG or JPEG: save it as one and "
                            "name it in book.yaml's 'cover'")
        return None
    copied = copy_file(tree, where, str(name))
    if copied is None:
        return None
    files[copied[0]] = copied[1]
    return copied[0]


def _authors(value: object) -> str | None:
    if value is None:
        return None
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict):
            name = item.get("name")
            if isinstance(name, dict):
                name = name.get("literal") or " ".join(
                    str(name[k]) for k in ("given", "family") if name.get(k))
            if name:
                names.append(str(name))
        elif item:
            names.append(str(item))
    return ", ".join(names) or None


def _text(value: object) -> str | None:
    return str(value) if value else None


def _day(value: object) -> str | None:
    return str(value) if value and _DAY.match(str(value)) else None
