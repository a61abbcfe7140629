"""Transforms shared by every format, each done once on the Book model, in order."""

from __future__ import annotations

from ..model import Book
from .backmatter import add_back_matter
from .chronology import check_chronology_links
from .crossrefs import number_crossrefs
from .file_links import point_file_links
from .filenames import name_files
from .glossary import link_glossary_terms
from .headings import mark_heading_titles
from .ids import make_ids_unique
from .index import collect_index
from .measure import fit_the_measure
from .notes import number_notes
from .positions import mark_positions
from .resources import collect_resources
from .textmarks import mark_texts


def apply_transforms(book: Book, pending_notes: list[list[str]]) -> None:
    """Every transform, once, in order; *pending_notes* holds the HTML of each
    authored section's footnotes, in the order of ``book.sections``."""
    make_ids_unique(book)
    number_notes(book, pending_notes)
    point_file_links(book)
    number_crossrefs(book)
    mark_heading_titles(book)
    collect_resources(book)
    fit_the_measure(book)
    link_glossary_terms(book)
    collect_index(book)
    mark_texts(book)
    mark_positions(book)
    add_back_matter(book)
    name_files(book)
    check_chronology_links(book)
