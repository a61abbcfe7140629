"""The web book: one page per section plus a home page, links rewritten across pages."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..links import rewrite_links
from ..model import Book
from .context import render_context
from .theme import Theme

FONT_FILES = ("LinLibertine_R.otf", "LinLibertine_RI.otf", "LinLibertine_RB.otf",
              "LinLibertine_RBI.otf", "LinLibertine_M.otf", "LinBiolinum_R.otf",
              "LinBiolinum_RB.otf")


HOME = "index.html"


def page_name(section_id: str) -> str:
    """A section's page; the back-of-book index must not take the home page's name."""
    return "book-index.html" if f"{section_id}.html" == HOME else f"{section_id}.html"


def render_html(book: Book, target: Path) -> None:
    theme = Theme(book.config.root)
    context = render_context(book)
    pages: dict[str, str] = {
        HOME: theme.render("html/home.html", book, "html", current=None,
                                   previous=None, next=book.sections[0], **context),
    }
    for position, section in enumerate(book.sections):
        previous = book.sections[position - 1] if position else None
        following = book.sections[position + 1] if position + 1 < len(book.sections) else None
        pages[page_name(section.id)] = theme.render(
            "html/page.html", book, "html", section=section, current=section,
            previous=previous, next=following, **context)
    target.mkdir(parents=True)
    for name, markup in rewrite_links(pages).items():
        (target / name).write_text(markup, encoding="utf-8")
    write_assets(theme, target)
    copy_resources(book, target)


def copy_resources(book: Book, target: Path) -> None:
    """The book's images, at the same paths relative to the pages as to the book."""
    for relative in sorted(book.resources):
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(book.config.root / relative, destination)


def write_assets(theme: Theme, target: Path) -> None:
    (target / "css").mkdir()
    (target / "fonts").mkdir()
    css = "\n".join([
        theme.env.get_template("css/fonts.css").render(font_url="../fonts/"),
        theme.env.get_template("css/book.css").render(),
        theme.env.get_template("css/web.css").render(),
    ])
    (target / "css" / "web.css").write_text(css, encoding="utf-8")
    for name in FONT_FILES:
        shutil.copyfile(theme.asset(f"fonts/{name}"), target / "fonts" / name)
