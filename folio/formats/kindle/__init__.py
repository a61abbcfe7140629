"""Kindle: the EPUB converted to AZW3 by Calibre, its metadata made whole (a stable
identifier, the subjects, the rights)."""

from .. import Format, Job


def render(job: Job) -> None:
    from .convert import convert_to_azw3
    from .metadata import fix_metadata

    convert_to_azw3(job.require("epub"), job.target)
    fix_metadata(job.target, job.book)


FORMAT = Format(
    name="kindle",
    summary="Build the EPUB and, from it, a Kindle AZW3 (output/<slug>.azw3) with "
            "Calibre's ebook-convert, which must be installed.",
    output="{slug}.azw3", render=render, requires=("epub",),
)
