"""From source files read into pandoc's tree to the chapters of a Folio book.

The importers of book tools (mdBook, Quarto, bookdown) read each source file
into pandoc's tree and say which files make which chapter (:class:`Draft`). This
module does the rest, the same way for all of them:

1. headings of a file set under a chapter move down (a sub-chapter's ``#`` is ``##``);
2. a chapter is cut at each level-1 heading (Folio has one a file, rule P001);
3. every heading gets an id unique in the whole book, so that the ids Folio
   reads are the ids links were pointed at;
4. links between source files (``ch02.md#x``, ``intro.qmd``) become links to
   those ids; links to files that are not in the book keep their words only;
5. images are copied into ``images/`` and pointed at there;
6. each chapter is written as pandoc's Markdown.

What is left out is reported (``SourceTree.note``) at its source file and line.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from ..errors import find_line
from ..transforms.ids import GENERATED, RESERVED
from . import pandocast
from .model import CHAPTER, ImportedChapter
from .pandocast import Node
from .sourcefiles import Refused, SourceTree
from .writer import slug

TAG = "folio-import-source"  # a heading's, link's or image's source file, while importing
ANCHOR = "folio-import-anchor"  # the id by which the source linked to a heading
SHIFT = "folio-import-shift"  # how many levels a heading was moved down
IMAGES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".svg", ".pdf"}
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
_RAW_ID = re.compile(r"""\sid\s*=\s*["']([^"'\s]+)["']""", re.IGNORECASE)
_RAW_ATTRIBUTE = re.compile(r"""(\s(?:href|src)\s*=\s*)(["'])(.*?)\2""", re.IGNORECASE | re.S)


@dataclass
class Piece:
    """The tree of one source file (*blocks*) as part of a chapter, its headings moved
    down *shift* levels; *anchors* gives, for the headings in order, the ids the
    source's own links use for them (None: the heading's id)."""

    source: Path
    blocks: list[Node]
    shift: int = 0
    anchors: list[str] | None = None


@dataclass
class Draft:
    """A chapter as the source lists it: its pieces in order, its kind (FRONT,
    CHAPTER, APPENDIX), the part opening before it, and the title that heads it
    when its first piece has no heading of its own (inlines)."""

    pieces: list[Piece]
    kind: str = CHAPTER
    part: str | None = None
    title: list[Node] | None = None


@dataclass
class Book:
    """Where the chapters' files are: the sources' *tree*, the folder that links and
    images are relative to when a file names them from the root, and which source
    file a link may name by another name (mdBook's ``ch02.html`` for ``ch02.md``)."""

    tree: SourceTree
    aliases: Callable[[str], list[str]] = lambda name: [name]
    files: dict[str, bytes] = field(default_factory=dict)
    image_root: Path | None = None


def assemble(book: Book, drafts: list[Draft]) -> list[ImportedChapter]:
    """The chapters of *drafts*, as Markdown, with ids, links and images settled."""
    sources: list[Path] = []
    chapters: list[tuple[Draft, list[Node]]] = []
    for draft in drafts:
        blocks: list[Node] = []
        for piece in draft.pieces:
            if piece.source not in sources:
                sources.append(piece.source)
            blocks.extend(_tagged(book.tree, piece, sources.index(piece.source)))
        if not blocks or not _is_level_one(blocks[0]):
            if draft.title is not None and draft.pieces:
                heading = pandocast.header(1, draft.title)
                heading["c"][1][2].append([TAG, str(sources.index(draft.pieces[0].source))])
                blocks.insert(0, heading)
            elif blocks and draft.pieces:
                source = draft.pieces[0].source
                name = source.stem.replace("-", " ").replace("_", " ").strip().capitalize()
                book.tree.note(source, 1, f"the file has no level-1 heading: it is headed "
                                          f"'{name}' (write the title it should have)")
                blocks.insert(0, pandocast.header(1, pandocast.text_inlines(name)))
            else:
                continue
        _close_gaps(book.tree, blocks, sources)
        for number, part in enumerate(_split(blocks)):
            chapters.append((Draft([], draft.kind, draft.part if number == 0 else None), part))
    anchors = _settle_ids(chapters, sources)
    imported = []
    for draft, blocks in chapters:
        blocks = _links_and_images(book, blocks, sources, anchors)
        _untag(blocks)
        first = blocks[0]["c"]
        name = slug(pandocast.stringify(first[2]))
        imported.append(ImportedChapter(name, pandocast.write_markdown(blocks), draft.kind,
                                        draft.part))
    return imported


def _is_level_one(block: Node) -> bool:
    return block.get("t") == "Header" and block["c"][0] == 1


def _tagged(tree: SourceTree, piece: Piece, index: int) -> list[Node]:
    """The blocks of *piece* with headings moved down and every heading, link and
    image tagged with its source (and each heading with its source anchor)."""
    headings = 0
    for node in pandocast.walk(piece.blocks):
        kind = node["t"]
        if kind == "Header":
            level = node["c"][0] + piece.shift
            if level > 6:
                tree.note(piece.source, _line_of(piece.source, node), "a heading nested "
                          "more than six levels deep is set as a level-6 heading")
                level = 6
            node["c"][0] = level
            attributes = node["c"][1][2]
            anchor = (piece.anchors[headings] if piece.anchors is not None
                      and headings < len(piece.anchors) else node["c"][1][0])
            attributes.append([TAG, str(index)])
            attributes.append([SHIFT, str(piece.shift)])
            if anchor:
                attributes.append([ANCHOR, anchor])
            headings += 1
        elif kind in ("Link", "Image"):
            node["c"][0][2].append([TAG, str(index)])
        elif kind in ("RawBlock", "RawInline") and node["c"][0] == "html":
            node["c"][1] = f"<!--{TAG}:{index}-->" + node["c"][1]
    return piece.blocks


def _close_gaps(tree: SourceTree, blocks: list[Node], sources: list[Path]) -> None:
    """Headings that skip a level (a level 5 under a level 2, which Folio refuses as
    H001: the contents would have a hole) moved up to the next level, reported."""
    previous = 1
    for node in pandocast.walk(blocks):
        if node["t"] != "Header":
            continue
        level = node["c"][0]
        if level > previous + 1:
            source = sources[int(dict(node["c"][1][2]).get(TAG, 0))]
            tree.note(source, _line_of(source, node), f"a level-{level - _shift(node)} "
                      f"heading under a level-{previous - _shift(node)} one is set one level "
                      "below it (a heading may not skip a level)")
            level = previous + 1
            node["c"][0] = level
        previous = level


def _shift(node: Node) -> int:
    return int(dict(node["c"][1][2]).get(SHIFT, 0))


def _split(blocks: list[Node]) -> list[list[Node]]:
    """*blocks* cut before each level-1 heading of the top level (one chapter each)."""
    parts: list[list[Node]] = []
    for block in blocks:
        if _is_level_one(block) or not parts:
            parts.append([])
        parts[-1].append(block)
    return parts


def _settle_ids(chapters: list[tuple[Draft, list[Node]]],
                sources: list[Path]) -> dict[tuple[int, str | None], str]:
    """Give every heading an id unique in the book (as Folio's reading will find it)
    and return the map (source index, source anchor) → id; (index, None) is the id of
    the source's first heading."""
    seen: set[str] = set(RESERVED)
    for _, blocks in chapters:
        for node in pandocast.walk(blocks):
            if node["t"] != "Header" and isinstance(node.get("c"), list) and node["c"] \
                    and _is_attr(node["c"][0]) and node["c"][0][0]:
                seen.add(node["c"][0][0])
    anchors: dict[tuple[int, str | None], str] = {}
    for _, blocks in chapters:
        for node in pandocast.walk(blocks):
            if node["t"] in ("RawBlock", "RawInline") and node["c"][0] == "html":
                tag = re.match(rf"<!--{TAG}:(\d+)-->", node["c"][1])
                for anchor in _RAW_ID.findall(node["c"][1]) if tag else ():
                    anchors.setdefault((int(tag[1]), anchor), anchor)
    for _, blocks in chapters:
        used: set[str] = set()
        chapter_id = None
        for node in pandocast.walk(blocks):
            if node["t"] != "Header":
                continue
            attr = node["c"][1]
            wanted = attr[0] or pandocast.auto_identifier(pandocast.stringify(node["c"][2]),
                                                          set(used))
            final = wanted
            if final in seen or GENERATED.match(final):
                prefix = chapter_id or "chapter"
                final, counter = f"{prefix}-{wanted}", 2
                while final in seen or final in used:
                    final = f"{prefix}-{wanted}-{counter}"
                    counter += 1
            attr[0] = final
            seen.add(final)
            used.add(final)
            chapter_id = chapter_id or final
            tags = dict(attr[2])
            if TAG not in tags:
                continue
            index = int(tags[TAG])
            anchors.setdefault((index, None), final)
            anchors.setdefault((index, tags.get(ANCHOR) or wanted), final)
    return anchors


def _is_attr(value: object) -> bool:
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and isinstance(value[1], list) and isinstance(value[2], list))


def _links_and_images(book: Book, blocks: list[Node], sources: list[Path],
                      anchors: dict[tuple[int, str | None], str]) -> list[Node]:
    index_of = {path: number for number, path in enumerate(sources)}

    def target(source: Path, url: str, node: Node | None) -> str | None:
        """The new address of *url* written in *source*, or None to keep only the words."""
        if _SCHEME.match(url) or not url:
            return url
        path, _, fragment = url.partition("#")
        fragment = unquote(fragment)
        if not path:
            found = anchors.get((index_of[source], fragment))
            if found is None:
                book.tree.note(source, _find(source, "#" + fragment),
                               f"the link to '#{fragment}' names no heading of the file; "
                               "its words are kept without the link")
            return None if found is None else "#" + found
        for name in book.aliases(unquote(path)):
            try:
                located = book.tree.locate(name, source.parent)
            except Refused as refused:
                book.tree.note(source, _find(source, path), f"{refused}; the link's words "
                                                            "are kept")
                return None
            if located in index_of:
                index = index_of[located]
                found = anchors.get((index, fragment or None))
                if found is None:
                    book.tree.note(source, _find(source, url),
                                   f"the link to '{url}' names no heading of "
                                   f"{located.name}; it points at the chapter instead")
                    found = anchors.get((index, None))
                if found is not None:
                    return "#" + found
        if PurePosixPath(path).suffix.lower() in IMAGES and node is not None \
                and node["t"] == "Image":
            return _copy_image(book, source, unquote(path))
        book.tree.note(source, _find(source, path),
                       f"the link to '{path}' names no chapter of the book; its words are "
                       "kept (link to the file's address on the web instead)")
        return None

    for node in pandocast.walk(blocks):
        kind = node["t"]
        if kind in ("Link", "Image"):
            tags = dict(node["c"][0][2])
            if TAG not in tags:
                continue
            source = sources[int(tags[TAG])]
            url = node["c"][2][0]
            new = (_image(book, source, url) if kind == "Image" else target(source, url, node))
            if new is None:
                node["folio-unlink"] = True
            else:
                node["c"][2][0] = new
        elif kind in ("RawBlock", "RawInline") and node["c"][0] == "html":
            node["c"][1] = _raw_html(book, node["c"][1], sources, target)
    return _unlink(blocks)


def _image(book: Book, source: Path, url: str) -> str | None:
    if _SCHEME.match(url):
        book.tree.note(source, _find(source, url), f"the image '{url}' is on the web and "
                       "Folio fetches nothing: save it into the book and name the file")
        return None
    return _copy_image(book, source, unquote(url.partition("#")[0]))


def _copy_image(book: Book, source: Path, name: str) -> str | None:
    """Copy the image *name* (relative to *source*) into the new book's ``images/``;
    its path there, or None (reported) when it cannot be used."""
    try:
        located = book.tree.locate(name, source.parent)
        if not located.exists():
            raise Refused(f"the image '{name}' does not exist")
        data = book.tree.data(located)
    except Refused as refused:
        book.tree.note(source, _find(source, name), f"{refused}; only the image's "
                                                    "description is kept")
        return None
    base = book.image_root or book.tree.root
    try:
        relative = located.relative_to(base).as_posix()
    except ValueError:
        relative = book.tree.relative(located)
    new = relative if relative.startswith("images/") else posixpath.join("images", relative)
    book.files[new] = data
    return new


def _raw_html(book: Book, text: str, sources: list[Path], target) -> str:
    """Raw HTML's ``href`` and ``src`` pointed like Markdown links (tag removed)."""
    match = re.match(rf"<!--{TAG}:(\d+)-->", text)
    if match is None:
        return text
    source = sources[int(match[1])]
    text = text[match.end():]

    def attribute(found: re.Match[str]) -> str:
        url = found[3]
        is_source = found[1].strip().lower().startswith("src")
        new = _image(book, source, url) if is_source else target(source, url, None)
        return "" if new is None else f"{found[1]}{found[2]}{new}{found[2]}"

    return _RAW_ATTRIBUTE.sub(attribute, text)


def _unlink(value: object) -> object:
    """Links and images marked ``folio-unlink`` replaced by their words (an image's
    description in italics)."""
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict) and item.pop("folio-unlink", False):
                words = _unlink(item["c"][1])
                out.extend(words if item["t"] == "Link" else [{"t": "Emph", "c": words}])
            else:
                out.append(_unlink(item))
        return out
    if isinstance(value, dict):
        return {key: _unlink(v) for key, v in value.items()}
    return value


def _untag(blocks: list[Node]) -> None:
    for node in pandocast.walk(blocks):
        content = node.get("c")
        if node["t"] == "Header":
            content[1][2] = [kv for kv in content[1][2] if kv[0] not in (TAG, ANCHOR, SHIFT)]
        elif node["t"] in ("Link", "Image"):
            content[0][2] = [kv for kv in content[0][2] if kv[0] != TAG]


def _line_of(source: Path, node: Node) -> int:
    return _find(source, pandocast.stringify(node["c"][2])[:40]) if node["t"] == "Header" \
        else 0


def _find(source: Path, text: str) -> int:
    """The first line of *source* that holds *text* (0 when none does)."""
    if not text:
        return 0
    return find_line(source, re.escape(text)) or 0
