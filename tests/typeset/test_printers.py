"""The printers' rules as data (folio.typeset.printers), checked against the figures
their guides publish (named in each test)."""

from __future__ import annotations

import pytest

from folio.typeset.printers import PRINTERS, points


@pytest.mark.parametrize(("pages", "gutter"), [
    (24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625), (500, 0.625),
    (501, 0.75), (700, 0.75), (701, 0.875), (828, 0.875)])
def test_kdp_gutter_by_page_count(pages, gutter):
    """KDP Help, 'Set Trim Size, Bleed, and Margins': the inside margin table."""
    assert PRINTERS["kdp"].inside_margin(pages) == gutter


def test_kdp_interior_with_bleed_for_six_by_nine():
    """6 × 9 in with bleed: 6.125 × 9.25 in, 441 × 666 pt (bleed on three edges)."""
    kdp = PRINTERS["kdp"]
    assert points(6 + kdp.bleed) == 441.0 and points(9 + 2 * kdp.bleed) == 666.0
    assert not kdp.bleed_spine_edge and kdp.min_outside_margin == 0.375
    assert kdp.min_pages == 24 and kdp.max_pages("white") == 828


def test_ingramspark_half_an_inch_everywhere_even_count_and_x1a():
    """IngramSpark, 'File Requirements for Print Books': margins of 0.5 in on all
    sides; at least 18 pages; PDF/X-1a:2001 (PDF/X-4 accepted)."""
    spark = PRINTERS["ingramspark"]
    assert {spark.inside_margin(n) for n in (18, 150, 400, 800)} == {0.5}
    assert spark.min_outside_margin == 0.5 and spark.min_pages == 18
    assert (spark.pdfx, spark.pdfx_fallback) == ("pdf/x-1a", "pdf/x-4")
    assert [spark.printed_pages(n) for n in (79, 80)] == [80, 80]


def test_lulu_bleeds_on_every_edge_and_keeps_half_an_inch():
    """Lulu Help, 'What is bleed?': 6 × 9 in uploads at 6.25 × 9.25 in; 'Tips for
    formatting documents': at least 0.5 in margins on all pages."""
    lulu = PRINTERS["lulu"]
    assert lulu.bleed_spine_edge and lulu.bleed == 0.125
    assert min(lulu.inside_margin(n) for n in range(32, 900, 7)) >= 0.5
    assert lulu.pdfx is None


@pytest.mark.parametrize("name", ["kdp", "ingramspark", "lulu"])
def test_every_printer_prints_six_by_nine_and_names_its_trims(name):
    printer = PRINTERS[name]
    assert printer.allows_trim(6, 9) and not printer.allows_trim(6.5, 6.5)
    assert "6 × 9 in" in printer.trim_names()


def test_the_generic_printer_has_no_page_limits():
    generic = PRINTERS["generic"]
    assert generic.min_pages == 1
    assert all(generic.max_pages(paper) >= 10000 for paper in generic.papers)
