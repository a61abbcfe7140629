"""A build: read the book once, render the chosen formats, publish them atomically."""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from . import cache
from .config import load_config
from .errors import BuildError, raise_all
from .forks import fork_is_safe
from .lint import lint
from .model import Book
from .output import staged
from .pandoc import reading_setting
from .parsecache import FOLDER as PARSED
from .parsecache import ParseCache

FORMATS = ("pdf", "epub", "html")
EXTRA_FORMATS = ("kindle",)  # built on request only: it needs Calibre


def output_names(book: Book) -> dict[str, str]:
    """Where each format lands inside the output folder."""
    return output_names_for(book.config.slug)


def output_names_for(slug: str) -> dict[str, str]:
    return {"pdf": f"{slug}.pdf", "epub": f"{slug}.epub", "html": "html",
            "kindle": f"{slug}.azw3", "handouts": "handouts"}


def render(book: Book, fmt: str, target: Path, typeset: Callable[[], object],
           options: dict | None = None) -> None:
    """Render *fmt* to *target*; *typeset* gives the shared PDF layout on demand;
    *options* are the format's own (the handouts' paper, for one)."""
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
    elif fmt == "handouts":
        from .render.handouts import render_handouts

        render_handouts(book, target, typeset(), **(options or {}))
    else:  # pragma: no cover - the CLI only offers FORMATS
        raise ValueError(fmt)


def checked_book(root: Path, progress: Callable[[str], None],
                 cache: ParseCache | None = None) -> Book:
    """The book, read once, after the same checks as ``build.py check``: an error stops
    the build (every error is listed), a warning is shown and the build goes on."""
    findings, book = lint(root, warn=progress, cache=cache)
    errors = [f for f in findings if f.is_error]
    for warning in (f for f in findings if not f.is_error):
        progress(f"warning: {warning.format(Path.cwd())}")
    if errors or book is None:
        raise_all([BuildError(f"{f.code} {f.message}", f.path, f.line, f.column)
                   for f in errors] or [BuildError("the manuscript could not be read")])
    return book


def build(root: Path, output: Path, formats: list[str],
          progress: Callable[[str], None] = lambda message: None,
          force: bool = False, timings: dict[str, float] | None = None,
          options: dict[str, dict] | None = None) -> dict[str, Path]:
    """Build *formats* of the book in *root* into *output*; returns the files made.

    Outputs whose inputs have not changed since they were made are left alone
    (unless *force*); *timings*, when given, receives the seconds each stage took."""
    started = time.perf_counter()
    timings = {} if timings is None else timings
    options = options or {}
    names, todo, key, cached = _plan(root, output, formats, force, options)
    if not todo:
        progress("up to date: nothing to build")
        timings["total"] = time.perf_counter() - started
        return {fmt: output / names[fmt] for fmt in formats}
    progress("checking the manuscript")
    parsed = ParseCache(None if force else output / PARSED, reading_setting())
    book = checked_book(root, progress, parsed)
    names = output_names(book)
    timings["check"] = time.perf_counter() - started
    typesetter = []

    def typeset():
        # The print layout is made once, when the first format needs it: the PDF, or
        # the EPUB (its print page numbers and cover image come from that layout).
        if not typesetter:
            from .render.parts import PARTS_FOLDER, PartStore
            from .render.typeset import Typesetter

            progress("laying out the pages")
            parts = PartStore(staging / PARTS_FOLDER,
                              None if force else output / PARTS_FOLDER)
            typesetter.append(Typesetter(book, parts, progress))
        return typesetter[0]

    with staged(output) as staging:
        web = _render_web_book_aside(book, todo, staging / names["html"])
        for fmt in todo:
            if fmt == "html" and web is not None:
                continue
            step = time.perf_counter()
            progress(f"rendering {fmt.upper()}")
            if fmt == "handouts" and (options.get(fmt) or {}).get("chapters"):
                _keep_other_handouts(output / names[fmt], staging / names[fmt])
            render(book, fmt, staging / names[fmt], typeset, options.get(fmt))
            timings[fmt] = time.perf_counter() - step
            progress(f"{fmt.upper()} done in {timings[fmt]:.1f} s")
        if typesetter:
            parts = typesetter[0].parts
            progress(f"sections laid out: {parts.made}, unchanged since the last build: "
                     f"{parts.reused}")
        if web is not None:
            web.finish()
            timings["html"] = web.seconds
            progress(f"HTML done in {web.seconds:.1f} s (in parallel)")
        parsed.save(staging / PARSED)
        cache.save(staging, {**cached, **{fmt: key for fmt in todo}})
    timings["total"] = time.perf_counter() - started
    progress(f"built {', '.join(todo)} in {timings['total']:.1f} s")
    return {fmt: output / names[fmt] for fmt in formats}


def _keep_other_handouts(previous: Path, target: Path) -> None:
    """Handouts made for some chapters join those made before, not replace them."""
    if previous.is_dir():
        shutil.copytree(previous, target, copy_function=os.link)


def _plan(root: Path, output: Path, formats: list[str], force: bool,
          options: dict) -> tuple[dict[str, str], list[str], str, dict[str, str]]:
    """Which formats need building: those whose inputs changed since they were made."""
    try:
        config = load_config(root)
    except BuildError:
        return {}, list(formats), "", {}  # the checks will say what is wrong
    names = output_names_for(config.slug)
    key = cache.fingerprint(root, output, json.dumps(options, sort_keys=True))
    cached = cache.load(output)
    todo = [fmt for fmt in formats
            if force or cached.get(fmt) != key or not (output / names[fmt]).exists()]
    return names, todo, key, cached


class _Aside:
    """The web book rendered in a forked process while this one lays out the PDF: the
    two share nothing but the model, which the fork copies."""

    def __init__(self, book: Book, target: Path):
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_render_html_child, args=(book, target, send),
                                       daemon=True)
        self.process.start()
        send.close()
        self.seconds = 0.0

    def finish(self) -> None:
        message = self.receive.recv() if self.receive.poll(3600) else "no answer"
        self.process.join()
        if isinstance(message, float):
            self.seconds = message
            return
        raise BuildError(message) if isinstance(message, str) else message


def _render_html_child(book: Book, target: Path, send) -> None:
    started = time.perf_counter()
    try:
        render(book, "html", target, lambda: None)
        send.send(time.perf_counter() - started)
    except BuildError as error:
        send.send(error)
    except BaseException as error:  # noqa: BLE001 - reported by the parent
        send.send(f"the web book could not be made: {type(error).__name__}: {error}")


def _render_web_book_aside(book: Book, todo: list[str], target: Path) -> _Aside | None:
    if "html" not in todo or len(todo) == 1 or not fork_is_safe():
        return None
    return _Aside(book, target)
