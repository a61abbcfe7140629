"""folio.transforms.headings: notes in a heading never leak into the contents, the
bookmarks, the running heads, the EPUB navigation or the page title."""

import pypdf
import pypdfium2
import pytest
from helpers import MINIMAL_CONFIG, epub_files, write_book

from folio.build import build

FILLER = "Words enough to fill a page of the chapter, and then another page. " * 12
CHAPTER = ("# The Beginning[^1]\n\n" + "\n\n".join([FILLER] * 14)
           + "\n\n## A Part[^2] of It\n\nText.\n\n[^1]: First note.\n\n[^2]: Second note.\n")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    root = tmp_path_factory.mktemp("headings")
    book = write_book(root / "book", config=MINIMAL_CONFIG, chapter=CHAPTER)
    return build(book, root / "out", ["pdf", "epub", "html"])


def _titles(outline) -> list[str]:
    found: list[str] = []
    for item in outline:
        found += _titles(item) if isinstance(item, list) else [item.title]
    return found


def test_bookmarks_name_the_heading_without_its_note_number(made):
    titles = _titles(pypdf.PdfReader(made["pdf"]).outline)
    assert "The Beginning" in titles and "A Part of It" in titles, titles
    assert not any(title.rstrip().endswith(("1", "2")) for title in titles), titles


def test_running_heads_carry_no_note_number(made):
    pdf = pypdfium2.PdfDocument(made["pdf"])
    heads = []
    for page in pdf:
        width, height = page.get_size()
        text = page.get_textpage().get_text_bounded(0, height - 45, width, height).strip()
        if text:
            heads.append(text)
    assert "The Beginning" in heads, heads
    assert "The Beginning1" not in heads, heads


def test_navigation_and_titles_carry_no_note_number(made):
    files = epub_files(made["epub"])
    nav = files["EPUB/nav.xhtml"].decode()
    assert ">The Beginning<" in nav or "The Beginning</a>" in nav, nav
    assert "Beginning1" not in nav and "Part2" not in nav
    page = (made["html"] / "the-beginning.html").read_text(encoding="utf-8")
    assert "<title>The Beginning ·" in page
