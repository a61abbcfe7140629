"""A book's own cover image is its cover in every format, instead of the generated one."""

import io
import zipfile

import pypdfium2
import pytest
from helpers import MINIMAL_CONFIG, write_book
from PIL import Image

from folio.build import build
from folio.errors import BuildError


def _cover_png() -> bytes:
    image = Image.new("RGB", (600, 900), (20, 90, 160))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("cover")
    book = write_book(root / "book", config=MINIMAL_CONFIG + "cover: art/front.png\n")
    (book / "art").mkdir()
    (book / "art" / "front.png").write_bytes(_cover_png())
    return book, build(book, root / "out", ["pdf", "epub", "html"])


def _colour_at_centre(page) -> tuple[int, int, int]:
    image = page.render(scale=0.5).to_pil().convert("RGB")
    return image.getpixel((image.width // 2, image.height // 2))


def test_the_screen_pdf_opens_with_the_books_cover(made):
    _, outputs = made
    pdf = pypdfium2.PdfDocument(outputs["pdf"])
    first = pdf[0]
    assert _colour_at_centre(first) == (20, 90, 160)
    assert "A Minimal Book" not in first.get_textpage().get_text_range()


def test_the_wrap_cover_has_it_on_the_front_panel(made):
    _, outputs = made
    wrap = pypdfium2.PdfDocument(outputs["pdf"].with_name("a-minimal-book-cover.pdf"))[0]
    image = wrap.render(scale=0.5).to_pil().convert("RGB")
    right = image.getpixel((image.width * 3 // 4, image.height // 2))
    left = image.getpixel((image.width // 4, image.height // 2))
    assert right == (20, 90, 160) and left != right


def test_the_epub_cover_is_the_image_itself(made):
    book, outputs = made
    with zipfile.ZipFile(outputs["epub"]) as archive:
        own = (book / "art" / "front.png").read_bytes()
        assert archive.read("EPUB/images/book-cover.png") == own
        opf = archive.read("EPUB/content.opf").decode()
    assert 'href="images/book-cover.png"' in opf and 'properties="cover-image"' in opf


def test_the_web_book_shares_it(made):
    _, outputs = made
    page = (outputs["html"] / "index.html").read_text(encoding="utf-8")
    assert (outputs["html"] / "cover.png").is_file() and "cover.png" in page


def test_a_cover_must_be_an_image_in_the_book(tmp_path):
    book = write_book(tmp_path / "book", config=MINIMAL_CONFIG + "cover: notes.txt\n",
                      files={"notes.txt": "not an image"})
    with pytest.raises(BuildError, match="'cover' must be a PNG or JPEG image"):
        build(book, tmp_path / "out", ["html"])
