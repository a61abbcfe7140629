"""folio.read.sanitize: a raw <figure> as the EPUB's schema wants it."""


import pytest
from helpers import book_with_image, epubcheck_report

from folio.build import build
from folio.read.sanitize import sanitize_html

IMG = '<img src="a.png" alt="a">'


@pytest.mark.parametrize(("markup", "expected"), [
    (f"<figure>{IMG}<figcaption>Cap</figcaption><br><br></figure>",
     f"<figure>{IMG}<figcaption>Cap</figcaption></figure>"),
    (f"<figure><figcaption>Cap</figcaption>{IMG}</figure>",
     f"<figure><figcaption>Cap</figcaption>{IMG}</figure>"),
    (f"<figure>{IMG}<figcaption>Cap</figcaption><p>more</p></figure>",
     f"<figure>{IMG}<p>more</p><figcaption>Cap</figcaption></figure>"),
    (f"<figure>{IMG}<figcaption>One</figcaption><figcaption>Two</figcaption></figure>",
     f"<figure>{IMG}<div>Two</div><figcaption>One</figcaption></figure>"),
])
def test_a_figure_has_one_caption_first_or_last(markup, expected):
    cleaned, changes = sanitize_html(markup)
    assert cleaned == expected
    assert bool(changes) == (markup != expected)


@pytest.mark.slow
def test_a_book_with_raw_figures_passes_epubcheck(tmp_path):
    book = book_with_image(tmp_path / "book")
    (book / "chapters" / "one.md").write_text(
        "# One {#one}\n\nText.\n\n<figure>\n<img src=\"images/red.png\" alt=\"A red square\">"
        "\n<figcaption>Figure 1: a red square</figcaption>\n<br><br>\n</figure>\n\nMore.\n",
        encoding="utf-8")
    made = build(book, tmp_path / "out", ["epub"])
    assert epubcheck_report(made["epub"]) == ""
