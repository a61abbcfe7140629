"""folio.transforms.resources: any image file name an author has gives a valid EPUB
and web book, and a PDF figure is shown in every format."""

import io

import pypdfium2
import pytest
from helpers import (
    MINIMAL_CONFIG,
    broken_links,
    epub_files,
    epubcheck_report,
    html_files,
    write_book,
)
from PIL import Image

from folio.build import build
from folio.errors import BuildError
from folio.transforms.resources import published_name

CHAPTER = """# Pictures {#pictures}

![A red square](images/Red Square.png)

![A summer picture](images/été.png)

![A plot from a thesis](figures/plot.pdf)
"""


def _png(colour) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 200), (20, 120, 40)).save(buffer, format="PDF", resolution=100)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("names")
    book = write_book(root / "book", chapter=CHAPTER, config=MINIMAL_CONFIG)
    (book / "images").mkdir()
    (book / "figures").mkdir()
    (book / "images" / "Red Square.png").write_bytes(_png((200, 20, 20)))
    (book / "images" / "été.png").write_bytes(_png((240, 200, 20)))
    (book / "figures" / "plot.pdf").write_bytes(_pdf())
    return build(book, root / "out", ["pdf", "epub", "html"])


@pytest.mark.parametrize(("written", "published"), [
    ("images/Red Square.png", "images/red-square.png"), ("images/été.png", "images/ete.png"),
    ("figures/plot.pdf", "figures/plot.png"), ("Figures/Über Größe.JPG", "figures/uber-grosse.jpg"),
])
def test_published_names(written, published):
    assert published_name(written) == published


def test_the_epub_and_web_book_name_images_safely_and_link_them(made):
    files = epub_files(made["epub"])
    images = sorted(n for n in files if n.startswith("EPUB/images/") or "figures" in n)
    assert images == ["EPUB/figures/plot.png", "EPUB/images/cover.png",
                      "EPUB/images/ete.png", "EPUB/images/red-square.png"]
    assert broken_links(files) == []
    web = html_files(made["html"])
    assert {"images/red-square.png", "images/ete.png", "figures/plot.png"} <= set(web)
    assert broken_links(web) == []


def test_the_pdf_figure_is_a_picture_in_every_format(made):
    png = epub_files(made["epub"])["EPUB/figures/plot.png"]
    with Image.open(io.BytesIO(png)) as image:
        assert [round(side, -1) for side in image.size] == [900, 600], "300 dpi of 3 × 2 in"
        centre = image.convert("RGB").getpixel((450, 300))
        assert all(abs(a - b) <= 4 for a, b in zip(centre, (20, 120, 40), strict=True))
    pdf = pypdfium2.PdfDocument(made["pdf"])
    pictures = sum(1 for page in pdf for obj in page.get_objects()
                   if obj.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE)
    assert pictures >= 3


@pytest.mark.slow
def test_epubcheck_is_clean(made):
    assert epubcheck_report(made["epub"]) == ""


def test_a_pdf_that_is_not_one_is_refused_at_its_line(tmp_path):
    book = write_book(tmp_path / "book", chapter="# One {#one}\n\nText.\n\n"
                                                 "![A plot](figures/plot.pdf)\n")
    (book / "figures").mkdir()
    (book / "figures" / "plot.pdf").write_text("not a PDF at all")
    with pytest.raises(BuildError) as raised:
        build(book, tmp_path / "out", ["html"])
    assert "not a readable PDF" in str(raised.value) and ":5:" in str(raised.value)
