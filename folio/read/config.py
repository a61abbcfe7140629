"""The book's configuration file (``book.yaml``): metadata, contents and settings."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError, raise_all
from ..files import why_refused
from ..i18n.overrides import load_strings
from ..i18n.strings import strings_of
from .backcover import KEYS as BACK_COVER_KEYS
from .backcover import BackCover, load_back_cover, load_isbn_price
from .bibconfig import KEYS as CITATION_KEYS
from .bibconfig import CitationSettings, load_citation_settings
from .crossrefconfig import DEFAULTS as CROSSREF_DEFAULTS
from .crossrefconfig import load_crossrefs
from .printconfig import load_print
from .retail import Contributor, Series, load_contributors, load_isbns, load_person, load_series
from .scripts import DIRECTIONS, is_cjk, language_direction
from .yamlfile import LineDict, LineList, load_yaml

CONFIG_NAME = "book.yaml"

_TEXT_FIELDS = (
    "title", "subtitle", "author", "editor", "publisher", "description",
    "first_published", "rights", "apparatus_license", "identifier", "version", "date",
    "language", "base_url", "dir",
)
_KNOWN_FIELDS = {*_TEXT_FIELDS, "subjects", "contents", "pdf", "lint", "formats", "handouts",
                 "epub", "toc", "cover", "crossrefs", "contributors", "series", "isbn",
                 "strings", *CITATION_KEYS, "print"}
_KNOWN_FIELDS |= set(BACK_COVER_KEYS)
_REQUIRED = ("title", "author")
_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")
_VERSION = re.compile(r"^\d+(\.\d+){0,2}([-+][0-9A-Za-z.-]+)?$")
_CSS_LENGTH = re.compile(r"^\d+(\.\d+)?(mm|cm|in|pt|pc|px)$")
# Typographic punctuation (folio.read.typography) back to the ASCII it was typed as.
_TYPOGRAPHIC = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"',
                              "–": "--", "—": "---", "…": "..."})
MAX_SLUG = 60  # characters of the title in file names
MAX_VERSION = 40  # characters of a version (it is part of every release file's name)
# The ranges of the PDF settings, in points: far wider than any printer's (pocket
# books are 4 in wide, art books 12 in) and narrow enough that a page has room
# for the theme's margins and the paper is paper.
# The page's width and height: 4 to 24 inches wide, 5 to 24 tall (A6, 4.1 × 5.8 in, is
# the smallest named size; the theme's front matter needs 5 in of height).
TRIM_RANGE = (4 * 72, 24 * 72)
TRIM_HEIGHT_RANGE = (5 * 72, 24 * 72)
BLEED_RANGE = (0, 0.5 * 72)  # 0 to half an inch (printers ask 3 mm or 0.125 in)
CALIPER_RANGE = (0.001 * 72, 0.02 * 72)  # a leaf: 0.001 to 0.02 in (card is 0.01)
_NAMED_SIZES = {"a4", "a5", "a6", "b5", "letter", "legal"}


@dataclass
class Contents:
    front: list[Path] = field(default_factory=list)
    chapters: list[Path] = field(default_factory=list)
    appendices: list[Path] = field(default_factory=list)  # lettered A, B, … after the chapters
    glossary: Path | None = None
    chronology: Path | None = None
    questions: Path | None = None  # a folder of discussion questions, one file a chapter
    # Parts: {index in chapters: (title, line in book.yaml)}, each opening before that chapter.
    parts: dict[int, tuple[str, int]] = field(default_factory=dict)
    # A chapter file may hold several chapters: each heading of this level opens one
    # (1: `#`; 2: `##`, and each `#` opens a part), like pandoc's --split-level.
    split_level: int = 1

    @property
    def markdown(self) -> list[Path]:
        """Every Markdown file of the book, in reading order."""
        return [*self.front, *self.chapters, *self.appendices]


@dataclass
class BookConfig:
    """Validated metadata and settings of one book."""

    root: Path
    title: str
    author: str
    contents: Contents
    subtitle: str = ""
    editor: str = ""
    publisher: str = ""
    description: str = ""
    first_published: str = ""
    rights: str = ""
    apparatus_license: str = ""
    identifier: str = ""
    version: str = "0.1.0"
    date: str = ""
    language: str = "en"
    base_url: str = ""
    # The writing direction, "ltr" or "rtl": `dir` in book.yaml, else the language's
    # (folio.read.scripts). "rtl" mirrors every format: the EPUB's page progression,
    # the PDF's binding on the right (its first page a left-hand page).
    dir: str = ""
    subjects: list[str] = field(default_factory=list)
    trim: str = "6in 9in"
    bleed: str = "3mm"
    caliper: str = "0.0025in"  # paper thickness a leaf, for the spine width
    # The printer, paper and inks of the print interior (printconfig, typeset.printers).
    print: dict = field(default_factory=lambda: {"printer": "generic", "paper": "white",
                                                 "colour": "black-and-white"})
    lint_ignore: list[str] = field(default_factory=list)  # codes `check` does not report
    formats: list[str] = field(default_factory=list)  # what `all` builds (registry names)
    handouts: dict = field(default_factory=lambda: {"paper": "a4", "booklet": False})
    epub: dict = field(default_factory=lambda: {"embed_fonts": True})
    toc_depth: int = 2  # heading levels in the contents, the EPUB navigation and bookmarks
    cover: Path | None = None  # the book's own front cover (PNG or JPEG), if it has one
    crossrefs: dict = field(default_factory=lambda: dict(CROSSREF_DEFAULTS))
    citations: CitationSettings = field(default_factory=CitationSettings)  # bibconfig
    # Store and library metadata (folio.read.retail): sort names, other contributors
    # with MARC relator roles, the series, each edition's ISBN (ISBN-13, hyphenated).
    author_file_as: str = ""
    editor_file_as: str = ""
    contributors: list[Contributor] = field(default_factory=list)
    series: Series | None = None
    isbn: dict[str, str] = field(default_factory=dict)  # {"print": …, "epub": …}
    # The print cover (folio.read.backcover): the back panel's note and endorsements,
    # the five digits of the barcode's price add-on ("" for none).
    back_cover: BackCover = field(default_factory=BackCover)
    isbn_price: str = ""
    # The book's own wording of Folio's words, by message id (folio.i18n.overrides).
    strings: dict = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def slug(self) -> str:
        """The book's name in file names: ``leon-trotsky`` for "Leon Trotsky"; at most
        MAX_SLUG characters, cut at a word (every output's name must fit the 255
        bytes a file system allows, with the version and a suffix)."""
        plain = self.title.translate(_TYPOGRAPHIC)  # "Don’t" is named as "Don't" was
        ascii_title = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
        slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
        if len(slug) > MAX_SLUG:
            cut = slug[: MAX_SLUG + 1].rsplit("-", 1)[0]
            slug = (cut if len(cut) >= MAX_SLUG // 2 else slug[:MAX_SLUG]).strip("-")
        return slug or "book"

    @property
    def direction(self) -> str:
        """``"rtl"`` or ``"ltr"``: the book's writing direction."""
        return self.dir or language_direction(self.language)

    @property
    def cjk(self) -> bool:
        """Whether the book is in Chinese, Japanese or Korean (no spaces between words,
        no hyphenation, no letter-spacing)."""
        return is_cjk(self.language)

    @property
    def full_title(self) -> str:
        """The title and the subtitle, joined as the book's language joins them
        ("Title: Subtitle", « Titre : Sous-titre »)."""
        if not self.subtitle:
            return self.title
        return self.title + strings_of(self).text("subtitle_separator") + self.subtitle

    def line_of(self, key: str) -> int | None:
        """The line of the setting *key* in book.yaml; a dotted key (``back_cover.note``)
        is at its top-level setting's line."""
        lines = getattr(self, "_lines", {})
        return lines.get(key) or lines.get(key.split(".")[0])


def load_config(root: Path) -> BookConfig:
    """Read and validate ``book.yaml`` in *root*; all problems are reported at once."""
    path = root / CONFIG_NAME
    data = load_yaml(path)
    if not isinstance(data, LineDict):
        raise BuildError("must be a mapping of settings (title: …, author: …)", path, 1)
    errors: list[BuildError] = []

    def error(message: str, key: str | None = None, line: int | None = None) -> None:
        errors.append(BuildError(message, path, line or (data.line_of(key) if key else 1)))

    for key in data:
        if key not in _KNOWN_FIELDS:
            close = difflib.get_close_matches(key, sorted(_KNOWN_FIELDS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            error(f"unknown setting '{key}'{hint}", key)

    values: dict[str, str] = {}
    people = {key: load_person(data, key, error) for key in ("author", "editor")}
    for key in _TEXT_FIELDS:
        if key not in data or data[key] is None:
            if key in _REQUIRED:
                error(f"missing required setting '{key}'")
            continue
        value = data[key]
        if people.get(key) is not None:  # {name: …, file_as: …}
            if people[key][0]:
                values[key] = people[key][0]
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            error(f"'{key}' must be text, not {_describe(value)}", key)
            continue
        value = str(value).strip()
        if key in _REQUIRED and not value:
            error(f"'{key}' must not be empty", key)
        values[key] = value

    if "language" in values and not _LANGUAGE.match(values["language"]):
        error(f"'language' must be a language tag such as 'en' or 'fr-CA', not "
              f"'{values['language']}'", "language")
    if "dir" in values and values["dir"] not in DIRECTIONS:
        error(f"'dir' must be 'rtl' (right to left) or 'ltr', not '{values['dir']}'", "dir")
        del values["dir"]
    if "version" in values and (not _VERSION.match(values["version"])
                                or len(values["version"]) > MAX_VERSION):
        error(f"'version' must look like 1.0.0 (at most {MAX_VERSION} characters), not "
              f"'{values['version'][:MAX_VERSION]}'", "version")
    if "date" in values:
        try:
            dt.date.fromisoformat(values["date"])
        except ValueError:
            error(f"'date' must be a date written YYYY-MM-DD, not '{values['date']}'", "date")

    subjects = data.get("subjects", [])
    if not isinstance(subjects, list) or not all(isinstance(s, str | int) for s in subjects):
        error("'subjects' must be a list of words or phrases", "subjects")
        subjects = []

    contents = _load_contents(root, data, error)
    pdf = _load_pdf(data, error)
    printing = load_print(data, error, pdf["trim"])
    lint_ignore = _load_lint(data, error)
    formats = _load_formats(data, error)
    handouts = _load_handouts(data, error)
    epub_settings = _load_epub(data, error)
    toc_depth = _load_toc(data, error)
    crossrefs = load_crossrefs(data, error)
    strings = load_strings(data, error)
    retail = {"contributors": load_contributors(data, error),
              "series": load_series(data, error), "isbn": load_isbns(data, error),
              **{f"{key}_file_as": person[1] for key, person in people.items() if person}}
    retail["back_cover"] = load_back_cover(data, error)
    retail["isbn_price"] = load_isbn_price(data, retail["isbn"], error)
    cover = None
    if data.get("cover") is not None:
        cover = _project_file(root, data["cover"], "cover", data.line_of("cover"), error)
        if cover is not None and cover.suffix.lower() not in (".png", ".jpg", ".jpeg"):
            error("'cover' must be a PNG or JPEG image", "cover")
            cover = None
    from ..theme.templates import DEFAULT_TEMPLATES

    citations, problems = load_citation_settings(root, data, path, DEFAULT_TEMPLATES)
    errors += problems
    raise_all(errors)

    if "identifier" not in values:
        seed = f"{values['title']}|{values['author']}"
        values["identifier"] = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"
    config = BookConfig(root=root, contents=contents, subjects=[str(s) for s in subjects],
                        lint_ignore=lint_ignore, formats=formats, handouts=handouts,
                        epub=epub_settings, toc_depth=toc_depth, cover=cover,
                        crossrefs=crossrefs, citations=citations, strings=strings,
                        **retail, **pdf, print=printing, **values)
    config._lines = dict(data.key_lines)  # type: ignore[attr-defined]
    return config


def _load_contents(root: Path, data: LineDict, error) -> Contents:
    contents = Contents()
    section = data.get("contents")
    if section is None:
        error("missing required setting 'contents' (the list of chapter files)")
        return contents
    if not isinstance(section, LineDict):
        error("'contents' must be a mapping with 'chapters' (and optionally 'front', "
              "'glossary', 'chronology')", "contents")
        return contents
    for key in section:
        if key not in ("front", "chapters", "appendices", "glossary", "chronology", "questions",
                       "split_level"):
            error(f"unknown entry 'contents.{key}' (known: front, chapters, appendices, "
                  "glossary, chronology, questions, split_level)", line=section.line_of(key))
    if "split_level" in section:
        level = section["split_level"]
        if isinstance(level, bool) or level not in (1, 2):
            error("'contents.split_level' is 1 (each '#' heading opens a chapter) or 2 (each "
                  "'##' heading opens a chapter and each '#' a part)",
                  line=section.line_of("split_level"))
        else:
            contents.split_level = level
    for key in ("front", "chapters", "appendices"):
        files = section.get(key)
        if files is None:
            files = LineList()
            files.item_lines = []
        if not isinstance(files, LineList):
            error(f"'contents.{key}' must be a list of Markdown files", line=section.line_of(key))
            continue
        if key == "chapters" and not files:
            error("'contents.chapters' must list at least one chapter file",
                  line=section.line_of(key) if key in section else section.line)
        for name, line in zip(files, files.item_lines, strict=True):
            if key == "chapters" and isinstance(name, dict):
                _part(name, line, contents, error)
                continue
            file = _project_file(root, name, f"contents.{key}", line, error)
            if file is not None:
                getattr(contents, key).append(file)
        if key == "chapters" and len(contents.chapters) in contents.parts:
            error("a part must be followed by at least one chapter",
                  line=contents.parts[len(contents.chapters)][1])
    for key in ("glossary", "chronology"):
        if section.get(key) is not None:
            file = _project_file(root, section[key], f"contents.{key}",
                                 section.line_of(key), error)
            setattr(contents, key, file)
    if section.get("questions") is not None:
        folder = section["questions"]
        line = section.line_of("questions")
        resolved = (root / str(folder)).resolve()
        if not isinstance(folder, str) or not resolved.is_relative_to(root.resolve()):
            error("'contents.questions' must be a folder inside the book's folder", line=line)
        elif not resolved.is_dir():
            error(f"'{folder}' in 'contents.questions': folder not found", line=line)
        else:
            contents.questions = resolved
    seen: set[Path] = set()
    for file in contents.markdown:
        if file in seen:
            error(f"'{file.relative_to(root)}' is listed twice in 'contents'", "contents")
        seen.add(file)
    return contents


def _part(entry: dict, line: int, contents: Contents, error) -> None:
    """``- part: Title`` among the chapters: a part opening before the next chapter."""
    title = entry.get("part")
    if set(entry) != {"part"} or not isinstance(title, str | int) or not str(title).strip():
        error("a 'contents.chapters' entry is a file name or 'part: Title'", line=line)
        return
    contents.parts[len(contents.chapters)] = (str(title).strip(), line)


def _project_file(root: Path, name: object, key: str, line: int, error) -> Path | None:
    if not isinstance(name, str) or not name.strip():
        error(f"'{key}' entries must be file names, not {_describe(name)}", line=line)
        return None
    file = (root / name).resolve()
    if not file.is_relative_to(root.resolve()):
        error(f"'{name}' in '{key}' is outside the book's folder", line=line)
        return None
    reason = why_refused(file, [root])
    if reason is not None:
        error(f"'{name}' in '{key}': {reason}", line=line)
        return None
    return file


def _load_pdf(data: LineDict, error) -> dict[str, str]:
    """The ``pdf`` settings: trim size, bleed and paper caliper."""
    settings = {"trim": "6in 9in", "bleed": "3mm", "caliper": "0.0025in"}
    pdf = data.get("pdf")
    if pdf is None:
        return settings
    if not isinstance(pdf, LineDict):
        error("'pdf' must be a mapping of PDF settings (trim: …, bleed: …)", "pdf")
        return settings
    for key in pdf:
        if key not in settings:
            error(f"unknown setting 'pdf.{key}' (known: {', '.join(settings)})",
                  line=pdf.line_of(key))
            continue
        settings[key] = str(pdf[key]).strip()
    trim = settings["trim"]
    parts = trim.split()
    named = len(parts) == 1 and parts[0].lower() in _NAMED_SIZES
    if not named and not (len(parts) == 2 and all(_CSS_LENGTH.match(p) for p in parts)):
        error(f"'pdf.trim' must be a page size such as 'A5' or '6in 9in', not '{trim}'",
              line=pdf.line_of("trim"))
    elif not named:
        _in_range(parts[0], TRIM_RANGE, "pdf.trim", "the page's width", pdf, error)
        _in_range(parts[1], TRIM_HEIGHT_RANGE, "pdf.trim", "the page's height", pdf, error)
    for key in ("bleed", "caliper"):
        if not _CSS_LENGTH.match(settings[key]):
            error(f"'pdf.{key}' must be a length such as '3mm' or '0.0025in', not "
                  f"'{settings[key]}'", line=pdf.line_of(key))
        else:
            _in_range(settings[key], BLEED_RANGE if key == "bleed" else CALIPER_RANGE,
                      f"pdf.{key}", "it", pdf, error)
    return settings


def _in_range(value: str, bounds: tuple[float, float], key: str, what: str,
              pdf: LineDict, error) -> None:
    """An error unless the length *value* lies within *bounds* (points)."""
    from ..typeset.paper import length

    low, high = bounds
    if not low <= length(value) <= high:
        error(f"'{key}': {what} must be from {_inches(low)} to {_inches(high)}, not "
              f"{value}", line=pdf.line_of(key.split(".")[1]))


def _inches(points: float) -> str:
    return f"{points / 72:g}in"


def _load_lint(data: LineDict, error) -> list[str]:
    """``lint: {ignore: [T001, …]}``: codes of findings the book does not want reported."""
    lint = data.get("lint")
    if lint is None:
        return []
    if not isinstance(lint, LineDict) or set(lint) - {"ignore"}:
        error("'lint' takes one setting, 'ignore': a list of codes such as T001", "lint")
        return []
    codes = lint.get("ignore") or []
    if not isinstance(codes, list) or not all(
            isinstance(c, str) and re.fullmatch(r"[A-Z]\d{3}", c) for c in codes):
        error("'lint.ignore' must be a list of codes such as T001", line=lint.line_of("ignore"))
        return []
    return list(codes)


def _load_formats(data: LineDict, error) -> list[str]:
    """``formats: [pdf, epub, html]``: what ``build.py all`` makes for this book, any
    registered format (default: the registry's defaults), in the registry's order."""
    from .. import formats as registry

    known = registry.names()
    chosen = data.get("formats")
    if chosen is None:
        return registry.defaults()
    if not isinstance(chosen, list) or not chosen or not all(f in known for f in chosen):
        error(f"'formats' must list some of {', '.join(known)}", "formats")
        return registry.defaults()
    return [f for f in known if f in chosen]


def _load_handouts(data: LineDict, error) -> dict:
    """``handouts: {paper: a4 | letter, booklet: true | false}``: the handouts' defaults."""
    settings = {"paper": "a4", "booklet": False}
    handouts = data.get("handouts")
    if handouts is None:
        return settings
    if not isinstance(handouts, LineDict):
        error("'handouts' must be a mapping (paper: a4, booklet: false)", "handouts")
        return settings
    for key in handouts:
        if key not in settings:
            error(f"unknown setting 'handouts.{key}' (known: paper, booklet)",
                  line=handouts.line_of(key))
    paper = str(handouts.get("paper", "a4")).lower()
    if paper not in ("a4", "letter"):
        error(f"'handouts.paper' must be a4 or letter, not '{paper}'",
              line=handouts.line_of("paper"))
    booklet = handouts.get("booklet", False)
    if booklet not in (True, False, "true", "false"):
        error("'handouts.booklet' must be true or false", line=handouts.line_of("booklet"))
        booklet = False
    return {"paper": paper, "booklet": booklet in (True, "true")}


def _load_toc(data: LineDict, error) -> int:
    """``toc: {depth: 1–6}``: how many heading levels the contents page, the EPUB's and
    the web book's navigation and the PDF's bookmarks show (2: chapters and their
    sections)."""
    section = data.get("toc")
    if section is None:
        return 2
    if not isinstance(section, LineDict) or set(section) - {"depth"}:
        error("'toc' takes one setting, 'depth': a number of heading levels from 1 to 6",
              "toc")
        return 2
    depth = section.get("depth", 2)
    if isinstance(depth, bool) or not isinstance(depth, int) or not 1 <= depth <= 6:
        error(f"'toc.depth' must be a number of heading levels from 1 to 6, not {depth!r}",
              line=section.line_of("depth"))
        return 2
    return depth


def _load_epub(data: LineDict, error) -> dict:
    """``epub: {embed_fonts: true | false, certified_by: …, certifier_credential: …}``:
    whether the EPUB carries the theme's fonts (subset to the characters used) or
    leaves the typeface to the reading system; who vouches for its accessibility
    claim (EPUB Accessibility 1.1 § 2.1: ``a11y:certifiedBy``, default: the
    publisher) and, optionally, that certifier's credential."""
    settings = {"embed_fonts": True, "certified_by": "", "certifier_credential": ""}
    section = data.get("epub")
    if section is None:
        return settings
    if not isinstance(section, LineDict):
        error("'epub' must be a mapping (embed_fonts: true)", "epub")
        return settings
    for key in section:
        if key not in settings:
            error(f"unknown setting 'epub.{key}' (known: {', '.join(settings)})",
                  line=section.line_of(key))
    embed = section.get("embed_fonts", True)
    if not isinstance(embed, bool):
        error("'epub.embed_fonts' must be true or false", line=section.line_of("embed_fonts"))
        embed = True
    settings["embed_fonts"] = embed
    for key in ("certified_by", "certifier_credential"):
        value = section.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
            error(f"'epub.{key}' must be text", line=section.line_of(key))
        else:
            settings[key] = str(value).strip()
    return settings


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, LineDict | dict):
        return "a mapping"
    if isinstance(value, LineList | list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return f"'{value}'"
