"""folio.typeset.svgfonts: text in an SVG image is drawn with the theme's faces."""

import pikepdf
import pypdfium2
from helpers import MINIMAL_CONFIG, write_book
from lxml import etree

from folio.build import build
from folio.check import check_manuscript
from folio.theme.fonts import CHAIN, FontPlan
from folio.typeset.svgfonts import theme_family, themed_svg

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60">
  <style>.label {{ font-family: 'DejaVu Sans Mono', monospace; }}</style>
  <text x="5" y="20" font-family="Helvetica, Arial, sans-serif">Reader 中文</text>
  <text x="5" y="40" style="font-family: Georgia, serif; font-size: 12px">Writer</text>
  <text x="5" y="55" class="label">{label}</text>
</svg>"""


def test_families_map_to_the_themes():
    assert theme_family("Helvetica, Arial, sans-serif") == "Folio Sans"
    assert theme_family("'Times New Roman', serif") == "Folio Serif"
    assert theme_family("DejaVu Sans Mono") == "Folio Mono"
    assert theme_family("Noto Sans") == "Folio Sans"


def test_every_family_in_the_file_is_rewritten():
    plan = FontPlan((next(f for f in CHAIN if f.family == "Folio Fallback CJK"),), ())
    root = etree.fromstring(themed_svg(SVG.format(label="code").encode(), plan))
    texts = root.findall("{*}text")
    assert texts[0].get("font-family") == '"Folio Sans", "Folio Fallback CJK"'
    assert '"Folio Serif", "Folio Fallback CJK"' in texts[1].get("style")
    assert '"Folio Mono", "Folio Fallback CJK"' in root.find("{*}style").text
    assert root.get("font-family").startswith('"Folio Sans"')


def _book(tmp_path, label: str):
    book = write_book(tmp_path / "book", chapter="# One {#one}\n\n"
                      "![A diagram with words](images/diagram.svg)\n", config=MINIMAL_CONFIG)
    (book / "images").mkdir()
    (book / "images" / "diagram.svg").write_text(SVG.format(label=label), encoding="utf-8")
    return book


def test_the_pdf_draws_svg_text_in_the_themes_fonts(tmp_path):
    made = build(_book(tmp_path, "code"), tmp_path / "out", ["pdf"])
    with pikepdf.open(made["pdf"]) as pdf:
        fonts = {str(o.BaseFont).split("+")[-1] for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"
                 and "/BaseFont" in o}
    assert {"Folio-Sans", "Folio-Mono"} <= fonts, fonts
    assert all(f.startswith(("Folio-", "Noto-")) for f in fonts), fonts
    text = "".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(made["pdf"]))
    assert "Reader" in text and "中文" in text


def test_a_character_no_font_has_in_an_svg_is_found(tmp_path):
    findings = [f for f in check_manuscript(_book(tmp_path, "sign \u0378")).findings
                if f.code == "F001"]
    assert [(f.path.name, f.line) for f in findings] == [("diagram.svg", 5)]
