"""A build: read the book once, render the chosen formats, publish them atomically."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .errors import BuildError, raise_all
from .lint import lint
from .model import Book
from .output import staged

FORMATS = ("pdf", "epub", "html")
EXTRA_FORMATS = ("kindle",)  # built on request only: it needs Calibre


def output_names(book: Book) -> dict[str, str]:
    """Where each format lands inside the output folder."""
    slug = book.config.slug
    return {"pdf": f"{slug}.pdf", "epub": f"{slug}.epub", "html": "html",
            "kindle": f"{slug}.azw3"}


def render(book: Book, fmt: str, target: Path, typeset: Callable[[], object]) -> None:
    """Render *fmt* to *target*; *typeset* gives the shared PDF layout on demand."""
    if fmt == "pdf":
        from .render.pdf import render_pdf

        render_pdf(book, target, typeset())
    elif fmt == "epub":
        from .render.epub import render_epub

        render_epub(book, target, typeset())
    elif fmt == "html":
        from .render.html import render_html

        render_html(book, target)
    elif fmt == "kindle":
        from .render.kindle import convert_to_azw3

        epub = target.with_name(output_names(book)["epub"])
        if not epub.exists():
            render(book, "epub", epub, typeset)
        convert_to_azw3(epub, target)
    else:  # pragma: no cover - the CLI only offers FORMATS
        raise ValueError(fmt)


def checked_book(root: Path, progress: Callable[[str], None]) -> Book:
    """The book, read once, after the same checks as ``build.py check``: an error stops
    the build (every error is listed), a warning is shown and the build goes on."""
    findings, book = lint(root, warn=progress)
    errors = [f for f in findings if f.is_error]
    for warning in (f for f in findings if not f.is_error):
        progress(f"warning: {warning.format(Path.cwd())}")
    if errors or book is None:
        raise_all([BuildError(f"{f.code} {f.message}", f.path, f.line, f.column)
                   for f in errors] or [BuildError("the manuscript could not be read")])
    return book


def build(root: Path, output: Path, formats: list[str],
          progress: Callable[[str], None] = lambda message: None) -> dict[str, Path]:
    """Build *formats* of the book in *root* into *output*; returns the files made."""
    started = time.perf_counter()
    progress("checking the manuscript")
    book = checked_book(root, progress)
    names = output_names(book)
    typesetter = []

    def typeset():
        # The print layout is made once, when the first format needs it: the PDF, or
        # the EPUB (its print page numbers and cover image come from that layout).
        if not typesetter:
            from .render.typeset import Typesetter

            progress("laying out the pages")
            typesetter.append(Typesetter(book))
        return typesetter[0]

    with staged(output) as staging:
        for fmt in formats:
            step = time.perf_counter()
            progress(f"rendering {fmt.upper()}")
            render(book, fmt, staging / names[fmt], typeset)
            progress(f"{fmt.upper()} done in {time.perf_counter() - step:.1f} s")
    progress(f"built {', '.join(formats)} in {time.perf_counter() - started:.1f} s")
    return {fmt: output / names[fmt] for fmt in formats}
