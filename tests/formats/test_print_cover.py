"""The print wrap cover as a printer receives it: backgrounds painted into the bleed on
every edge, the size of each printer's preset, spine lettering by page count and turned
as the language letters spines, the print ISBN's barcode (decoded from the cover
rendered at 300 dpi), the back cover's text, and the errors for what does not fit or
is not valid."""

from __future__ import annotations

import io
import subprocess
import sys

import pikepdf
import pypdfium2
import pytest
import zxingcpp
from helpers import LOCATED, MINIMAL_CONFIG, ROOT, write_book
from PIL import Image

from folio.build import build
from folio.errors import BuildError
from folio.read import load_config
from folio.read.book import read_book
from folio.typeset.typesetter import Typesetter

DPI = 300
BROWN = (107, 31, 18)  # the default theme's cover colour
BLUE = (20, 90, 160)  # the own cover image's
ISBN = "978-0-306-40615-7"
BACK = """\
description: A short account of the book for the back cover.
isbn:
  print: 978-0-306-40615-7
isbn_price: "51995"
back_cover:
  note: The author's note, in italics, after the description.
  endorsements:
    - quote: A book that reads as well as it prints.
      by: A. Reviewer
    - quote: Second praise.
      by: B. Critic
"""


def _png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (600, 900), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _image(path, scale: float = DPI / 72) -> Image.Image:
    return pypdfium2.PdfDocument(path)[0].render(scale=scale).to_pil().convert("RGB")


@pytest.fixture(scope="module")
def covers(tmp_path_factory):
    """Two books built once: one with an ISBN, a price, a back cover and its own front
    image; one with none of these."""
    root = tmp_path_factory.mktemp("print-cover")
    full = write_book(root / "full", config=MINIMAL_CONFIG + BACK + "cover: art/front.png\n")
    (full / "art").mkdir()
    (full / "art" / "front.png").write_bytes(_png(BLUE))
    bare = write_book(root / "bare")
    made = {}
    for name, book in (("full", full), ("bare", bare)):
        outputs = build(book, root / f"out-{name}", ["pdf"])
        made[name] = outputs["pdf"].with_name(outputs["pdf"].stem + "-cover.pdf")
        made[name + "-print"] = outputs["pdf"].with_name(outputs["pdf"].stem + "-print.pdf")
    return made


def _boxes(path) -> dict[str, list[float]]:
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        return {name: [float(v) for v in page.obj[f"/{name}"]]
                for name in ("MediaBox", "TrimBox", "BleedBox")}


def _far_from(pixel, colour, tolerance=12) -> bool:
    return any(abs(a - b) > tolerance for a, b in zip(pixel, colour, strict=True))


def test_every_background_reaches_into_the_bleed_on_all_four_edges(covers):
    boxes = _boxes(covers["full"])
    bleed = boxes["TrimBox"][0] - boxes["BleedBox"][0]
    assert bleed == pytest.approx(8.5, abs=0.01)  # 3 mm
    image = _image(covers["full"])
    strip = int(bleed * DPI / 72) - 1  # whole pixels of bleed, less one of anti-aliasing
    width, height = image.size
    trim = boxes["TrimBox"]
    panel = int((trim[2] - trim[0]) / 2 * DPI / 72)  # about where the front begins
    regions = {"left": (0, 0, strip, height), "right": (width - strip, 0, width, height),
               "top": (0, 0, width, strip), "bottom": (0, height - strip, width, height)}
    for name, box in regions.items():
        colours = image.crop(box).getcolors(maxcolors=1 << 24)
        white = sum(count for count, colour in colours if min(colour) > 240)
        assert white == 0, f"{white} white pixels in the {name} bleed"
    # The back's bleed is the theme's colour; the front's is the book's own image.
    assert not _far_from(image.getpixel((strip // 2, height // 2)), BROWN)
    assert not _far_from(image.getpixel((width - strip // 2, height // 2)), BLUE)
    assert not _far_from(image.getpixel((width - strip // 2, strip // 2)), BLUE)
    assert not _far_from(image.getpixel((panel // 2, height - strip // 2)), BROWN)


def test_the_wrap_is_sized_from_the_print_interiors_page_count(covers):
    printed = len(pypdfium2.PdfDocument(covers["full-print"]))
    bound = printed + printed % 2
    boxes = _boxes(covers["full"])
    trim_width = boxes["TrimBox"][2] - boxes["TrimBox"][0]
    spine = bound / 2 * 0.0025 * 72  # the generic preset: pdf.caliper a leaf
    assert trim_width == pytest.approx(2 * 6 * 72 + spine, abs=0.02)
    assert boxes["TrimBox"][3] - boxes["TrimBox"][1] == pytest.approx(9 * 72, abs=0.02)


def test_the_barcode_decodes_to_the_print_isbn_and_its_price(covers):
    image = _image(covers["full"])
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.EAN13,
                                   ean_add_on_symbol=zxingcpp.EanAddOnSymbol.Require)
    assert [code.text for code in found] == [ISBN.replace("-", "") + "51995"]


def _box_region(path) -> tuple[int, int, int, int]:
    """The barcode's box in pixels at DPI: 2 × 1.2 in, 0.25 in from the bottom trim and
    from the spine, on the back."""
    boxes = _boxes(path)
    bleed = boxes["TrimBox"][0] - boxes["BleedBox"][0]
    px = DPI / 72
    right = (bleed + 6 * 72 - 0.25 * 72) * px
    bottom = (boxes["BleedBox"][3] - boxes["BleedBox"][1] - bleed - 0.25 * 72) * px
    return int(right - 2 * DPI), int(bottom - 1.2 * DPI), int(right), int(bottom)


def test_the_barcode_and_the_hyphenated_isbn_sit_in_the_box_printers_keep(covers):
    left, top, right, bottom = _box_region(covers["full"])
    image = _image(covers["full"])
    inside = image.crop((left + 3, top + 3, right - 3, bottom - 3))
    found = zxingcpp.read_barcodes(inside, ean_add_on_symbol=zxingcpp.EanAddOnSymbol.Read)
    assert [code.text[:13] for code in found] == [ISBN.replace("-", "")]
    # Just outside the box, the back's own colour: the box is where it belongs.
    assert not _far_from(image.getpixel((left - 6, (top + bottom) // 2)), BROWN)
    assert not _far_from(image.getpixel(((left + right) // 2, bottom + 6)), BROWN)
    page = pypdfium2.PdfDocument(covers["full"])[0]
    text = page.get_textpage()
    searcher = text.search(f"ISBN {ISBN}")
    found_at = searcher.get_next()
    assert found_at is not None, "the hyphenated ISBN is not printed"
    origin_x, origin_y = page.get_mediabox()[:2]
    x0, y0, x1, y1 = text.get_charbox(found_at[0])
    x0, y1 = x0 - origin_x, y1 - origin_y  # from the sheet's bottom left
    px = DPI / 72
    assert left / px < x0 < right / px and top / px < page.get_height() - y1 < bottom / px


def test_without_an_isbn_the_box_is_left_white_for_the_printer(covers):
    left, top, right, bottom = _box_region(covers["bare"])
    image = _image(covers["bare"])
    inside = image.crop((left + 3, top + 3, right - 3, bottom - 3)).getcolors(maxcolors=1 << 24)
    assert all(min(colour) > 250 for _, colour in inside)
    assert zxingcpp.read_barcodes(image) == []


def test_the_back_cover_carries_the_description_note_and_endorsements(covers):
    text = pypdfium2.PdfDocument(covers["full"])[0].get_textpage().get_text_range()
    flat = " ".join(text.split())
    # The note's apostrophe is set as the text's are (typographic), and endorsements
    # are quoted with the language's marks.
    for words in ("A short account of the book for the back cover.",
                  "The author’s note, in italics", "“A book that reads as well as it prints.”",
                  "A. Reviewer", "“Second praise.”", "B. Critic"):
        assert words in flat, words


# --- presets and the spine, laid out without building the interior --------------------

def _typesetter(root, language: str = "en", printer: str = "kdp") -> Typesetter:
    config = MINIMAL_CONFIG.replace("language: en", f"language: {language}")
    book = write_book(root, config=config)
    loaded = load_config(book)
    loaded.print = {"printer": printer, "paper": "white"}
    return Typesetter(read_book(loaded, warn=lambda message: None))


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    return _typesetter(tmp_path_factory.mktemp("en") / "book")


@pytest.fixture(scope="module")
def german(tmp_path_factory):
    return _typesetter(tmp_path_factory.mktemp("de") / "book", "de")


def _written(typesetter: Typesetter, pages: int, target) -> pypdfium2.PdfPage:
    typesetter.cover(wrap=True, pages=pages).write_pdf(target)
    return pypdfium2.PdfDocument(target)[0]


@pytest.mark.parametrize(("printer", "sheet"), [
    ("kdp", 12.9256),  # KDP's calculator (test_wrap_geometry cites each figure)
    ("ingramspark", 12.9257),
    ("lulu", 12.9857),
])
def test_each_presets_cover_has_the_calculators_size_in_points(english, tmp_path, printer,
                                                                sheet):
    """6 × 9 in, white paper, 300 pages: the whole sheet with 0.125 in of bleed."""
    config = english.book.config
    kept = config.print
    config.print = {"printer": printer, "paper": "white"}
    try:
        _written(english, 300, tmp_path / f"{printer}.pdf")
    finally:
        config.print = kept
    boxes = _boxes(tmp_path / f"{printer}.pdf")
    bleed_box, trim_box = boxes["BleedBox"], boxes["TrimBox"]
    assert bleed_box[2] - bleed_box[0] == pytest.approx(sheet * 72, abs=0.02)
    assert bleed_box[3] - bleed_box[1] == pytest.approx(9.25 * 72, abs=0.02)
    assert trim_box[0] - bleed_box[0] == pytest.approx(0.125 * 72, abs=0.01)
    assert trim_box[2] - trim_box[0] == pytest.approx((sheet - 0.25) * 72, abs=0.02)


def _spine_chars(page: pypdfium2.PdfPage, start: float, end: float) -> list:
    """The (character, centre x, centre y) of every glyph between *start* and *end*
    points from the sheet's left edge (the spine), in points from its bottom left."""
    text = page.get_textpage()
    origin_x, origin_y = page.get_mediabox()[:2]  # the trim's corner is 0, 0
    chars = []
    for index in range(text.count_chars()):
        character = text.get_text_range(index, 1)
        if not character.strip():
            continue
        left, bottom, right, top = text.get_charbox(index)
        left, right = left - origin_x, right - origin_x
        bottom, top = bottom - origin_y, top - origin_y
        if start <= left and right <= end:
            chars.append((character, (left + right) / 2, (bottom + top) / 2))
    return chars


def _spine_span(page: pypdfium2.PdfPage) -> tuple[float, float, float]:
    """The spine's left and right edges and its width, in points from the left edge."""
    width = page.get_width()
    panel = 6 * 72
    bleed = 0.125 * 72
    spine = width - 2 * bleed - 2 * panel
    return bleed + panel, bleed + panel + spine, spine


@pytest.mark.parametrize("pages", [79, 100])
def test_no_spine_text_below_the_printers_rule_or_without_room(english, tmp_path, pages):
    page = _written(english, pages, tmp_path / f"{pages}.pdf")
    start, end, _ = _spine_span(page)
    assert _spine_chars(page, start - 1, end + 1) == []


def test_spine_text_runs_top_to_bottom_in_english(english, tmp_path):
    page = _written(english, 300, tmp_path / "en.pdf")
    start, end, spine = _spine_span(page)
    clearance = 0.0625 * 72
    chars = _spine_chars(page, start + clearance, end - clearance)
    text = "".join(c for c, _, _ in chars)
    assert text.startswith("AMinimalBook") and "TestAuthor" in text.replace(" ", "") \
        or "TEST" in text.upper()
    ys = [y for _, _, y in chars]
    assert ys == sorted(ys, reverse=True), "not reading downwards"
    # Centred on the spine, across and along.
    xs = [x for _, x, _ in chars]
    assert sum(xs) / len(xs) == pytest.approx((start + end) / 2, abs=2)
    middle = (ys[0] + ys[-1]) / 2
    assert middle == pytest.approx(page.get_height() / 2, abs=3)


def test_spine_text_runs_bottom_to_top_in_german(german, tmp_path):
    page = _written(german, 300, tmp_path / "de.pdf")
    start, end, _ = _spine_span(page)
    chars = _spine_chars(page, start, end)
    assert "".join(c for c, _, _ in chars).startswith("AMinimalBook")
    ys = [y for _, _, y in chars]
    assert ys == sorted(ys), "not reading upwards"


def _long_spine(root, repeats: int) -> pypdfium2.PdfPage:
    config = MINIMAL_CONFIG.replace("A Minimal Book", ("A Very Long Title " * repeats).strip())
    config = config.replace("Test Author", "An Author Whose Name Runs On And On")
    loaded = load_config(write_book(root / "book", config=config))
    loaded.print = {"printer": "kdp", "paper": "white"}
    typesetter = Typesetter(read_book(loaded, warn=lambda message: None))
    return _written(typesetter, 300, root / "long.pdf")


def test_a_spine_too_short_for_title_and_author_carries_the_title_alone(tmp_path):
    page = _long_spine(tmp_path, 6)  # the title about 7.4 in, with the author over 8 in
    start, end, _ = _spine_span(page)
    text = "".join(c for c, _, _ in _spine_chars(page, start, end))
    assert text == "AVeryLongTitle" * 6
    ys = [y for _, _, y in _spine_chars(page, start, end)]
    assert ys[0] - ys[-1] < 8 * 72, "the lettering runs past the spine's ends"


def test_a_title_longer_than_the_spine_leaves_the_spine_blank(tmp_path):
    page = _long_spine(tmp_path, 9)
    start, end, _ = _spine_span(page)
    assert _spine_chars(page, start, end) == []


# --- errors ----------------------------------------------------------------------------

@pytest.mark.parametrize(("setting", "line", "message"), [
    ("back_cover: A note\n", 8, "'back_cover' must be a mapping"),
    ("back_cover:\n  blurb: x\n", 9, "unknown setting 'back_cover.blurb'"),
    ("back_cover:\n  note: [a, b]\n", 9, "'back_cover.note' must be text"),
    ("back_cover:\n  endorsements: praise\n", 9, "'back_cover.endorsements' must be a list"),
    ("back_cover:\n  endorsements:\n    - quote: Fine.\n", 10,
     "an endorsement is a mapping with 'quote'"),
    ("back_cover:\n  endorsements:\n    - quote: Fine.\n      by: A\n      when: 2020\n", 10,
     "an endorsement is a mapping with 'quote'"),
    ("isbn:\n  print: 978-0-306-40615-7\nisbn_price: 1995\n", 10,
     "'isbn_price' must be five digits"),
    ("isbn:\n  print: 978-0-306-40615-7\nisbn_price: \"5199x\"\n", 10,
     "'isbn_price' must be five digits"),
    ("isbn_price: \"51995\"\n", 8, "'isbn_price' needs the print edition's ISBN"),
])
def test_bad_back_cover_settings_are_errors_at_their_line(tmp_path, setting, line, message):
    book = write_book(tmp_path / "book", config=MINIMAL_CONFIG + setting)
    with pytest.raises(BuildError) as caught:
        load_config(book)
    errors = getattr(caught.value, "errors", [caught.value])
    assert [(e.path.name, e.line) for e in errors if message in e.message] \
        == [("book.yaml", line)], [e.message for e in errors]


def test_back_cover_text_that_does_not_fit_is_an_error_naming_what_to_shorten(tmp_path):
    long = " ".join(["Words of a description that goes on far too long."] * 60)
    config = MINIMAL_CONFIG + f"description: {long}\nback_cover:\n  note: A note.\n"
    book = write_book(tmp_path / "book", config=config)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "pdf", "--book", str(book),
                             "--output", str(tmp_path / "out")], capture_output=True,
                            text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    located = [LOCATED.match(line) for line in result.stderr.splitlines()]
    found = [m for m in located if m and "back cover" in m["message"]]
    assert len(found) == 1, result.stderr
    assert found[0]["path"].endswith("book.yaml") and found[0]["line"] == "8"
    assert "'description' or 'back_cover.note'" in found[0]["message"]
    assert "in too long" in found[0]["message"]
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").glob("*.pdf"))


def test_back_cover_text_that_fits_exactly_is_no_error(tmp_path):
    """The limit is the barcode box's top less a quarter inch, not the page's foot: 38
    sentences end about 0.3 in above it and build; 44 run about 0.7 in past it (and
    would still end above the page's foot) and are an error."""
    words = " ".join(["Words of a description that goes on."] * 38)
    book = write_book(tmp_path / "book", config=MINIMAL_CONFIG + f"description: {words}\n")
    loaded = load_config(book)
    typesetter = Typesetter(read_book(loaded, warn=lambda message: None))
    typesetter.cover(wrap=True, pages=100)  # no error
    longer = " ".join(["Words of a description that goes on."] * 44)
    book2 = write_book(tmp_path / "book2", config=MINIMAL_CONFIG + f"description: {longer}\n")
    typesetter = Typesetter(read_book(load_config(book2), warn=lambda message: None))
    with pytest.raises(BuildError, match=r"back cover's text is \d\.\d\d in too long"):
        typesetter.cover(wrap=True, pages=100)


def test_a_character_no_font_has_on_the_back_cover_is_found_by_check(tmp_path):
    from folio.check import check_manuscript

    config = MINIMAL_CONFIG + ("back_cover:\n  endorsements:\n"
                               "    - quote: An unassigned sign \u0378 here.\n      by: C.\n")
    book = write_book(tmp_path / "book", config=config)
    findings = [f for f in check_manuscript(book).findings if f.code == "F001"]
    assert [f.path.name for f in findings] == ["book.yaml"]
    assert "U+0378" in findings[0].message


def test_the_new_books_commented_cover_settings_read_when_uncommented(tmp_path):
    from folio.scaffold import new_book

    new_book(tmp_path / "book", "A Book", "An Author")
    path = tmp_path / "book" / "book.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("# isbn:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("language:"))
    for index in range(start, end):
        lines[index] = lines[index][2:]
    lines[start] = "isbn: {print: 978-0-306-40615-7}"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = load_config(tmp_path / "book")
    assert config.isbn_price == "51995"
    assert config.back_cover.note == "A word from the author."
    assert [(e.quote, e.by) for e in config.back_cover.endorsements] \
        == [("A fine book.", "A. Reviewer")]


@pytest.mark.parametrize(("printer", "level"), [("ingramspark", "PDF/X-4"), ("kdp", None)])
def test_the_cover_is_written_at_the_printers_pdfx_level(english, tmp_path, printer, level):
    """IngramSpark asks for PDF/X-1a, which a cover's RGB pictures rule out: the cover
    is PDF/X-4 (which it accepts too), said in a warning; KDP takes a plain PDF."""
    from folio.typeset.print_variant import PrintJob, make_print_cover
    from folio.typeset.printers import PRINTERS

    target = tmp_path / f"{printer}.pdf"
    english.cover(wrap=True, pages=120).write_pdf(target)
    warnings: list[str] = []
    written = make_print_cover(target, PrintJob(PRINTERS[printer], "white"), warnings.append)
    with pikepdf.open(target) as pdf:
        intents = pdf.Root.get("/OutputIntents")
        version = pdf.docinfo.get("/GTS_PDFXVersion")
        page = pdf.pages[0].obj
        assert "/TrimBox" in page and "/BleedBox" in page
        if level is None:
            assert written is None and intents is None and version is None
            assert warnings == []
        else:
            assert written == "pdf/x-4" and str(version) == level
            [intent] = list(intents)
            assert intent.S == "/GTS_PDFX" and "/DestOutputProfile" in intent
            assert any("cover" in w and "PDF/X-4" in w for w in warnings), warnings
            assert "/DefaultRGB" in str(page.Resources.get("/ColorSpace", {}).keys())
