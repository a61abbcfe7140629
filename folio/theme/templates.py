"""Templates and assets: the toolchain's defaults, overridable file by file by a book."""

from __future__ import annotations

from pathlib import Path

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from ..errors import BuildError
from ..htmltree import finish_xhtml, inner_html
from ..model import Book

DEFAULT_TEMPLATES = Path(__file__).resolve().parent.parent.parent / "templates"

# DPUB-ARIA roles for the EPUB structural semantics we use; None where the
# EPUB type has no role (or only a deprecated one).
ROLES = {
    "chapter": "doc-chapter", "introduction": "doc-introduction", "endnotes": "doc-endnotes",
    "glossary": "doc-glossary", "index": "doc-index", "toc": "doc-toc",
    "noteref": "doc-noteref", "backlink": "doc-backlink", "appendix": "doc-appendix",
    "part": "doc-part",
    "cover": None, "titlepage": None, "halftitlepage": None, "copyright-page": None,
    "colophon": None,
    "frontmatter": None, "bodymatter": None, "backmatter": None, "endnote": None,
    "glossterm": None, "glossdef": None, "index-entry": None, "index-term": None,
    "index-locator": None, "index-entry-list": None, "index-group": None,
}


# A <wbr> is laid out by WeasyPrint as an inline box of its own, and a line may then
# break inside the text beside it instead of at it; a zero-width space is a break
# opportunity inside the text itself. It is drawn without a glyph: text copied from
# the PDF does not hold it.
PRINT_BREAK = "\u200b"


class Theme:
    """Finds templates and assets in the book's ``templates/`` first, then the defaults."""

    def __init__(self, book_root: Path):
        self.folders = [book_root / "templates", DEFAULT_TEMPLATES]
        self.env = Environment(
            loader=ChoiceLoader([FileSystemLoader(str(f)) for f in self.folders]),
            autoescape=select_autoescape(["html", "xhtml", "xml", "opf", "ncx"]),
            undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    def asset(self, name: str) -> Path:
        """The file *name* from the book's templates or the defaults; a missing one is an error."""
        for folder in self.folders:
            path = folder / name
            if path.is_file():
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
            if fmt == "pdf":  # see PRINT_BREAK
                return Markup(inner_html(element).replace("<wbr>", PRINT_BREAK))
            return Markup(inner_html(element))

        template = self.env.get_template(name)
        return template.render(book=book, meta=book.config, fmt=fmt, semantic=semantic,
                               html=html, **context)
