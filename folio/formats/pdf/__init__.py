"""The PDF editions: screen (cover first, every cross-reference a link), print
interior (for the book's printer: bleed, no marks, PDF/X as it asks), on request
its proof with crop marks, and the wrap cover, from the shared print layout."""

import click

from .. import Format, Job


def render(job: Job) -> None:
    """A proof made once is made again by every later build (an output folder keeps
    what a build does not replace: an older proof would show an older interior);
    deleting it stops that."""
    from .render import proof_file, render_pdf

    screen_only = bool(job.options.get("screen_only"))
    kept = job.previous is not None and proof_file(job.previous).exists() and not screen_only
    render_pdf(job.book, job.target, job.layout(), proof=bool(job.options.get("proof")) or kept,
               screen_only=screen_only, aside=job.aside)


FORMAT = Format(
    name="pdf",
    summary="Build the PDF editions with WeasyPrint: output/<slug>.pdf (screen), "
            "<slug>-print.pdf (print interior) and <slug>-cover.pdf (wrap cover).",
    output="{slug}.pdf", also=("{slug}-print.pdf", "{slug}-cover.pdf"),
    render=render, needs_layout=True, default=True, release=True,
    options=(
        click.Option(["--proof"], is_flag=True, default=None,
                     help="Also write <slug>-proof.pdf: the print interior with crop "
                          "marks, to check the trim on a desk printer (printers refuse "
                          "marks in an upload). Once made, every build makes it again."),
        click.Option(["--screen-only"], is_flag=True, default=None,
                     help="Write only <slug>.pdf, the screen edition: no print interior "
                          "and no wrap cover (seconds less on a long book; for a "
                          "preview, as `serve --pdf` makes)."),
    ),
)
