"""A build: read the book once, render the chosen formats, publish them atomically."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from .model import Book
from .output import staged
from .reader import read_book

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


def build(root: Path, output: Path, formats: list[str],
          progress: Callable[[str], None] = lambda message: None) -> dict[str, Path]:
    """Build *formats* of the book in *root* into *output*; returns the files made."""
    started = time.perf_counter()
    progress("reading the manuscript")
    book = read_book(root, warn=progress)
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
