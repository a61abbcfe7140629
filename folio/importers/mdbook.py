"""Import an mdBook: a folder with ``book.toml`` and ``src/SUMMARY.md``.

What becomes what, and why:

- ``book.toml``'s ``[book]`` title, authors, language and description become
  book.yaml's; ``[book] src`` names the chapters' folder (default ``src``).
- SUMMARY.md gives the order. Prefix chapters are the front matter, numbered
  chapters the chapters, suffix chapters the appendices (Folio's matter after the
  chapters); a part title (``# Part``) opens a part; separators go; a draft
  (``[Title]()``) has no text and is reported.
- A nested chapter is a section of its parent, not a chapter of its own: mdBook
  gives each its own web page, but a printed book reads "3 Common Concepts" with
  "3.1 Variables" inside it, so its headings move down one level a step of
  nesting (its ``#`` is its parent's ``##``), and it stays in the contents
  through ``toc.depth``.
- A chapter's heading is its file's own first heading, the one mdBook shows on
  the page; SUMMARY's words (which mdBook shows in the side bar, often shorter)
  head it only when the file has no heading of its own. A file with several
  ``#`` headings (mdBook allows it) is cut into one chapter at each.
- ``{{#include}}`` and the other helpers are resolved (``mdbook_include``), links
  between chapter files (``ch02.md#x``, ``ch02.html``, ``folder/``) become links
  to the heading, with mdBook's ids (``#1-storage``) matched to the book's.
- Code is read as mdBook reads it (CommonMark): a listing's language is the first
  word of its fence (``rust,ignore`` is Rust), and in Rust listings the lines
  mdBook hides (``# `` at the start) are left out, ``##`` printing ``#``.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from pathlib import Path, PurePosixPath

from ..errors import BuildError
from ..lint.source_rules import MDBOOK_HELPER
from . import pandocast
from .assemble import Book, Draft, Piece, assemble
from .mdbook_include import expand
from .mdbook_summary import NUMBERED, PREFIX, Entry, parse_summary
from .model import APPENDIX, CHAPTER, FRONT, ImportedBook, ReportLine
from .pandocast import COMMONMARK, Node
from .sourcefiles import NO_AUTHOR, Refused, SourceTree

NAME = "mdBook"


def detects(source: Path) -> bool:
    """An mdBook is a folder holding ``book.toml``."""
    return source.is_dir() and (source / "book.toml").is_file()


def read(source: Path, progress: Callable[[str], None]) -> ImportedBook:
    """The book of the mdBook in the folder *source*. BuildError when book.toml or
    SUMMARY.md cannot be read."""
    tree = SourceTree(source)
    settings = _settings(tree)
    book_settings = settings.get("book", {}) if isinstance(settings.get("book"), dict) else {}
    src_name = str(book_settings.get("src", "src"))
    try:
        src = tree.locate(src_name)
        summary_path, summary_text = tree.read_named("SUMMARY.md", src)
    except Refused as refused:
        raise BuildError(f"cannot read the book's SUMMARY.md: {refused}",
                         tree.root / "book.toml") from None
    summary = parse_summary(summary_text)
    for line, text in summary.unread:
        tree.note(summary_path, line, f"SUMMARY.md line not understood, left out: {text}")
    titles = _titles(summary.entries, summary_path)
    drafts: list[Draft] = []
    for entry in summary.entries:
        draft = _draft(tree, src, summary_path, entry, titles, progress)
        if draft is not None:
            drafts.append(draft)
    if not drafts:
        raise BuildError("SUMMARY.md lists no chapter with a file", summary_path)
    authors = book_settings.get("authors") or []
    authors = [str(a) for a in authors] if isinstance(authors, list) else [str(authors)]
    if not authors:
        tree.note(tree.root / "book.toml", 0, NO_AUTHOR)
    files: dict[str, bytes] = {}
    chapters = assemble(Book(tree, _aliases, files, src), drafts)
    # Every helper was resolved above; one left in the text is an example of the
    # syntax (written \{{#include}} in the mdBook), words of the book, not a helper.
    examples = any(MDBOOK_HELPER.search(chapter.markdown) for chapter in chapters)
    if examples:
        tree.report.append(ReportLine(summary_path, 0, "the book shows mdBook "
                                      "helpers ({{#include …}}) as examples: book.yaml "
                                      "silences R002, which would take them for helpers"))
    return ImportedBook(
        lint_ignore=["R002"] if examples else [],
        title=str(book_settings.get("title") or source.resolve().name),
        author=", ".join(authors) or "Unknown Author",
        language=str(book_settings.get("language") or "en"),
        description=str(book_settings["description"]) if book_settings.get("description")
        else None,
        chapters=chapters, files=files, report=tree.report)


def _settings(tree: SourceTree) -> dict:
    path = tree.root / "book.toml"
    try:
        return tomllib.loads(tree.text(tree.locate("book.toml")))
    except Refused as refused:
        raise BuildError(str(refused), path) from None
    except tomllib.TOMLDecodeError as error:
        raise BuildError(f"book.toml is not valid TOML: {error}", path) from None


def _aliases(name: str) -> list[str]:
    """The source files a link to *name* may mean: mdBook publishes ``ch02.md`` as
    ``ch02.html`` and ``README.md`` or ``index.md`` of a folder as its index."""
    if name.endswith("/") or name in ("", "."):
        return [name + "index.md", name + "README.md"]
    pure = PurePosixPath(name)
    if pure.suffix == ".html":
        stem = pure.with_suffix("")
        names = [str(stem) + ".md"]
        if stem.name == "index":
            names.append(str(stem.with_name("README")) + ".md")
        return names
    return [name]


def _titles(entries: list[Entry], where: Path) -> dict[int, list[Node]]:
    """Each entry's SUMMARY title as inlines, by its line in SUMMARY.md."""
    flat: list[Entry] = []

    def gather(items: list[Entry]) -> None:
        for item in items:
            flat.append(item)
            gather(item.children)

    gather(entries)
    if not flat:
        return {}
    text = "\n\n".join("# " + item.title.replace("\n", " ") for item in flat)
    blocks = pandocast.read(text, COMMONMARK, where)["blocks"]
    headers = [block["c"][2] for block in blocks if block["t"] == "Header"]
    return {item.line: inlines for item, inlines in zip(flat, headers, strict=False)}


def _draft(tree: SourceTree, src: Path, summary_path: Path, entry: Entry,
           titles: dict[int, list[Node]], progress) -> Draft | None:
    kind = {PREFIX: FRONT, NUMBERED: CHAPTER}.get(entry.place, APPENDIX)
    pieces: list[Piece] = []

    def add(item: Entry, depth: int) -> None:
        piece = _piece(tree, src, summary_path, item, depth, progress)
        if piece is not None:
            pieces.append(piece)
        for child in item.children:
            add(child, depth + 1)

    add(entry, 0)
    if not pieces:
        return None
    title = titles.get(entry.line)
    if entry.path is None:
        # a draft with chapters under it: its SUMMARY title heads them
        heading = pandocast.header(1, title or pandocast.text_inlines(entry.title))
        pieces.insert(0, Piece(summary_path, [heading], 0, [""]))
    return Draft(pieces, kind, entry.part if kind == CHAPTER else None, title)


def _piece(tree: SourceTree, src: Path, summary_path: Path, entry: Entry, depth: int,
           progress) -> Piece | None:
    """The text of *entry*'s file, read into pandoc's tree, or None (reported)."""
    if entry.path is None:
        tree.note(summary_path, entry.line, f"'{entry.title}' is a draft (no file): "
                                            "left out")
        return None
    try:
        path, text = tree.read_named(entry.path, src)
    except Refused as refused:
        tree.note(summary_path, entry.line, f"'{entry.title}' is left out: {refused}")
        return None
    progress(f"reading {tree.relative(path)}")
    text = expand(text, path, tree)
    blocks = pandocast.read(text, COMMONMARK, path)["blocks"]
    blocks = [_code(block) for block in blocks]
    for node in pandocast.walk(blocks):
        if node["t"] == "CodeBlock":
            _code(node)
    leading = 0
    while leading < len(blocks) and _invisible(blocks[leading]):
        leading += 1  # comments and old anchors above the heading go below it
    if leading < len(blocks) and blocks[leading]["t"] == "Header" \
            and blocks[leading]["c"][0] == 1:
        blocks = [blocks[leading], *blocks[:leading], *blocks[leading + 1:]]
    else:
        inlines = pandocast.read("# " + entry.title, COMMONMARK, summary_path)["blocks"]
        if inlines and inlines[0]["t"] == "Header":
            blocks.insert(0, pandocast.header(1, inlines[0]["c"][2]))
    return Piece(path, blocks, depth, _anchors(blocks))


def _invisible(block: Node) -> bool:
    """Whether *block* shows nothing: raw HTML (a comment), or a paragraph of raw HTML
    only (``<a id="old-name"></a>``, an anchor kept for old links)."""
    if block["t"] == "RawBlock":
        return True
    return block["t"] in ("Para", "Plain") and all(
        inline["t"] in ("RawInline", "Space", "SoftBreak") for inline in block["c"])


def _code(node: Node) -> Node:
    """A listing as mdBook shows it: the fence's first word as its language, and in
    Rust the hidden lines left out (mdBook's guide, "Hiding code lines")."""
    if node.get("t") != "CodeBlock":
        return node
    attr, text = node["c"]
    words = [w for w in re.split(r"[\s,]+", " ".join(attr[1])) if w]
    language = words[0] if words else ""
    attr[1] = [language] if language else []
    if language == "rust":
        node["c"][1] = "\n".join(_visible_rust(text.split("\n")))
    return node


def _visible_rust(lines: list[str]) -> list[str]:
    visible = []
    for line in lines:
        stripped = line.lstrip()
        if stripped.startswith("##"):
            visible.append(line.replace("##", "#", 1))
        elif stripped == "#" or stripped.startswith("# "):
            continue
        else:
            visible.append(line)
    return visible


def _anchors(blocks: list[Node]) -> list[str]:
    """The id mdBook gives each heading of one page, in order: its own ``{#id}``, or
    its text made an id (mdBook's ``normalize_id``: letters, digits, ``_`` and ``-``
    kept, ASCII lowercased, spaces made hyphens, the rest dropped), ``-1``, ``-2`` …
    when repeated on the page."""
    counts: dict[str, int] = {}
    anchors = []
    for node in pandocast.walk(blocks):
        if node["t"] != "Header":
            continue
        explicit = node["c"][1][0]
        if explicit:
            anchors.append(explicit)
            continue
        text = pandocast.stringify(node["c"][2])
        base = "".join(c.lower() if c.isascii() else c for c in text
                       if c.isalnum() or c in "_-" or c.isspace())
        base = "".join("-" if c.isspace() else c for c in base)
        count = counts.get(base, 0)
        counts[base] = count + 1
        anchors.append(base if count == 0 else f"{base}-{count}")
    return anchors
