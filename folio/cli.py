"""The command line: ``python build.py all | <format> | check | release | new | import | serve``.

A command a format: the format registry (``folio.formats``) names them, so a format
registered by entry point has its command without an edit here."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from . import formats
from .build import build
from .errors import BuildError
from .interrupts import settle as settle_interrupt

PROJECT = Path(__file__).resolve().parent.parent
T = TypeVar("T")


def _book_option(function):
    function = click.option(
        "--output", "-o", type=click.Path(file_okay=False, path_type=Path), default=None,
        help="Folder for the outputs (default: output/ beside the book's folder).")(function)
    function = click.option(
        "--book", "-b", type=click.Path(file_okay=False, path_type=Path),
        default=PROJECT / "manuscript", show_default="manuscript/",
        help="The book's folder: the one holding book.yaml.")(function)
    function = click.option("--quiet", "-q", is_flag=True,
                            help="Print only errors.")(function)
    return function


def _build_options(function):
    function = click.option("--force", is_flag=True,
                            help="Rebuild even what has not changed since the last build.")(
        function)
    function = click.option("--timings", is_flag=True,
                            help="Print the seconds each stage took, as JSON, instead of "
                                 "the files made.")(function)
    return function


class _Commands(click.Group):
    """Folio's own commands, and one for each format in the registry."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        own = super().list_commands(ctx)
        return ["all", *[n for n in _format_names() if n not in own], *own]

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None:
            return command
        if name == "all":
            return _format_command(None, "Build every format the book's settings list "
                                         "(formats: in book.yaml; default: "
                                         f"{', '.join(_defaults())}).")
        if name in _format_names():
            declared = formats.get(name)
            return _format_command(declared.name, declared.summary, declared.options)
        return None


def _format_names() -> list[str]:
    try:
        return formats.names()
    except BuildError as error:  # a broken plug-in: say so, keep Folio's own commands
        click.echo(error.format(), err=True)
        return list(formats.BUILTIN)


def _defaults() -> list[str]:
    try:
        return formats.defaults()
    except BuildError:
        return ["pdf", "epub", "html"]


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Build a book from its manuscript: a print-ready PDF, an EPUB 3 and a web book.

    The manuscript is a folder with book.yaml (metadata and the list of chapter
    files), chapters in Markdown, and optional glossary and chronology files.
    Outputs land in output/; a failed build leaves the previous outputs untouched.
    """


def _paths(book: Path, output: Path | None) -> tuple[Path, Path]:
    book = book.resolve()
    return book, (output or book.parent / "output").resolve()


def _progress(quiet: bool) -> Callable[[str], None]:
    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"  {message}", err=True)

    return progress


def _guarded(action: Callable[[], T], what: str,
             kept: str = "the previous outputs are unchanged") -> T:
    """Run *action*; bad input, Ctrl-C and bugs end with a message and an exit status,
    never a traceback (FOLIO_DEBUG=1 shows a bug's)."""
    try:
        return action()
    except BuildError as error:
        click.echo(error.format(relative_to=Path.cwd()), err=True)
        click.echo(f"{what} failed: {kept}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        settle_interrupt()
        click.echo("interrupted: the previous outputs are unchanged", err=True)
        sys.exit(130)
    except Exception as error:  # a bug, not bad input: say so, keep the outputs
        if os.environ.get("FOLIO_DEBUG"):
            raise
        click.echo(f"internal error: {type(error).__name__}: {error}", err=True)
        click.echo("the previous outputs are unchanged; this is a bug in Folio, not in the "
                   "book: run again with FOLIO_DEBUG=1 for the details, and report it",
                   err=True)
        sys.exit(70)


def _run(wanted: list[str] | None, book: Path, output: Path | None, quiet: bool,
         force: bool = False, timings: bool = False, options: dict | None = None) -> None:
    book, output = _paths(book, output)
    seconds: dict[str, float] = {}
    made = _guarded(lambda: build(book, output, wanted, _progress(quiet), force=force,
                                  timings=seconds, options=options), "build")
    if timings:
        click.echo(json.dumps({stage: round(value, 3) for stage, value in seconds.items()}))
    elif not quiet:
        for path in made.values():
            click.echo(str(_relative(path)))


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _format_command(name: str | None, help_text: str, own_options=()) -> click.Command:
    """The command that builds the format *name* (None: every format the book lists),
    with the options every build takes and the format's own."""

    def command(book: Path, output: Path | None, quiet: bool, force: bool, timings: bool,
                **own) -> None:
        own = {key: list(value) if isinstance(value, tuple) else value
               for key, value in own.items() if value not in (None, ())}
        _run(None if name is None else [name], book, output, quiet, force, timings,
             {name: own} if name is not None and own else None)

    made = click.Command(name or "all", callback=command, help=help_text,
                         params=list(own_options))
    return _book_option(_build_options(made))


@main.command()
@click.option("--book", "-b", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT / "manuscript", show_default="manuscript/",
              help="The book's folder: the one holding book.yaml.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--list", "list_rules", is_flag=True,
              help="Print the catalogue of finding codes and exit.")
@click.option("--external", is_flag=True,
              help="Instead, check that every outside address the book links to still "
                   "answers (needs the network; reports dead and moved links).")
@click.option("--timeout", type=float, default=10.0, show_default=True,
              help="With --external: seconds to wait for each server.")
def check(book: Path, strict: bool, list_rules: bool, external: bool, timeout: float) -> None:
    """Check the manuscript without building it (every build runs the same checks).

    Prints one line a finding, `file:line:col: CODE message`, and a count.
    Exit status: 0 clean (warnings allowed unless --strict), 1 findings that fail,
    2 a usage error. Silence a code for the whole book with `lint: ignore: [CODE]`
    in book.yaml, or for one line with `<!-- lint: ignore CODE -->` on the line
    before it.
    """
    from .check import check_manuscript
    from .lint.catalogue import catalogue_markdown

    if list_rules:
        click.echo(catalogue_markdown())
        return
    if external:
        _check_external(book.resolve(), timeout)
        return
    findings = _guarded(lambda: check_manuscript(book.resolve()).findings, "check")
    for finding in findings:
        click.echo(finding.format(Path.cwd()))
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)


def _check_external(book: Path, timeout: float) -> None:
    from .lint.external_links import check_urls, external_urls
    from .read import read_book

    try:
        urls = external_urls(read_book(book))
    except BuildError as error:
        click.echo(error.format(relative_to=Path.cwd()), err=True)
        sys.exit(1)
    results = check_urls(urls, timeout=timeout)
    for result in results:
        click.echo(result.line())
    dead = [r for r in results if r.status in ("dead", "error")]
    moved = [r for r in results if r.status == "moved"]
    click.echo(f"{len(results)} link(s): {len(dead)} dead, {len(moved)} moved", err=True)
    if dead:
        sys.exit(1)


@main.command(name="release")
@_book_option
def release_command(book: Path, output: Path | None, quiet: bool) -> None:
    """Build every output of this version into output/release/<version>/.

    PDFs (screen, print, cover), EPUB, the web book and the handouts as zips, each
    named <slug>-<version>, with SHA256SUMS, manifest.json and RELEASE-NOTES.md (the
    version's section of CHANGELOG.md beside book.yaml). When HEAD carries a tag
    vX.Y.Z it must match the version in book.yaml. SOURCE_DATE_EPOCH (default: the
    last commit's time) makes two releases of one commit byte-identical.
    """
    from .release import release

    book, output = _paths(book, output)
    folder = _guarded(lambda: release(book, output, _progress(quiet)), "release")
    click.echo(str(_relative(folder)))


@main.command(name="new")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--title", default=None, help="The book's title (default: from the folder name).")
@click.option("--author", default="The Author", show_default=True, help="The author's name.")
@click.option("--language", default="en", show_default=True,
              help="The book's language tag (en, fr, de-AT …).")
def new_command(path: Path, title: str | None, author: str, language: str) -> None:
    """Start a new book in PATH: settings, two sample chapters with a note, a glossary
    term, an index mark and a chronology entry, and a CHANGELOG. It checks clean and
    builds at once: `python build.py all --book PATH`.
    """
    from .scaffold import new_book

    title = title or path.resolve().name.replace("-", " ").replace("_", " ").title()
    try:
        made = new_book(path, title, author, language)
    except BuildError as error:
        click.echo(error.format(relative_to=Path.cwd()), err=True)
        sys.exit(1)
    for file in made:
        click.echo(str(_relative(file)))
    click.echo(f"next: python build.py all --book {path}", err=True)


@main.command(name="import")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--to", "destination", type=click.Path(path_type=Path), default=None,
              help="The new book's folder (new or empty; default: SOURCE's name, here).")
@click.option("--split-level", type=click.IntRange(1, 6), default=None,
              help="The heading level that starts a chapter, for a Word, OpenDocument "
                   "or Markdown file (default 1; a heading above it opens a part).")
@click.option("--quiet", "-q", is_flag=True, help="Print only what needs a hand.")
def import_command(source: Path, destination: Path | None, split_level: int | None,
                   quiet: bool) -> None:
    """Make a Folio book from SOURCE: a Word (.docx) or OpenDocument (.odt) file, one
    Markdown file (split into chapters at its level-1 headings, or at --split-level),
    an mdBook (its folder, with book.toml and SUMMARY.md) or a Quarto or bookdown book
    (its folder).

    What could not be carried over is printed as `file:line: what to do` and kept in
    import-report.txt; then the new book is checked as a build would check it, and
    what the check still finds (a link the source itself got wrong, a typo that reads
    as TeX) is printed and kept there too, at its place in the new book.
    """
    from .check import check_manuscript
    from .importers import import_book
    from .importers.writer import REPORT_NAME

    destination = destination or Path(source.resolve().stem if source.is_file()
                                      else source.resolve().name)
    book = _guarded(lambda: import_book(source, destination, _progress(quiet), split_level),
                    "import", "nothing was written")
    for line in book.report:
        click.echo(line.format(relative_to=Path.cwd()), err=True)
    if not quiet:
        click.echo(f"imported {len(book.chapters)} chapters into {_relative(destination)}",
                   err=True)
    try:
        findings = check_manuscript(destination.resolve()).findings
    except BuildError as error:  # the new book does not even read: say so, keep it
        findings, unread = [], error
    else:
        unread = None
    problems = [f.format(relative_to=Path.cwd()) for f in findings] + (
        [str(unread)] if unread is not None else [])
    kept = [f.format(relative_to=destination.resolve()) for f in findings] + (
        [str(unread)] if unread is not None else [])
    if problems:
        click.echo(f"  checking the new book: {len(problems)} thing(s) to mend before it "
                   "builds", err=True)
        for problem in problems:
            click.echo(problem, err=True)
        report = destination / REPORT_NAME
        previous = report.read_text(encoding="utf-8") if report.is_file() else ""
        report.write_text(previous + "".join(f"{problem}\n" for problem in kept),
                          encoding="utf-8")
        click.echo(f"next: mend them, then python build.py check --book {destination}",
                   err=True)
    else:
        click.echo("  checking the new book: it checks clean", err=True)
        click.echo(f"next: python build.py all --book {destination}", err=True)


@main.command(name="serve")
@_book_option
@click.option("--port", "-p", type=int, default=8000, show_default=True,
              help="The port on 127.0.0.1 (0: any free port).")
@click.option("--pdf", is_flag=True,
              help="Rebuild the PDF too after every change, in a process of its own, and "
                   "serve it at /__folio/pdf (every page of the preview links to it).")
def serve_command(book: Path, output: Path | None, quiet: bool, port: int, pdf: bool) -> None:
    """Serve the web book on 127.0.0.1 and update it when the manuscript or the
    theme changes: only the pages whose bytes changed are written, and open pages
    reload as soon as they are; the search index follows. With --pdf the PDF is
    rebuilt after the web pages (it never delays them) and served at
    http://127.0.0.1:PORT/__folio/pdf. A failed rebuild is reported here and the
    last good build stays served. Ctrl-C stops (exit status 130).
    """
    from .serve import serve

    book, output = _paths(book, output)

    def progress(message: str) -> None:
        if not quiet or message.startswith(("serving", "build failed", "settling failed",
                                            "PDF failed")):
            click.echo(f"  {message}", err=True)

    try:
        serve(book, output, port, pdf, progress)
    except BuildError as error:
        click.echo(error.format(relative_to=Path.cwd()), err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        settle_interrupt()
        click.echo("stopped", err=True)
        sys.exit(130)
