"""The command line: ``python build.py pdf|epub|html|all``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .build import FORMATS, build
from .errors import BuildError

PROJECT = Path(__file__).resolve().parent.parent


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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Build a book from its manuscript: a print-ready PDF, an EPUB 3 and a web book.

    The manuscript is a folder with book.yaml (metadata and the list of chapter
    files), chapters in Markdown, and optional glossary and chronology files.
    Outputs land in output/; a failed build leaves the previous outputs untouched.
    """


def _run(formats: list[str], book: Path, output: Path | None, quiet: bool) -> None:
    book = book.resolve()
    output = (output or book.parent / "output").resolve()

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"  {message}", err=True)

    try:
        made = build(book, output, formats, progress)
    except BuildError as error:
        click.echo(error.format(relative_to=Path.cwd()), err=True)
        click.echo("build failed: the previous outputs are unchanged", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
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
    if not quiet:
        for path in made.values():
            click.echo(str(_relative(path)))


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def _format_command(fmt: str, help_text: str) -> None:
    @main.command(name=fmt, help=help_text)
    @_book_option
    def command(book: Path, output: Path | None, quiet: bool) -> None:
        _run(list(FORMATS) if fmt == "all" else
             ["epub", "kindle"] if fmt == "kindle" else [fmt], book, output, quiet)


_format_command("pdf", "Build the PDF (output/<slug>.pdf) with WeasyPrint.")
_format_command("epub", "Build the EPUB 3 (output/<slug>.epub).")
_format_command("html", "Build the web book (output/html/, one page per chapter).")
_format_command("kindle", "Build the EPUB and, from it, a Kindle AZW3 (output/<slug>.azw3) "
                "with Calibre's ebook-convert, which must be installed.")
_format_command("all", "Build every format: PDF, EPUB and the web book.")


@main.command()
@click.option("--book", "-b", type=click.Path(file_okay=False, path_type=Path),
              default=PROJECT / "manuscript", show_default="manuscript/",
              help="The book's folder: the one holding book.yaml.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--list", "list_rules", is_flag=True,
              help="Print the catalogue of finding codes and exit.")
def check(book: Path, strict: bool, list_rules: bool) -> None:
    """Check the manuscript without building it (every build runs the same checks).

    Prints one line a finding, `file:line:col: CODE message`, and a count.
    Exit status: 0 clean (warnings allowed unless --strict), 1 findings that fail,
    2 a usage error. Silence a code for the whole book with `lint: ignore: [CODE]`
    in book.yaml, or for one line with `<!-- lint: ignore CODE -->` on the line
    before it.
    """
    from .lint import lint
    from .lint.catalogue import catalogue_markdown

    if list_rules:
        click.echo(catalogue_markdown())
        return
    findings, _ = lint(book.resolve())
    for finding in findings:
        click.echo(finding.format(Path.cwd()))
    errors = sum(f.is_error for f in findings)
    warnings = len(findings) - errors
    click.echo(f"{errors} error(s), {warnings} warning(s)", err=True)
    if errors or (strict and warnings):
        sys.exit(1)
