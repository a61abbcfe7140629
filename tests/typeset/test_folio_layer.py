"""folio.typeset.folio_layer: a part laid out without its folios, and the folios
drawn apart, print what one layout with the page counter set would print, where it
would print it."""

import pypdfium2 as pdfium
import pytest
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from folio.typeset.folio_layer import LayerMaker, recording

SHEET = """
@page { size: 5in 7in; margin: 0.8in 0.7in;
  @bottom-center { content: counter(page); font: 9pt serif; } }
@page :left { @top-left { content: string(chapter); font: italic 9pt serif; } }
@page :right { @bottom-right { content: string(chapter) " · " counter(page, lower-roman);
  font: 8pt serif; } }
@page :blank { @bottom-center { content: none; } }
@page main { @top-center { content: "p. " counter(page); font: 8pt serif; } }
@page :nth(1 of main) { @bottom-center { content: none; } }
h1 { string-set: chapter content(text); break-before: right; }
.main { page: main; }
"""
MARKUP = ("<html><body><div class='main'><h1>Alpha</h1>" + "<p>Words of a page.</p>" * 40
          + "</div><h1>Beta</h1>" + "<p>More words.</p>" * 30 + "</body></html>")


def _chars(document, top: bool = True) -> list[list[tuple[str, tuple]]]:
    """Each page's characters in the margins (above 0.8 in or below it), with their
    boxes rounded to 0.01 pt."""
    pages = []
    for page in document:
        _width, height = page.get_size()
        text = page.get_textpage()
        found = []
        for index in range(text.count_chars()):
            char = text.get_text_range(index, 1)
            box = text.get_charbox(index)
            if char.strip() and (box[1] < 57.6 or box[3] > height - 57.6):
                found.append((char, tuple(round(v, 2) for v in box)))
        pages.append(sorted(found, key=lambda c: (c[1][1], c[1][0])))
    return pages


@pytest.mark.parametrize("first", [1, 41, 138])
def test_part_and_layer_print_the_whole_layouts_margins(tmp_path, first):
    fonts = FontConfiguration()
    sheet = CSS(string=SHEET, font_config=fonts)
    with recording() as kept:
        part = HTML(string=MARKUP).render(stylesheets=[sheet], font_config=fonts)
    assert kept.folios, "no folio box was left out"
    part.write_pdf(tmp_path / "part.pdf")
    total = len(part.pages) + first - 1
    assert LayerMaker(sheet, fonts).write(tmp_path / "layer.pdf", kept.meta(), first, total)
    counter = CSS(string=f"@page :nth(1) {{ counter-set: page {first}; }}", font_config=fonts)
    whole = HTML(string=MARKUP).render(stylesheets=[sheet, counter], font_config=fonts)
    whole.write_pdf(tmp_path / "whole.pdf")
    part_pdf = pdfium.PdfDocument(tmp_path / "part.pdf")
    layer_pdf = pdfium.PdfDocument(tmp_path / "layer.pdf")
    whole_pdf = pdfium.PdfDocument(tmp_path / "whole.pdf")
    assert len(part_pdf) == len(layer_pdf) == len(whole_pdf) >= 4
    expected = _chars(whole_pdf)
    drawn = [sorted(a + b, key=lambda c: (c[1][1], c[1][0]))
             for a, b in zip(_chars(part_pdf), _chars(layer_pdf), strict=True)]
    assert drawn == expected
    assert not any(c.isdigit() for page in _chars(part_pdf) for c, _ in page)
    folios = ["".join(c for c, _ in page if c.isdigit()) for page in _chars(layer_pdf)]
    assert sorted(folios[1]) == sorted(f"{first + 1}" * 2)  # the second page's, head and foot


def test_only_boxes_that_print_the_page_counter_are_left_out(tmp_path):
    fonts = FontConfiguration()
    sheet = CSS(string=SHEET, font_config=fonts)
    with recording() as kept:
        HTML(string=MARKUP).render(stylesheets=[sheet], font_config=fonts)
    with recording(active=False) as idle:
        HTML(string=MARKUP).render(stylesheets=[sheet], font_config=fonts)
    assert idle.folios == 0 and not idle.page_types
    assert kept.strings["chapter"]["1"] == ["Alpha"]
    assert ["Beta"] in kept.strings["chapter"].values()
    sides = [side for side, *_ in kept.page_types]
    assert sides[:2] == ["right", "left"]
