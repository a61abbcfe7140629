"""The EPUB 3: a file a section, navigation with landmarks, the print edition's
page-list, and the cover drawn by the print layout."""

from .. import Format, Job


def render(job: Job) -> None:
    from .render import render_epub

    render_epub(job.book, job.target, job.layout())


FORMAT = Format(
    name="epub",
    summary="Build the EPUB 3 (output/<slug>.epub), its page-list matching the print "
            "pages.",
    output="{slug}.epub", render=render, needs_layout=True, default=True, release=True,
)
