"""The citation settings of book.yaml: ``bibliography``, ``csl``, ``nocite`` and
``bibliography_title``.

- ``bibliography``: one file or a list, inside the book, each read by the rule of
  ``folio.files``; its format is told by its name: ``.bib`` BibLaTeX, ``.bibtex``
  BibTeX, ``.json`` CSL JSON, ``.yaml``/``.yml`` CSL YAML (pandoc's own names).
- ``csl``: a style file in the book (``styles/house.csl``) or the name of a style the
  theme ships (``templates/csl/NAME.csl``, a book's own ``templates/csl/`` first);
  default Chicago notes and bibliography, pandoc's default style being author-date.
- ``nocite``: keys listed in the bibliography though no note cites them (``"*"``: all).
- ``bibliography_title``: the heading of the list; by default the style's kind says
  it (``folio.read.citations``).

Problems are BuildErrors at the setting's line of book.yaml, each with the code of
the citation rules (B002 a bibliography, B003 a style)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from ..errors import BuildError
from ..files import read_text, why_refused
from .yamlfile import LineDict, LineList

DEFAULT_STYLE = "chicago-notes-bibliography"
# The names the CSL project gave these styles before Chicago's 18th edition, kept so
# that a manuscript written for pandoc finds them.
ALIASES = {"chicago-note-bibliography": "chicago-notes-bibliography"}
FORMATS = {".bib": "biblatex", ".bibtex": "bibtex", ".json": "csljson", ".yaml": "cslyaml",
           ".yml": "cslyaml"}
CSL_NS = "{http://purl.org/net/xbiblio/csl}"
KEYS = ("bibliography", "csl", "nocite", "bibliography_title")


class CitationError(BuildError):
    """A problem with citations, the bibliography or the style; ``code`` is its rule."""

    code = "B001"


class BibliographyError(CitationError):
    code = "B002"


class StyleError(CitationError):
    code = "B003"


@dataclass
class Style:
    """A CSL style: its file, its class (``note`` or ``in-text``) and its citation
    format (``note``, ``author-date``, ``author``, ``numeric``, ``label``)."""

    path: Path
    kind: str
    citation_format: str
    title: str


@dataclass
class CitationSettings:
    bibliographies: list[tuple[Path, str]] = field(default_factory=list)  # (file, format)
    style: Style | None = None
    nocite: list[str] = field(default_factory=list)
    title: str = ""
    line: int | None = None  # of ``bibliography`` in book.yaml


def load_citation_settings(root: Path, data: LineDict, path: Path,
                           theme_folder: Path) -> tuple[CitationSettings, list[BuildError]]:
    """The citation settings in *data* (book.yaml at *path*, of the book in *root*)
    and the problems found; styles named without a path come from the book's
    ``templates/csl/`` or *theme_folder*'s ``csl/``."""
    errors: list[BuildError] = []
    settings = CitationSettings(line=data.line_of("bibliography") if "bibliography" in data
                                else None)
    files = data.get("bibliography")
    if files is not None:
        names = files if isinstance(files, list) else [files]
        lines = (files.item_lines if isinstance(files, LineList)
                 else [data.line_of("bibliography")] * len(names))
        if not names:
            errors.append(BibliographyError("'bibliography' must name a file or a list of "
                                            "files", path, data.line_of("bibliography")))
        for name, line in zip(names, lines, strict=True):
            problem = _bibliography_problem(root, name)
            if problem:
                errors.append(BibliographyError(problem, path, line))
            else:
                file = (root / name).resolve()
                settings.bibliographies.append((file, FORMATS[file.suffix.lower()]))
    if "csl" in data or settings.bibliographies:
        try:
            settings.style = _style(root, data.get("csl", DEFAULT_STYLE), theme_folder)
        except StyleError as error:
            errors.append(StyleError(error.message, path,
                                     data.line_of("csl") if "csl" in data else None))
    nocite = data.get("nocite")
    if nocite is not None:
        keys = nocite if isinstance(nocite, list) else [nocite]
        if not all(isinstance(k, str) and k.strip().lstrip("@") for k in keys):
            errors.append(CitationError("'nocite' must be a list of citation keys, or '*' "
                                        "for every work of the bibliography", path,
                                        data.line_of("nocite")))
        else:
            settings.nocite = [k.strip().lstrip("@") for k in keys]
    title = data.get("bibliography_title")
    if title is not None:
        if not isinstance(title, str) or not title.strip():
            errors.append(BuildError("'bibliography_title' must be text", path,
                                     data.line_of("bibliography_title")))
        else:
            settings.title = title.strip()
    if (settings.nocite or "csl" in data) and files is None:
        key = "nocite" if settings.nocite else "csl"
        errors.append(CitationError(f"'{key}' needs a 'bibliography' (the file of the works "
                                    "cited)", path, data.line_of(key)))
    return settings, errors


def _bibliography_problem(root: Path, name: object) -> str | None:
    if not isinstance(name, str) or not name.strip():
        return "'bibliography' entries must be file names"
    file = (root / name).resolve()
    if not file.is_relative_to(root.resolve()):
        return f"'{name}' in 'bibliography' is outside the book's folder"
    if file.suffix.lower() not in FORMATS:
        return (f"'{name}' in 'bibliography': the format is told by the file's name: .bib "
                "(BibLaTeX), .bibtex (BibTeX), .json (CSL JSON), .yaml or .yml (CSL YAML)")
    reason = why_refused(file, [root])
    return f"'{name}' in 'bibliography': {reason}" if reason else None


def shipped_styles(theme_folder: Path) -> list[str]:
    return sorted(p.stem for p in (theme_folder / "csl").glob("*.csl"))


def _style(root: Path, name: object, theme_folder: Path) -> Style:
    """The style *name*: a ``.csl`` file in the book, or a style of the theme."""
    if not isinstance(name, str) or not name.strip():
        raise StyleError("'csl' must be a style file (.csl) in the book or the name of a "
                         "style of the theme")
    name = name.strip()
    if name.lower().endswith(".csl") or "/" in name:
        file, roots = (root / name), [root]
        if not file.resolve().is_relative_to(root.resolve()):
            raise StyleError(f"'{name}' in 'csl' is outside the book's folder")
    else:
        name = ALIASES.get(name, name)
        own = root / "templates" / "csl" / f"{name}.csl"
        file, roots = (own, [root]) if own.exists() else (
            theme_folder / "csl" / f"{name}.csl", [theme_folder])
        if not file.exists():
            raise StyleError(f"no citation style '{name}': name a .csl file in the book or "
                             f"one of {', '.join(shipped_styles(theme_folder))}")
    reason = why_refused(file, roots)
    if reason:
        raise StyleError(f"'{name}' in 'csl': {reason}")
    return read_style(file, roots)


def read_style(file: Path, roots: list[Path]) -> Style:
    """The CSL style in *file*: parsed (no entities, no network) to tell its kind."""
    try:
        text = read_text(file, roots, what="citation style")
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        style = etree.fromstring(text.encode("utf-8"), parser)
    except (BuildError, etree.XMLSyntaxError) as error:
        raise StyleError(f"'{file.name}' is not a CSL style: "
                         f"{getattr(error, 'message', None) or error}") from None
    if style.tag != f"{CSL_NS}style" or style.get("class") not in ("note", "in-text"):
        raise StyleError(f"'{file.name}' is not a CSL style (a <style> of the Citation "
                         "Style Language, class 'note' or 'in-text')")
    category = style.find(f"{CSL_NS}info/{CSL_NS}category[@citation-format]")
    title = style.findtext(f"{CSL_NS}info/{CSL_NS}title") or file.stem
    citation_format = category.get("citation-format") if category is not None else ""
    return Style(file.resolve(), style.get("class"), citation_format or style.get("class"),
                 title.strip())
