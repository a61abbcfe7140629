"""A build: read the book once, render the chosen formats, publish them atomically."""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from . import cache, formats
from .check import (
    checked_book,
    loaded_config,
    restored_warnings,
    show_warnings,
    stored_warnings,
)
from .errors import BuildError
from .forks import fork_is_safe
from .formats import Job, Work
from .model import Book
from .output import staged
from .read import BookConfig
from .read.pandoc import reading_setting
from .read.parsecache import FOLDER as PARSED
from .read.parsecache import ParseCache

# The entry of the up-to-date record that keeps the warnings of the manuscript the
# outputs were made from: {"key": fingerprint, "warnings": [...]}.
WARNINGS = "warnings"
WEB_BOOK_NICENESS = 10  # os.nice of the web book's process beside the print layout


def build(root: Path | BookConfig, output: Path, wanted: list[str] | None = None,
          progress: Callable[[str], None] = lambda message: None,
          force: bool = False, timings: dict[str, float] | None = None,
          options: dict[str, dict] | None = None) -> dict[str, Path]:
    """Build the formats *wanted* (names in the format registry; None: those book.yaml's
    ``formats:`` lists) of the book in *root* (its folder, or its loaded
    configuration) into *output*; returns each format's main output.

    Outputs whose inputs have not changed since they were made are left alone
    (unless *force*); *options* are each format's own, by name; *timings*, when
    given, receives the seconds each stage took. Raises BuildError (BuildErrors)
    on bad input, leaving *output* as it was."""
    started = time.perf_counter()
    timings = {} if timings is None else timings
    options = options or {}
    config = root if isinstance(root, BookConfig) else loaded_config(root)
    wanted = list(config.formats if wanted is None else wanted)
    todo, key, cached = _plan(config, output, wanted, force, options)
    made = {fmt: output / formats.get(fmt).output_name(config.slug) for fmt in wanted}
    if not todo:
        kept = cached.get(WARNINGS)
        if isinstance(kept, dict) and kept.get("key") == key:
            show_warnings(restored_warnings(kept.get("warnings"), config.root), progress)
        progress("up to date: nothing to build")
        timings["total"] = time.perf_counter() - started
        return made
    progress("checking the manuscript")
    parsed = ParseCache(None if force else output / PARSED, reading_setting())
    checked = checked_book(config, progress, parsed)
    book = checked.book
    timings["check"] = time.perf_counter() - started

    with staged(output) as staging:
        run = _Run(book, staging, output, force, progress, options)
        web = _render_web_book_aside(book, todo, run.target("html"))
        for fmt in todo:
            if fmt == "html" and web is not None:
                continue
            step = time.perf_counter()
            progress(f"rendering {fmt.upper()}")
            run.render(fmt)
            timings[fmt] = time.perf_counter() - step
            progress(f"{fmt.upper()} done in {timings[fmt]:.1f} s")
        run.finish_asides()
        if run.typesetter is not None:
            parts = run.typesetter.parts
            progress(f"sections laid out: {parts.made}, unchanged since the last build: "
                     f"{parts.reused}, folio layers made: {parts.layers_made}")
            if run.typesetter.workers:
                progress(f"sections laid out side by side by {run.typesetter.workers} "
                         "processes")
        if web is not None:
            for message in web.finish():
                progress(message)
            timings["html"] = web.seconds
            progress(f"HTML done in {web.seconds:.1f} s (in parallel)")
        parsed.save(staging / PARSED)
        cache.save(staging, {**cached, **{fmt: key for fmt in todo},
                             WARNINGS: {"key": key, "warnings": stored_warnings(
                                 checked.warnings, config.root)}})
    timings["total"] = time.perf_counter() - started
    progress(f"built {', '.join(todo)} in {timings['total']:.1f} s")
    return made


class _Run:
    """One build's rendering: each format into the staging folder, the print layout
    made once, when the first format needs it, and shared."""

    def __init__(self, book: Book, staging: Path, output: Path, force: bool,
                 progress: Callable[[str], None], options: dict[str, dict]):
        self.book, self.staging, self.output = book, staging, output
        self.force, self.progress, self.options = force, progress, options
        self.typesetter = None
        self.asides: list[_Aside] = []  # work set aside by the formats, running

    def target(self, fmt: str) -> Path:
        return self.staging / formats.get(fmt).output_name(self.book.config.slug)

    def render(self, fmt: str) -> Path:
        declared, target = formats.get(fmt), self.target(fmt)
        declared.renderer()(Job(self.book, target, dict(self.options.get(fmt) or {}),
                                self.layout, self.require, self.output / target.name,
                                partial(self.aside, fmt)))
        return target

    def aside(self, fmt: str, work: Work) -> None:
        """``Job.aside`` of *fmt*: *work* in a forked process when the build may fork."""
        if fork_is_safe():
            self.asides.append(_Aside(work, f"the {fmt.upper()} files"))
        else:
            work(self.progress)

    def finish_asides(self) -> None:
        """Wait for the work set aside, say what it said; its error is raised."""
        while self.asides:
            for message in self.asides.pop(0).finish():
                self.progress(message)

    def require(self, fmt: str) -> Path:
        """Another format's output, made in this build if it is not yet."""
        self.finish_asides()
        target = self.target(fmt)
        return target if target.exists() else self.render(fmt)

    def layout(self):
        if self.typesetter is None:
            from .typeset.parts import PARTS_FOLDER, PartStore
            from .typeset.typesetter import Typesetter

            self.progress("laying out the pages")
            parts = PartStore(self.staging / PARTS_FOLDER,
                              None if self.force else self.output / PARTS_FOLDER)
            self.typesetter = Typesetter(self.book, parts, self.progress)
        return self.typesetter


def _plan(config: BookConfig, output: Path, wanted: list[str], force: bool,
          options: dict) -> tuple[list[str], str, dict[str, str]]:
    """Which formats need building, in build order (a format's requirements first):
    those whose inputs changed since they were made, or whose output is gone."""
    key = cache.fingerprint(config.root, output, json.dumps(options, sort_keys=True))
    cached = cache.load(output)
    todo = [fmt for fmt in formats.in_build_order(wanted)
            if force or cached.get(fmt) != key
            or not (output / formats.get(fmt).output_name(config.slug)).exists()]
    return todo, key, cached


class _Aside:
    """Work rendered in a forked process while this one goes on (the web book while
    the PDF is laid out, the print files while the EPUB is made): the two share
    nothing but what the fork copies. *work* is given a progress callback whose
    messages ``finish`` hands back; *nice* lowers its priority (``os.nice``), for
    work that is not what the build waits for."""

    def __init__(self, work: Work, what: str, nice: int = 0):
        context = multiprocessing.get_context("fork")
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_aside_child, args=(work, what, send, nice),
                                       daemon=True)
        self.process.start()
        send.close()
        self.seconds = 0.0

    def finish(self) -> list[str]:
        """What the work said; its error raised (BuildError or OSError)."""
        message = self.receive.recv() if self.receive.poll(3600) else "no answer"
        self.process.join()
        if isinstance(message, tuple):
            self.seconds, said = message
            return said
        raise BuildError(message) if isinstance(message, str) else message  # or OSError


def _aside_child(work: Work, what: str, send, nice: int) -> None:
    if nice:
        os.nice(nice)
    started = time.perf_counter()
    said: list[str] = []
    try:
        work(said.append)
        send.send((time.perf_counter() - started, said))
    except (BuildError, OSError) as error:  # the parent reports them as its own
        send.send(error)
    except BaseException as error:  # noqa: BLE001 - reported by the parent
        send.send(f"{what} could not be made: {type(error).__name__}: {error}")


def _render_html(book: Book, target: Path) -> Work:
    def work(progress: Callable[[str], None]) -> None:
        formats.get("html").renderer()(Job(book, target, {}, lambda: None, lambda f: target))
    return work


def _render_web_book_aside(book: Book, todo: list[str], target: Path) -> _Aside | None:
    if "html" not in todo or len(todo) == 1 or not fork_is_safe():
        return None
    # The web book takes a few seconds where the print layout takes many: the layout's
    # workers go first when the cores are busy, the web book fills what they leave.
    return _Aside(_render_html(book, target), "the web book", nice=WEB_BOOK_NICENESS)
