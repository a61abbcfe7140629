"""Templates and assets: the toolchain's defaults, overridable file by file by a book.

A book's own templates are code that comes with the manuscript, so every template
is rendered in Jinja2's sandbox (``SandboxedEnvironment``, autoescape on): no
attribute starting with ``_`` (``cycler.__init__.__globals__``, ``().__class__``),
no unsafe callable, and no attribute at all of the objects that reach files
(paths, lxml trees, modules). A template file, like
every theme file, is read by the rule of ``folio.files``: a regular file inside the
book's folder (the book's templates) or the default theme, after resolving links.
A template that breaks a rule, does not parse or fails is a BuildError at its
``file:line``.
"""

from __future__ import annotations

import traceback
import types
from collections.abc import Callable
from pathlib import Path, PurePath

from jinja2 import (
    BaseLoader,
    StrictUndefined,
    Template,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from jinja2.bccache import Bucket, BytecodeCache
from jinja2.loaders import split_template_path
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from markupsafe import Markup

from ..errors import BuildError
from ..files import read_text, why_refused
from ..htmltree import finish_xhtml, inner_html
from ..i18n import strings_of
from ..model import Book
from ..typeset.math import print_math

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"

# DPUB-ARIA roles for the EPUB structural semantics we use; None where the
# EPUB type has no role (or only a deprecated one).
ROLES = {
    "chapter": "doc-chapter", "introduction": "doc-introduction", "endnotes": "doc-endnotes",
    "glossary": "doc-glossary", "index": "doc-index", "toc": "doc-toc",
    "noteref": "doc-noteref", "backlink": "doc-backlink", "appendix": "doc-appendix",
    "part": "doc-part", "bibliography": "doc-bibliography",
    "cover": None, "titlepage": None, "halftitlepage": None, "copyright-page": None,
    "colophon": None,
    "frontmatter": None, "bodymatter": None, "backmatter": None, "endnote": None,
    "glossterm": None, "glossdef": None, "index-entry": None, "index-term": None,
    "index-locator": None, "index-entry-list": None, "index-group": None,
    "biblioentry": None,  # doc-biblioentry is deprecated (DPUB-ARIA 1.1)
}


# Objects whose attributes no template may touch: they reach files, the process or
# the model's parsed trees (``path.read_text()``, ``tree.write()``).
_OPAQUE = (PurePath, etree._Element, etree._ElementTree, types.ModuleType)


class _LocatedTemplate(Template):
    """A template whose failures in a book's own template file are BuildErrors at the
    file and line at fault."""

    def render(self, *args, **kwargs) -> str:
        try:
            return super().render(*args, **kwargs)
        except BuildError:
            raise
        except Exception as error:
            located = self.environment.located(error)  # type: ignore[attr-defined]
            if located is None:
                raise
            raise located from None


class _Sandbox(SandboxedEnvironment):
    """The sandbox, with the attributes of :data:`_OPAQUE` objects also refused."""

    template_class = _LocatedTemplate

    def __init__(self, book_templates: Path, **options):
        super().__init__(**options)
        self.book_templates = book_templates

    def is_safe_attribute(self, obj, attr: str, value) -> bool:
        if isinstance(obj, _OPAQUE):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def get_template(self, *args, **kwargs):
        try:
            return super().get_template(*args, **kwargs)
        except TemplateSyntaxError as error:
            located = self.located(error)
            if located is None:
                raise
            raise located from None

    def located(self, error: Exception) -> BuildError | None:
        """*error* as a BuildError at the line of the book's template that caused it;
        None when no template of the book is involved (a fault of Folio's own)."""
        if isinstance(error, TemplateSyntaxError) and error.filename:
            if self._in_book(error.filename):
                return BuildError(f"template error: {error.message}", error.filename,
                                  error.lineno)
            return None
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            if self._in_book(frame.filename):
                what = ("the template may not do this (it runs in a sandbox: no "
                        "attribute starting with '_', no access to files or to Python)"
                        if type(error).__name__ == "SecurityError" else "the template failed")
                return BuildError(f"{what}: {error}", frame.filename, frame.lineno)
        return None

    def _in_book(self, filename: str) -> bool:
        return Path(filename).resolve().is_relative_to(self.book_templates.resolve())


class _ThemeLoader(BaseLoader):
    """Each template from the first of *folders* that has it; a file there that breaks
    the rule of ``folio.files`` (outside *roots*, a FIFO, a device) is an error, not
    passed over."""

    def __init__(self, folders: list[tuple[Path, Path]]):
        self.folders = folders  # (templates folder, the folder its files must be inside)

    def get_source(self, environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        pieces = split_template_path(template)  # refuses '..'
        for folder, root in self.folders:
            path = folder.joinpath(*pieces)
            if not (path.exists() or path.is_symlink()):
                continue
            text = read_text(path, [root], what="theme file", max_line=1_000_000)
            mtime = _mtime(path)
            return text, str(path), lambda p=path, m=mtime: _mtime(p) == m
        raise TemplateNotFound(template)


def _mtime(path: Path) -> int | None:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return None


# A <wbr> is laid out by WeasyPrint as an inline box of its own, and a line may then
# break inside the text beside it instead of at it; a zero-width space is a break
# opportunity inside the text itself. It is drawn without a glyph: text copied from
# the PDF does not hold it.
PRINT_BREAK = "\u200b"


class _CompiledTemplates(BytecodeCache):
    """Each template compiled once a process, by its name and file (``serve`` makes a
    Theme again at each save; a build, one a format). Jinja uses the kept code only
    while the checksum of the template's source is the one it was compiled from."""

    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.kept:
            bucket.bytecode_from_string(self.kept[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.kept[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


class Theme:
    """Finds templates and assets in the book's ``templates/`` first, then the defaults."""

    def __init__(self, book_root: Path):
        self.folders = [book_root / "templates", DEFAULT_TEMPLATES]
        self.roots = [book_root, DEFAULT_TEMPLATES]  # what each folder's files must be in
        self.env = _Sandbox(
            book_root / "templates",
            loader=_ThemeLoader(list(zip(self.folders, self.roots, strict=True))),
            autoescape=select_autoescape(["html", "xhtml", "xml", "opf", "ncx"]),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True, bytecode_cache=_COMPILED,
        )

    def asset(self, name: str) -> Path:
        """The file *name* from the book's templates or the defaults; a missing one is an
        error, and so is one that breaks the rule of ``folio.files`` (a link to a file
        outside the book, a FIFO, a device)."""
        for folder, root in zip(self.folders, self.roots, strict=True):
            path = folder / name
            if not (path.exists() or path.is_symlink()):
                continue
            reason = why_refused(path, [root])
            if reason is not None:
                raise BuildError(f"theme file: {reason}", path)
            return path
        raise BuildError(f"theme file '{name}' not found in "
                         + " or ".join(str(f) for f in self.folders))

    def render(self, name: str, book: Book, fmt: str, **context) -> str:
        xml = fmt == "epub"

        def semantic(epub_type: str) -> Markup:
            roles = [ROLES.get(token) for token in epub_type.split()]
            role = next((r for r in reversed(roles) if r), None)
            attributes = f' role="{role}"' if role else ""
            if xml:
                attributes = f' epub:type="{epub_type}"' + attributes
            return Markup(attributes)

        def html(element) -> Markup:
            if xml:
                return Markup(finish_xhtml(inner_html(element, xml=True)))
            if fmt == "pdf":  # see PRINT_BREAK; formulas drawn (typeset.math)
                return Markup(inner_html(print_math(element)).replace("<wbr>", PRINT_BREAK))
            return Markup(inner_html(element))

        strings = strings_of(book.config)

        def t(key: str, /, **values) -> Markup:
            """Folio's words in the book's language (folio.i18n), as HTML."""
            return strings.markup(key, **values)

        def tn(key: str, count: int, /, **values) -> Markup:
            """A message that shows *count*, in the plural form of the language."""
            return strings.markup(key, count, **values)

        template = self.env.get_template(name)
        return template.render(book=book, meta=book.config, fmt=fmt, semantic=semantic,
                               html=html, t=t, tn=tn, date_text=strings.date, **context)
