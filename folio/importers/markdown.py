"""Import one long Markdown file (pandoc's Markdown, CommonMark or GitHub's).

- Its YAML metadata block becomes book.yaml: ``title``, ``subtitle``, ``author``
  (a name, a list of names, or a list of ``{name: …}``), ``date`` (made
  YYYY-MM-DD when it can be read as a date), ``lang`` or ``language``,
  ``description`` or ``abstract``, ``bibliography`` and ``csl`` (their files
  copied from the source's own folder). Any other field is reported.
- The text is split into chapters at a heading level (default 1; see
  ``folio.importers.chapters``). When no level is asked for, the metadata gives
  no title and the file has one level-1 heading, first, above level-2 headings,
  that heading is the book's title and the level-2 headings are the chapters.
- Images named by relative paths (``![…](…)``, ``[ref]: …``, ``<img src>``) are
  copied from the source's folder into ``images/`` under safe names; an image
  that is missing, outside that folder or unusable is replaced by an HTML comment
  saying so. An image without a description gets its file name and a report line.
- A link to the file itself (``book.md#intro``) becomes ``#intro``; a link to
  another local file keeps its words and loses the link.
- Raw TeX, which every format drops, is reported at its line.

The text is otherwise kept as written; lines are reported in the source file."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import unquote

from ..errors import BuildError
from ..files import MAX_TEXT_BYTES, read_bytes, read_text, why_refused
from ..images import BadImage
from ..read.yamlfile import parse_yaml
from .chapters import assemble
from .media import SHOWN, Images
from .model import ImportedBook, ImportedChapter, ReportLine
from .pandocrun import to_json
from .split import code_lines, headings

NAME = "markdown"
SPLITS = True
SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mdwn"}
_METADATA = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_SCHEME = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")
_CODE_SPAN = re.compile(r"(`+)(?:(?!\1).)+?\1")
_INLINE = re.compile(r"(!?)\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*(<[^<>\n]*>|[^()\s]+)"
                     r"((?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*)\)")
_DEFINITION = re.compile(r"^( {0,3}\[(?!\^)[^\]]+\]:[ \t]*)(<[^<>]*>|\S+)")
# An image on the web: ![words](https://…), with or without a title.
_WEB_IMAGE = re.compile(r"!\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?((?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//"
                        r"[^()\s<>]+)>?(?:\s+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?\s*\)")
_HTML_IMAGE = re.compile(r"(<img\b[^<>]*?\bsrc\s*=\s*)(\"[^\"]*\"|'[^']*')", re.IGNORECASE)
_KEPT = {"title", "subtitle", "author", "date", "lang", "language", "description",
         "abstract", "bibliography", "csl"}
_DATE_FORMATS = ("%B %d, %Y", "%d %B %Y", "%b %d, %Y", "%d %b %Y", "%Y/%m/%d", "%d.%m.%Y")


def detects(source: Path) -> bool:
    return source.is_file() and source.suffix.lower() in SUFFIXES


def read(source: Path, progress, split_level: int | None = None) -> ImportedBook:
    """The book in the Markdown file *source*, split at *split_level* (1–6; None:
    level 1, or 2 under a lone level-1 title). BuildError when the file cannot be
    read (not UTF-8, too large) or its metadata is not valid YAML."""
    root = source.parent
    text = read_text(source, [root], what="Markdown file")
    meta, body, first_line = _metadata(text, source)
    book = ImportedBook(title="")
    report: list[ReportLine] = []

    def say(line: int, message: str) -> None:
        report.append(ReportLine(source, line, message))

    _settings(meta, book, source, say)
    lines = body.split("\n")
    level = split_level or 1
    if split_level is None and not book.title:
        found = headings(lines)
        tops = [h for h in found if h.level == 1]
        if len(tops) == 1 and found[0] is tops[0] and any(h.level == 2 for h in found):
            book.title = tops[0].title
            lines[tops[0].index] = ""
            if tops[0].setext:
                lines[tops[0].index + 1] = ""
            level = 2
            say(first_line + tops[0].index, f"the one level-1 heading, '{book.title}', became "
                                            "the book's title and the level-2 headings its "
                                            "chapters (--split-level 1 keeps it a chapter)")
    if not book.title:
        book.title = source.stem.replace("-", " ").replace("_", " ").strip().title() or "Book"
        say(0, f"no title in the file's metadata: the book is called '{book.title}'; set "
               "'title' in book.yaml")
    progress("copying images")
    images = Images()
    described: list[str] = []
    lines = _rewrite_targets(lines, source, first_line, images, described, say)
    book.files.update(images.files)
    body = "\n".join(lines)
    _report_raw_tex(body, lines, source, first_line, say)
    progress(f"splitting at level {level}")
    chapters, loose = assemble(body, level, first_line)
    for line, message in loose:
        say(line, message)
    if not chapters:
        raise BuildError("the file holds no text to import", source)
    for chapter in chapters:
        _note_descriptions(chapter, described)
    book.chapters = chapters
    book.report = report + book.report
    return book


def _metadata(text: str, source: Path) -> tuple[dict, str, int]:
    """(metadata, the text after the block, the line the text starts on)."""
    match = _METADATA.match(text)
    if not match:
        return {}, text, 1
    data = parse_yaml(match[1] or "", source, first_line=2)
    if data is not None and not isinstance(data, dict):
        raise BuildError("the metadata block must be a mapping (title: …)", source, 2)
    return data if data is not None else {}, text[match.end():], match[0].count("\n") + 1


def _settings(meta: dict, book: ImportedBook, source: Path, say) -> None:
    """book's settings from *meta*, each field that is not carried over reported."""
    line_of = getattr(meta, "line_of", lambda key: None)

    def where(key: str) -> int:
        return (line_of(key) or 0) + (1 if line_of(key) else 0)

    for key in ("title", "subtitle", "description"):
        value = meta.get(key) if key != "description" else meta.get(key, meta.get("abstract"))
        if isinstance(value, str | int | float) and str(value).strip():
            setattr(book, key, " ".join(str(value).split()) if key != "description"
                    else str(value).strip())
        elif value is not None:
            say(where(key), f"the metadata field '{key}' is not plain text; it was left out")
    authors = meta.get("author")
    if isinstance(authors, str | dict):
        authors = [authors]
    names = [a.get("name") if isinstance(a, dict) else a for a in authors or []]
    names = [str(name).strip() for name in names if isinstance(name, str | int) and str(name)]
    if names:
        book.author = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    else:
        say(where("author") or 0, "no author in the file's metadata: set 'author' in book.yaml")
    if "date" in meta:
        book.date = _date(meta["date"])
        if book.date is None:
            say(where("date"), f"the date '{meta['date']}' was left out: book.yaml's date is "
                               "written YYYY-MM-DD")
    language = meta.get("lang", meta.get("language"))
    if isinstance(language, str) and _LANGUAGE.match(language.strip()):
        book.language = language.strip()
    elif language is not None:
        say(where("lang") or where("language"), f"'{language}' is not a language tag "
                                                "(en, fr, de-AT …); the book is in English")
    else:
        say(0, "no language in the file's metadata: the book is set as English ('en'); "
               "set 'language' in book.yaml if it is not (hyphenation, quotation marks, "
               "sorting and Folio's own words follow it)")
    root = source.parent
    bibliography = meta.get("bibliography")
    for name in [bibliography] if isinstance(bibliography, str) else bibliography or []:
        copied = _copy_file(str(name), root, source, where("bibliography"), book, say)
        if copied:
            book.bibliography.append(copied)
    csl = meta.get("csl")
    if isinstance(csl, str):
        if csl.endswith(".csl") and not _SCHEME.match(csl):
            book.csl = _copy_file(csl, root, source, where("csl"), book, say)
        elif _SCHEME.match(csl):
            say(where("csl"), f"the style '{csl}' is an address: download it into the book "
                              "and name the file in book.yaml's 'csl'")
        else:
            book.csl = csl
    for key in meta:
        if key not in _KEPT:
            say(where(key), f"the metadata field '{key}' has no place in book.yaml and was "
                            "left out")


def _date(value) -> str | None:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = " ".join(str(value).split())
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        pass
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date().isoformat()
        except ValueError:
            continue
    return None


def _copy_file(name: str, root: Path, source: Path, line: int, book: ImportedBook,
               say) -> str | None:
    """Copy the file *name* (relative to *root*, inside it) into the book at the top;
    its name there, or None (reported) when it may not be read."""
    path = root / name
    reason = why_refused(path, [root]) if not Path(name).is_absolute() else "not relative"
    if reason is not None:
        say(line, f"'{name}' was not copied ({reason}): only files in the manuscript's "
                  "own folder are imported; copy it into the book by hand")
        return None
    try:
        data = read_bytes(path, [root], MAX_TEXT_BYTES, what="file")
    except BuildError as error:
        say(line, f"'{name}' was not copied: {error.message}")
        return None
    target = path.name
    book.files[target] = data
    return target


def _rewrite_targets(lines: list[str], source: Path, first_line: int, images: Images,
                     described: list[str], say) -> list[str]:
    """*lines* with every image copied into the book and named by its new path,
    every link to the file itself made an anchor, every other local link unlinked."""
    skip = code_lines(lines)
    out = []
    for index, line in enumerate(lines):
        if index in skip:
            out.append(line)
            continue
        number = first_line + index
        line = _without_web_images(line, number, say)
        masked = _CODE_SPAN.sub(lambda m: "\x00" * len(m[0]), line)
        edits: list[tuple[int, int, str]] = []
        for match in _INLINE.finditer(masked):
            edits += _inline(match, line, source, number, images, described, say)
        definition = _DEFINITION.match(masked)
        if definition:
            target = _target(line[definition.start(2):definition.end(2)])
            if _local(target):
                replacement = _local_target(target, source, number, images, say,
                                            image=Path(target).suffix.lower() in SHOWN)
                if replacement is not None:
                    edits.append((definition.start(2), definition.end(2), replacement))
        for match in _HTML_IMAGE.finditer(masked):
            target = line[match.start(2) + 1:match.end(2) - 1]
            if _local(target):
                replacement = _local_target(target, source, number, images, say, image=True)
                edits.append((match.start(2), match.end(2), f'"{replacement or ""}"'))
        for start, end, text in sorted(edits, reverse=True):
            line = line[:start] + text + line[end:]
        out.append(line)
    return out


def _without_web_images(line: str, number: int, say) -> str:
    """*line* with each image on the web replaced by its description in italics (a
    badge inside a link becomes the link's words), each reported: Folio fetches
    nothing, and a book's images are its own files."""
    masked = _CODE_SPAN.sub(lambda m: "\x00" * len(m[0]), line)
    for match in reversed(list(_WEB_IMAGE.finditer(masked))):
        words = line[match.start(1):match.end(1)].strip()
        say(number, f"the image '{match[2]}' is on the web and was not imported (Folio "
                    "fetches nothing): save it into the book's images/ folder and name the "
                    "file" + (f"; its description '{words}' stands in its place" if words
                              else ""))
        line = line[:match.start()] + (f"*{words}*" if words else "") + line[match.end():]
    return line


def _inline(match: re.Match, line: str, source: Path, number: int, images: Images,
            described: list[str], say) -> list[tuple[int, int, str]]:
    bang, words = match[1], line[match.start(2):match.end(2)]
    target = _target(line[match.start(3):match.end(3)])
    if not _local(target):
        return []
    if bang:
        new = _local_target(target, source, number, images, say, image=True)
        if new is None:
            return [(match.start(), match.end(), f"<!-- image not imported: {target} -->")]
        if not words.strip():
            words = Path(new).stem.replace("-", " ")
            described.append(f"![{words}]({new}")
        return [(match.start(), match.end(), f"![{words}]({new}{match[4]})")]
    new = _local_target(target, source, number, images, say, image=False)
    if new is None:
        return [(match.start(), match.end(), words)]
    return [(match.start(3), match.end(3), new)]


def _target(written: str) -> str:
    return written[1:-1] if written.startswith("<") and written.endswith(">") else written


def _local(target: str) -> bool:
    return bool(target) and not _SCHEME.match(target)


def _local_target(target: str, source: Path, number: int, images: Images, say,
                  image: bool) -> str | None:
    """The new target for the relative *target*: the image's path in the book, an
    anchor for a link to the file itself; None when the image or link cannot be
    carried over (reported at *number*)."""
    file, _, anchor = unquote(target).partition("#")
    file = file.split("?")[0]
    root = source.parent
    path = root / file
    if not image:
        if file and path.resolve() == source.resolve():
            return f"#{anchor}" if anchor else None
        say(number, f"the link to '{target}' was kept as plain text: a file beside the "
                    "manuscript is not part of the book (link to a heading, #id, or a web "
                    "address)")
        return None
    reason = why_refused(path, [root]) if file and not Path(file).is_absolute() else \
        "not a file in the manuscript's folder"
    if reason is None:
        try:
            return images.add(path, root)
        except BadImage as error:
            reason = str(error)
    say(number, f"the image '{target}' was not imported ({reason}): add it to the book's "
                "images/ folder and put it back where the comment is")
    return None


def _note_descriptions(chapter: ImportedChapter, described: list[str]) -> None:
    for number, line in enumerate(chapter.markdown.split("\n"), start=1):
        for written in described:
            if written in line:
                name = written.split("](", 1)[1]
                chapter.report.append((number, f"the image '{name}' had no description; it "
                                               "is its file name for now: write what it shows"))


def _report_raw_tex(body: str, lines: list[str], source: Path, first_line: int, say) -> None:
    """Report each piece of raw TeX, which every format drops, at its line."""
    if "\\" not in body:
        return
    document = to_json(["--from", "markdown"], source, body)
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("t") in ("RawInline", "RawBlock") and \
                    node["c"][0] in ("tex", "latex"):
                found.append(node["c"][1])
            walk(node.get("c"))
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document["blocks"])
    position = 0
    for raw in found:
        first = raw.strip().split("\n")[0]
        for index in range(position, len(lines)):
            if first in lines[index]:
                position = index
                break
        shown = first if len(first) <= 40 else first[:37] + "…"
        say(first_line + position, f"raw TeX '{shown}' is left out of every format: write "
                                   "it in Markdown (a backslash that should print is "
                                   "written \\\\)")
