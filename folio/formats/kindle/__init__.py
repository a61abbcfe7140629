"""Kindle: the EPUB converted to AZW3 by Calibre."""

from .. import Format, Job


def render(job: Job) -> None:
    from .convert import convert_to_azw3

    convert_to_azw3(job.require("epub"), job.target)


FORMAT = Format(
    name="kindle",
    summary="Build the EPUB and, from it, a Kindle AZW3 (output/<slug>.azw3) with "
            "Calibre's ebook-convert, which must be installed.",
    output="{slug}.azw3", render=render, requires=("epub",),
)
