"""The wrap cover's size and spine by each printer's formula, checked against worked
examples the printers' calculators and guides publish; the spine lettering's rule;
the direction of the spine's lettering by language; the preset a book names."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from folio.typeset.printers import PRINTERS, preset_for
from folio.typeset.spine import DOWN, UP, spine_direction, spine_rotation
from folio.typeset.wrap import wrap_geometry


def _config(trim: str = "6in 9in", printer: str = "", paper: str = "",
            caliper: str = "0.0025in", bleed: str = "3mm") -> SimpleNamespace:
    section = {key: value for key, value in (("printer", printer), ("paper", paper)) if value}
    return SimpleNamespace(trim=trim, caliper=caliper, bleed=bleed, print=section)


# (printer, paper, trim, pages, spine in inches, whole cover with bleed in inches, source)
WORKED = [
    # "A 300-page novel on white paper has a 0.6756" spine" (6 × 9: 12.9256 × 9.25 in):
    # makemybookcover.com/kdp-cover-size-calculator
    ("kdp", "white", "6in 9in", 300, 0.6756, (12.9256, 9.25)),
    # "the same book on cream paper has a 0.75" spine": same page
    ("kdp", "cream", "6in 9in", 300, 0.75, (13.0, 9.25)),
    # "130 pages at 0.002252 per page = .29276 … width: .125 + 5.5 + .29276 + 5.5 + .125 =
    # 11.54276, height: .125 + 8.5 + .125 = 8.75": diamond-patterns.readthedocs.io, book/cover
    ("kdp", "white", "5.5in 8.5in", 130, 0.29276, (11.54276, 8.75)),
    # 444 pages an inch (IngramSpark's white stock): "300 ÷ 444 = 0.67 inches spine
    # width" (0.6757, cut to two decimals): erelisdesign.com/post/book-spine-width-explained
    ("ingramspark", "white", "6in 9in", 300, 0.6757, (12.9257, 9.25)),
    # Lulu: "Softcover Perfect Bound: (pages / 444) + 0.06" = Spine Width":
    # help.api.lulu.com, "How is spine width calculated?" (300 pages: 0.6757 + 0.06)
    ("lulu", "white", "6in 9in", 300, 0.7357, (12.9857, 9.25)),
]


@pytest.mark.parametrize(("printer", "paper", "trim", "pages", "spine", "sheet"), WORKED)
def test_spine_and_cover_size_match_the_printers_figures(printer, paper, trim, pages, spine,
                                                         sheet):
    geometry = wrap_geometry(_config(trim, printer, paper), pages)
    assert geometry.spine == pytest.approx(spine, abs=0.0001)  # figures to 4 decimals
    assert geometry.sheet[0] == pytest.approx(sheet[0], abs=0.0001)
    assert geometry.sheet[1] == pytest.approx(sheet[1], abs=0.0001)
    assert geometry.bleed == 0.125


def test_an_odd_page_count_is_bound_with_a_blank_page():
    geometry = wrap_geometry(_config(printer="kdp"), 301)
    assert geometry.pages == 302
    assert geometry.spine == pytest.approx(302 * 0.002252)


def test_generic_uses_the_books_caliper_a_leaf_and_bleed():
    geometry = wrap_geometry(_config(caliper="0.004in", bleed="0.25in"), 81)
    assert geometry.pages == 82
    assert geometry.spine == pytest.approx(41 * 0.004)  # 41 leaves
    assert geometry.bleed == pytest.approx(0.25)
    assert geometry.sheet == pytest.approx((12 + 41 * 0.004 + 0.5, 9.5))


def test_preset_for_reads_the_printer_and_paper_or_takes_generic_and_white():
    """book.yaml's print: section is checked when it is read (folio.read.printconfig:
    an unknown printer or a paper the printer lacks is an error at its line), so
    preset_for takes the names as given, and generic/white without them."""
    printer, paper = preset_for(SimpleNamespace(trim="6in 9in", caliper="0.0025in",
                                                bleed="3mm"))
    assert (printer.name, paper) == ("generic", "white")
    printer, paper = preset_for(_config(printer="kdp", paper="cream"))
    assert printer is PRINTERS["kdp"] and paper == "cream"
    printer, paper = preset_for(_config(printer="ingramspark", paper="white"))
    assert printer is PRINTERS["ingramspark"] and paper == "white"


@pytest.mark.parametrize(("printer", "pages", "allowed"), [
    ("kdp", 79, False),  # under KDP's 80 pages: no spine text, however wide
    ("kdp", 100, False),  # 0.225 in less 2 × 0.0625 in: a line would be under 6 pt
    ("kdp", 300, True),
    ("ingramspark", 48, False),  # its minimum, but 0.108 in of spine has no room
    ("ingramspark", 200, True),
])
def test_spine_text_only_when_the_printer_and_the_room_allow(printer, pages, allowed):
    geometry = wrap_geometry(_config(printer=printer), pages)
    size = geometry.spine_type
    assert (size is not None) == allowed
    if size is not None:
        room = (geometry.spine - 2 * geometry.printer.spine_text_clearance) * 72
        assert 6 <= size <= 11 and size * 1.25 <= room + 1e-9


@pytest.mark.parametrize(("language", "direction", "degrees"), [
    ("en", DOWN, 90), ("en-GB", DOWN, 90), ("nl", DOWN, 90), ("da", DOWN, 90),
    ("de", UP, -90), ("fr-CA", UP, -90), ("pt-BR", UP, -90), ("ru", UP, -90),
])
def test_spine_lettering_runs_as_the_language_letters_it(language, direction, degrees):
    assert spine_direction(language) == direction
    assert spine_rotation(language) == degrees
