"""The PDF editions: screen (cover first, every cross-reference a link), print
interior (bleed and marks) and wrap cover, from the shared print layout."""

from .. import Format, Job


def render(job: Job) -> None:
    from .render import render_pdf

    render_pdf(job.book, job.target, job.layout())


FORMAT = Format(
    name="pdf",
    summary="Build the PDF editions with WeasyPrint: output/<slug>.pdf (screen), "
            "<slug>-print.pdf (print interior) and <slug>-cover.pdf (wrap cover).",
    output="{slug}.pdf", also=("{slug}-print.pdf", "{slug}-cover.pdf"),
    render=render, needs_layout=True, default=True, release=True,
)
