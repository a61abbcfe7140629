"""The web book: a page a section, a single-page edition, search with Pagefind."""

from .. import Format, Job


def render(job: Job) -> None:
    from .render import render_html

    render_html(job.book, job.target, cover=job.book.config.cover)


FORMAT = Format(
    name="html",
    summary="Build the web book (output/html/: a page a section, the whole book on one "
            "page, search).",
    output="html", render=render, default=True, release=True,
)
