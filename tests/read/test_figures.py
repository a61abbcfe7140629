"""An image alone in its paragraph is a figure with its caption, in every format."""

import zipfile

import pypdfium2
import pytest
from helpers import book_with_image, html_files, parse_document

from folio.build import build

CHAPTER = ("# One {#one}\n\nText before the figure.\n\n"
           "![A red square, the first figure](images/red.png){#fig:red width=40%}\n\n"
           "Text with a small ![red dot](images/red.png) inside a sentence.\n")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("figures")
    book = book_with_image(root / "book")
    (book / "chapters" / "one.md").write_text(CHAPTER, encoding="utf-8")
    return build(book, root / "out", ["pdf", "epub", "html"])


def _figures(name: str, data: bytes):
    tree = parse_document(name, data)
    return [e for e in tree.iter() if isinstance(e.tag, str) and e.tag.endswith("figure")]


def test_the_figure_keeps_caption_alt_id_and_width_in_epub_and_web(made):
    with zipfile.ZipFile(made["epub"]) as archive:
        epub = archive.read("EPUB/one.xhtml")
    web = html_files(made["html"])["one.html"]
    for name, data in (("one.xhtml", epub), ("one.html", web)):
        figures = _figures(name, data)
        assert len(figures) == 1, name
        figure = figures[0]
        image = next(e for e in figure.iter() if str(e.tag).endswith("img"))
        caption = next(e for e in figure.iter() if str(e.tag).endswith("figcaption"))
        assert figure.get("id") == "fig:red"
        assert image.get("alt") == "A red square, the first figure"
        # a labelled figure is numbered (tests/transforms/test_crossrefs.py)
        assert "".join(caption.itertext()).strip() == (
            "Figure\u00a01.1: A red square, the first figure")
        assert "40" in (image.get("style") or "") or image.get("width") == "40%", name


def test_an_image_inside_a_sentence_stays_inline(made):
    web = html_files(made["html"])["one.html"].decode()
    assert 'alt="red dot"' in web
    assert web.count("<figure") == 1


def test_the_pdf_prints_the_caption(made):
    pdf = pypdfium2.PdfDocument(made["pdf"])
    text = "".join(page.get_textpage().get_text_range() for page in pdf)
    assert "A red square, the first figure" in " ".join(text.split())
