"""Study handouts: a PDF a chapter (its text, questions, glossary terms, chronology
events and notes, with its print pages), and the whole glossary and chronology."""

import os
import shutil

import click

from .. import Format, Job

PAPERS = ("a4", "letter")


def render(job: Job) -> None:
    """Handouts made for some chapters join those made before, not replace them."""
    from .render import render_handouts

    if job.options.get("chapters") and job.previous is not None and job.previous.is_dir():
        shutil.copytree(job.previous, job.target, copy_function=os.link)
    settings = job.book.config.handouts
    options = {key: value for key, value in job.options.items() if value is not None}
    render_handouts(job.book, job.target, job.layout(),
                    paper=options.get("paper", settings["paper"]),
                    booklet=options.get("booklet", settings["booklet"]),
                    chapters=list(options.get("chapters") or []) or None)


FORMAT = Format(
    name="handouts",
    summary="Study handouts for a reading group, in output/handouts/: one PDF a chapter "
            "(its text, discussion questions, glossary terms, chronology events and notes, "
            "with its pages in the print edition), and the whole glossary and chronology.",
    output="handouts", render=render, needs_layout=True, release=True,
    options=(
        click.Option(["--chapter", "-c", "chapters"], multiple=True, metavar="ID",
                     help="Only this handout: a chapter id or number, or 'glossary' or "
                          "'chronology'. Repeat for more (default: every chapter, the "
                          "glossary and the chronology)."),
        click.Option(["--paper"], type=click.Choice(PAPERS, case_sensitive=False),
                     default=None,
                     help="Paper size (default: handouts.paper in book.yaml, or a4)."),
        click.Option(["--booklet/--no-booklet"], default=None,
                     help="Also make each handout as a folded booklet (handouts/booklet/): "
                          "print duplex, flip on the short edge, fold and staple (default: "
                          "handouts.booklet in book.yaml)."),
    ),
)
