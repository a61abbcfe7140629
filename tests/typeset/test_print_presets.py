"""The print interior as each printer's preset makes it (``print:`` in book.yaml): page
size and boxes with the bleed on the top, bottom and outside edge, an even page
count, no marks, the gutter for the page count, PDF/X with its output intent, black
in black ink only, qpdf's check; the proof with its crop marks; the errors.

The figures are the printers' own: KDP's interior with bleed is the trim plus 0.125 in
in width and 0.25 in in height (a 6 × 9 in book: 6.125 × 9.25 in, 441 × 666 pt;
KDP Help, 'Set Trim Size, Bleed, and Margins'); Lulu's is 0.25 in larger both ways
(6.25 × 9.25 in; Lulu Help, 'What is bleed?'); KDP's gutter is 0.375 in up to 150
pages and its outside margin with bleed 0.375 in."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import geometry
import pikepdf
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner
from geometry import INCH, TextBlock
from helpers import MINIMAL_CONFIG, ROOT, framed_png, write_book

from folio.build import build
from folio.cli import main
from folio.errors import BuildError
from folio.read.config import load_config
from folio.typeset.inks import rgb_and_transparency, rgb_operators, streams
from folio.typeset.pdfx import unembedded_fonts
from folio.typeset.printers import PRINTERS

CHAPTERS = 12
WORDS = ("The committee met again in the winter, and the argument about the land, the "
         "workers' councils and the war went on into the night. ")
TRIM = (432.0, 648.0)  # 6 × 9 in


def _config(printer: str, extra: str = "") -> str:
    chapters = "\n".join(f"    - chapters/c{n}.md" for n in range(1, CHAPTERS + 1))
    return (f"title: A Printed Book\nauthor: Test Author\nlanguage: en\n"
            f"contents:\n  chapters:\n{chapters}\nprint:\n  printer: {printer}\n{extra}")


def _book(folder: Path, printer: str, extra: str = "", image: bool = False) -> Path:
    files = {f"chapters/c{n}.md": f"# Chapter {n} {{#c{n}}}\n\n"
             + "\n\n".join(WORDS * 6 for _ in range(4 + n % 3)) + "\n"
             for n in range(1, CHAPTERS + 1)}
    if image:
        files["chapters/c1.md"] += "\n![A red field](images/red.png)\n"
    write_book(folder, _config(printer, extra), files=files)
    (folder / "chapters" / "one.md").unlink()
    if image:
        (folder / "images").mkdir()
        (folder / "images" / "red.png").write_bytes(framed_png(300, 200))
    return folder


# The narrow theme's text block once KDP's minimums (0.375 in) widen its margins.
WIDENED = TextBlock(top=0.75 * INCH, bottom=0.8 * INCH, inner=0.375 * INCH,
                    outer=0.375 * INCH)


def _narrow_theme(folder: Path) -> None:
    """The book's own print stylesheet, with margins narrower than KDP allows."""
    sheet = (ROOT / "templates" / "css" / "pdf.css").read_text(encoding="utf-8")
    sheet = re.sub(r"margin: 0\.75in 0\.7in 0\.8in 0\.85in;",
                   "margin: 0.75in 0.2in 0.8in 0.25in;", sheet)
    sheet = sheet.replace("margin-left: 0.7in; margin-right: 0.85in;",
                          "margin-left: 0.2in; margin-right: 0.25in;")
    assert "0.85in" not in sheet
    target = folder / "templates" / "css" / "pdf.css"
    target.parent.mkdir(parents=True)
    target.write_text(sheet + COLOURED, encoding="utf-8")


# Colours in the narrow theme: RGB text and rule, a Lab paragraph, an RGB gradient.
COLOURED = """
.chapter > h1 { color: #336699; border-bottom: 2pt solid rgb(200, 40, 40);
  background: linear-gradient(to right, #ff0000, #0000ff); }
.chapter > h1 + p { color: lab(40% 30 -20); }
"""
HEADING_GREY = round(0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6, 4)  # #336699 by BT.601 luma


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Each preset's book built once: {name: {"print", "proof", "screen", "warnings"}}."""
    built: dict[str, dict] = {}

    def make(name: str) -> dict:
        if name not in built:
            folder = tmp_path_factory.mktemp(name)
            printer = name.split("-")[0]
            extra = "  colour: colour\n" if "-colour" in name else ""
            book = _book(folder / "book", printer, extra, image=name.endswith("-image"))
            if name.endswith("-narrow"):
                _narrow_theme(book)
            said: list[str] = []
            with pytest.MonkeyPatch.context() as patch:
                if name.endswith("-narrow"):  # the session's geometry check, this text block
                    patch.setattr(geometry, "BOOK", WIDENED)
                files = build(book, folder / "out", ["pdf"], progress=said.append,
                              options={"pdf": {"proof": True}})
            screen = files["pdf"]
            built[name] = {"screen": screen,
                           "print": screen.with_name(f"{screen.stem}-print.pdf"),
                           "proof": screen.with_name(f"{screen.stem}-proof.pdf"),
                           "warnings": [s for s in said if s.startswith("warning:")]}
        return built[name]

    return make


def _boxes(path: Path) -> list[dict[str, list[float]]]:
    with pikepdf.open(path) as pdf:
        return [{name: [round(float(v), 2) for v in getattr(page, name)]
                 for name in ("mediabox", "trimbox", "bleedbox")} for page in pdf.pages]


@pytest.mark.parametrize(("name", "size", "spine_edge"), [
    ("kdp", (441.0, 666.0), False), ("ingramspark", (441.0, 666.0), False),
    ("lulu", (450.0, 666.0), True)])
def test_page_size_and_boxes_are_the_printers(made, name, size, spine_edge):
    pages = _boxes(made(name)["print"])
    bleed = 9.0 if spine_edge else 0.0
    for number, page in enumerate(pages):
        media, trim = page["mediabox"], page["trimbox"]
        assert trim == [0.0, 0.0, *TRIM], f"page {number + 1}: trim {trim}"
        assert page["bleedbox"] == media, f"page {number + 1}: bleed box is not the sheet"
        assert (media[2] - media[0], media[3] - media[1]) == size, f"page {number + 1}"
        assert media[1] == -9.0 and media[3] == TRIM[1] + 9.0
        if number % 2 == 0:  # recto: the bleed on the right, the spine on the left
            assert (media[0], media[2]) == (-bleed, TRIM[0] + 9.0)
        else:
            assert (media[0], media[2]) == (-9.0, TRIM[0] + bleed)


@pytest.mark.parametrize("name", ["kdp", "ingramspark", "lulu"])
def test_page_count_is_even_and_padded_with_blank_pages(made, name):
    files = made(name)
    with pikepdf.open(files["screen"]) as screen, pikepdf.open(files["print"]) as printed:
        interior = len(screen.pages) - 1
        assert len(printed.pages) == interior + interior % 2
        assert len(printed.pages) >= PRINTERS[name].min_pages
    document = pdfium.PdfDocument(files["print"])
    try:
        if interior % 2:
            assert document[len(document) - 1].get_textpage().get_text_range() == ""
    finally:
        document.close()


def _outside_trim(path: Path) -> list[int]:
    """For each page, how many of its objects (text, paths, images) reach outside
    its TrimBox."""
    document = pdfium.PdfDocument(path)
    try:
        counts = []
        for page in document:
            left, bottom, right, top = page.get_trimbox()
            counts.append(0)
            for item in page.get_objects():
                x0, y0, x1, y1 = item.get_bounds()
                if x0 < left - 0.5 or y0 < bottom - 0.5 or x1 > right + 0.5 or y1 > top + 0.5:
                    counts[-1] += 1
        return counts
    finally:
        document.close()


@pytest.mark.parametrize("name", ["kdp", "ingramspark", "lulu"])
def test_no_printers_marks_and_the_proof_has_them(made, name):
    files = made(name)
    assert set(_outside_trim(files["print"])) == {0}
    assert min(_outside_trim(files["proof"])) >= 1, "a proof page without crop marks"
    proof, printed = _boxes(files["proof"]), _boxes(files["print"])
    for sheet, page in zip(proof, printed, strict=True):
        assert sheet["trimbox"] == page["trimbox"]
        media = sheet["mediabox"]
        assert media[2] - media[0] > page["mediabox"][2] - page["mediabox"][0]


def _text_margins(path: Path) -> list[tuple[int, float, float]]:
    """(page, inside, outside) margins of each page's text, in points from the trim."""
    found = []
    document = pdfium.PdfDocument(path)
    try:
        for number, page in enumerate(document):
            text = page.get_textpage()
            boxes = [text.get_charbox(i) for i in range(text.count_chars())]
            boxes = [b for b in boxes if b[2] > b[0]]
            if not boxes:
                continue
            left, _bottom, right, _top = page.get_trimbox()
            first, last = min(b[0] for b in boxes) - left, right - max(b[2] for b in boxes)
            found.append((number, first, last) if number % 2 == 0 else (number, last, first))
    finally:
        document.close()
    return found


def test_gutter_and_outside_margin_widened_to_the_printers_minimum(made):
    """A theme with 0.25 in inside and 0.2 in outside: KDP asks 0.375 in of each."""
    margins = _text_margins(made("kdp-narrow")["print"])
    assert {number % 2 for number, *_ in margins} == {0, 1}, "recto and verso pages"
    for number, inside, outside in margins:
        assert inside >= 0.375 * 72 - 0.5, f"page {number + 1}: gutter {inside:.1f} pt"
        assert outside >= 0.375 * 72 - 0.5, f"page {number + 1}: outside {outside:.1f} pt"
    # The theme's narrower margins are what the text had without the preset's.
    assert min(inside for _, inside, _ in margins) < 0.45 * 72


def test_theme_margins_wider_than_the_minimum_are_kept(made):
    for number, inside, outside in _text_margins(made("kdp")["print"]):
        assert inside >= 0.85 * 72 - 0.5, f"page {number + 1}: gutter {inside:.1f} pt"
        assert outside >= 0.7 * 72 - 0.5, f"page {number + 1}: outside {outside:.1f} pt"


def _colour_operators(path: Path) -> dict[str, list[list[float | str]]]:
    """Every colour operator of *path*'s pages and forms, and the colour spaces of its
    gradients (under "shading"): {operator: [operands, …]}."""
    found: dict[str, list] = {}
    with pikepdf.open(path) as pdf:
        for target, resources in streams(pdf):
            for instruction in pikepdf.parse_content_stream(target):
                operator = str(instruction.operator)
                if operator in ("rg", "RG", "g", "G", "k", "K", "cs", "CS", "sc", "scn"):
                    found.setdefault(operator, []).append(
                        [str(v) if isinstance(v, pikepdf.Name) else round(float(v), 4)
                         for v in instruction.operands])
            if isinstance(resources, pikepdf.Dictionary):
                for shading in (resources.get("/Shading") or {}).values():
                    found.setdefault("shading", []).append([str(shading.ColorSpace)])
    return found


def test_a_black_and_white_interior_has_no_colour_left(made):
    files = made("kdp-narrow")
    screen, printed = _colour_operators(files["screen"]), _colour_operators(files["print"])
    assert [0.2, 0.4, 0.6] in screen["rg"] and ["/DeviceRGB"] in screen["shading"]
    assert any(ops[0].startswith("/lab") for ops in screen["cs"])
    assert "rg" not in printed and "RG" not in printed
    assert [HEADING_GREY] in printed["g"], "the heading's blue as its grey"
    assert {tuple(ops) for ops in printed.get("cs", [])} <= {("/DeviceGray",), ("/Pattern",)}
    assert all(len(ops) == 1 for ops in printed.get("sc", []))
    assert {tuple(ops) for ops in printed["shading"]} == {("/DeviceGray",)}


def test_a_colour_interior_keeps_its_colours_and_greys_its_black(made):
    printed = _colour_operators(made("kdp-colour-narrow")["print"])
    assert [0.2, 0.4, 0.6] in printed["rg"], "the heading keeps its blue"
    assert all(len(set(ops)) > 1 for ops in printed["rg"]), "a neutral colour left in RGB"
    assert [0.0] in printed["g"]
    assert ["/DeviceRGB"] in printed["shading"]


@pytest.mark.parametrize("name", ["kdp", "ingramspark", "lulu", "kdp-narrow"])
def test_black_is_black_ink_only_and_the_file_is_sound(made, name):
    files = made(name)
    with pikepdf.open(files["screen"]) as screen:
        assert rgb_operators(screen, neutral_only=True), "the screen edition sets RGB black"
    with pikepdf.open(files["print"]) as pdf:
        assert rgb_operators(pdf) == []
        assert pdf.check_pdf_syntax() == []
        assert unembedded_fonts(pdf) == set()
        assert "/Annots" not in pdf.pages[0].obj


def test_ingramspark_interior_is_pdf_x1a_with_its_output_intent(made):
    path = made("ingramspark")["print"]
    data = path.read_bytes()
    assert data.startswith(b"%PDF-1.3")
    assert b"/ObjStm" not in data and b"/XRef" not in data, "PDF 1.5 streams in PDF 1.3"
    with pikepdf.open(path) as pdf:
        assert pdf.pdf_version == "1.3"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFX"
        assert str(intent.OutputConditionIdentifier) == "CGATS TR 006"
        assert str(intent.RegistryName) == "http://www.color.org"
        profile = intent.DestOutputProfile
        data = profile.read_bytes()
        assert int(profile.N) == 4 and data[36:40] == b"acsp"
        assert data[12:20] == b"prtrCMYK", "an output profile of a CMYK printing condition"
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-1:2001"
        assert str(pdf.docinfo.GTS_PDFXConformance) == "PDF/X-1a:2001"
        assert pdf.docinfo.Trapped == "/False"
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-1:2001"
        assert meta["pdf:Trapped"] == "False"
        assert rgb_and_transparency(pdf) == []
        for page in pdf.pages:
            assert not set(page.Resources.get("/ColorSpace", {}).keys())


def test_kdp_and_lulu_interiors_claim_no_pdfx(made):
    for name in ("kdp", "lulu"):
        with pikepdf.open(made(name)["print"]) as pdf:
            assert "/OutputIntents" not in pdf.Root
            assert "/GTS_PDFXVersion" not in pdf.docinfo


def _images(path: Path) -> list[pikepdf.PdfImage]:
    with pikepdf.open(path) as pdf:
        found = {}
        for _target, resources in streams(pdf):
            if isinstance(resources, pikepdf.Dictionary):
                for image in (resources.get("/XObject") or {}).values():
                    if image.get("/Subtype") == "/Image":
                        found[image.objgen] = (str(image.ColorSpace),
                                               pikepdf.PdfImage(image).as_pil_image())
        return list(found.values())


def test_an_rgb_image_in_a_black_and_white_interior_is_made_grey(made):
    """The red field of the image, (196, 72, 44), as its ITU-R 601 luma: 105.9; and
    with no RGB left the interior is PDF/X-1a."""
    files = made("ingramspark-image")
    assert [space for space, _ in _images(files["screen"])] == ["/DeviceRGB"]
    [(space, picture)] = _images(files["print"])
    assert space == "/DeviceGray" and picture.mode == "L"
    assert abs(picture.getpixel((picture.width // 2, picture.height // 2)) - 105.9) <= 1
    assert files["warnings"] == []
    with pikepdf.open(files["print"]) as pdf:
        assert str(pdf.docinfo.GTS_PDFXConformance) == "PDF/X-1a:2001"
        assert rgb_and_transparency(pdf) == []


def test_an_rgb_image_makes_ingramspark_pdf_x4_with_default_rgb(made):
    """A colour interior keeps its RGB image: PDF/X-1a cannot be met, PDF/X-4 is."""
    files = made("ingramspark-colour-image")
    assert any("PDF/X-1a forbids" in w and "PDF/X-4" in w for w in files["warnings"])
    with pikepdf.open(files["print"]) as pdf:
        assert str(pdf.docinfo.GTS_PDFXVersion) == "PDF/X-4"
        assert "/GTS_PDFXConformance" not in pdf.docinfo
        assert pdf.pdf_version == "1.6"
        meta = pdf.open_metadata()
        assert meta["pdfxid:GTS_PDFXVersion"] == "PDF/X-4"
        assert meta["xmpMM:DocumentID"].startswith("uuid:")
        assert meta["xmpMM:RenditionClass"] == "default" and meta["xmpMM:VersionID"] == "1"
        assert meta["dc:title"] == "A Printed Book"
        assert "an image in RGB or a calibrated colour space" in rgb_and_transparency(pdf)
        for page in pdf.pages:
            space = page.Resources.ColorSpace.DefaultRGB
            assert space[0] == "/ICCBased" and int(space[1].N) == 3
        assert pdf.check_pdf_syntax() == []


# --- errors -------------------------------------------------------------------------

@pytest.mark.parametrize(("extra", "line", "words"), [
    ("print:\n  printer: acme\n", 9, "unknown printer 'acme'"),
    ("print: kdp\n", 8, "'print' must be a mapping"),
    ("print:\n  printer: [kdp]\n", 9, "'print.printer' must be a word"),
    ("print:\n  printer: kdp\n  paper: glossy\n", 10, "Amazon KDP has no paper 'glossy'"),
    ("print:\n  printer: lulu\n  colour: sepia\n", 10, "black-and-white or colour"),
    ("print:\n  printer: kdp\n  size: big\n", 10, "unknown setting 'print.size'"),
    ("pdf:\n  trim: A6\nprint:\n  printer: kdp\n", 9,
     "Amazon KDP does not print a trim of 4.13 × 5.83 in"),
    ("pdf:\n  trim: 7in 7in\nprint:\n  printer: ingramspark\n", 9, "6 × 9 in, 6.14 × 9.21 in"),
])
def test_bad_print_settings_are_errors_at_their_line(tmp_path, extra, line, words):
    config = MINIMAL_CONFIG + extra
    write_book(tmp_path, config)
    with pytest.raises(BuildError) as raised:
        load_config(tmp_path)
    errors = getattr(raised.value, "errors", [raised.value])
    assert [(e.line, words in e.message) for e in errors] == [(line, True)], \
        [e.format() for e in errors]


def test_generic_takes_any_trim_and_pdf_bleed(tmp_path):
    write_book(tmp_path, textwrap.dedent("""\
        title: A Minimal Book
        author: Test Author
        contents:
          chapters:
            - chapters/one.md
        pdf:
          trim: 7in 7in
          bleed: 5mm
        """))
    from folio.typeset.printers import preset_for

    config = load_config(tmp_path)
    printer, paper = preset_for(config)
    assert (printer.name, paper) == ("generic", "white")
    assert printer.bleed == pytest.approx(5 / 25.4)
    assert printer.spine_width(100, "white") == pytest.approx(100 * 0.0025 / 2)


def test_too_few_pages_for_the_printer_is_a_build_error(tmp_path):
    config = textwrap.dedent("""\
        title: A Minimal Book
        author: Test Author
        contents:
          chapters:
            - chapters/one.md
        print:
          printer: kdp
        """)
    book = write_book(tmp_path / "book", config)
    result = CliRunner().invoke(main, ["pdf", "--book", str(book), "--output",
                                       str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert re.search(r"book\.yaml:6: the print interior has \d+ pages, and Amazon KDP "
                     r"prints at least 24", result.output), result.output
    assert not (tmp_path / "out" / "a-minimal-book-print.pdf").exists()


def test_a_proof_once_made_follows_the_print_interior(tmp_path):
    """An output folder keeps what a build does not replace: a proof asked for once is
    made again by the next builds, never left showing an older interior."""
    book = write_book(tmp_path / "book")
    out = tmp_path / "out"
    build(book, out, ["pdf"], progress=lambda message: None, options={"pdf": {"proof": True}})
    chapter = book / "chapters" / "one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA sentence added later.\n",
                       encoding="utf-8")
    build(book, out, ["pdf"], progress=lambda message: None)
    document = pdfium.PdfDocument(out / "a-minimal-book-proof.pdf")
    try:
        text = " ".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
    assert "A sentence added later." in " ".join(text.split())
