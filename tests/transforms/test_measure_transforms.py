"""folio.transforms.breaks (text that must stay exact: break opportunities, addresses
marked) and folio.transforms.measure (tables and images set up to fit the measure),
on Markdown read the way a book is."""

from __future__ import annotations

import re

import pytest
from helpers import tiny_png, write_book

from folio.htmltree import fragment, inner_html
from folio.read.book import read_book
from folio.transforms.breaks import add_break_opportunities, exact_elements


def _chapter(tmp_path, markdown: str):
    book = read_book(write_book(tmp_path / "book", chapter=f"# One {{#one}}\n\n{markdown}\n"),
                     warn=lambda message: None)
    return book.chapters[0].body


def _marked(markup: str) -> str:
    """*markup* with each <wbr> shown as |."""
    return re.sub(r"<wbr\s*/?>(</wbr>)?", "|", markup)


@pytest.mark.parametrize(("text", "expected"), [
    ("a/b.c", "a/|b.|c"),
    ("https://example.com/x?y=1&z=2", "https://|example.|com/|x?|y=|1&amp;|z=|2"),
    ("--verbose", "--verbose"),  # nothing before the run: no break
    ("path/", "path/"),  # nothing after it
    ("a//b", "a//|b"),  # a run breaks once, after its last character
    ("make book", "make book"),  # white space breaks already
    (".gitignore", ".gitignore"),
    ("SOME_NAME=1", "SOME_|NAME=|1"),
])
def test_break_opportunities_follow_separators(text, expected):
    element = fragment(f"<code>{text.replace('&', '&amp;')}</code>")[0]
    add_break_opportunities(element)
    assert _marked(inner_html(element)) == expected
    assert element.text_content() == text, "the text itself is unchanged"


def test_code_addresses_and_plain_addresses_are_exact(tmp_path):
    body = _chapter(tmp_path, "Run `a/b.c`, see <https://x.org/a/b>, "
                              "[https://y.org/c/d](https://y.org/c/d), "
                              "[the site](https://z.org/e/f), https://w.org/g/h. "
                              "Write to <name.surname@example.org>.")
    markup = _marked(inner_html(body))
    assert "<code>a/|b.|c</code>" in markup
    assert 'class="uri url">https://|x.|org/|a/|b</a>' in markup
    assert '>https://|y.|org/|c/|d</a>' in markup
    assert ">the site</a>" in markup, "a link whose text is words is text"
    assert '<span class="url">https://|w.|org/|g/|h</span>.' in markup, \
        "a plain address is marked; the full stop after it is the sentence's"
    assert "name.|surname@example.|org</a>" in markup
    assert len(exact_elements(body)) == 5


def test_capitals_in_an_address_are_not_set_as_an_acronym(tmp_path):
    body = _chapter(tmp_path, "The NKVD files are at <https://example.org/NKVD/FILES>; "
                              "see also `ABC/DEF`.")
    markup = inner_html(body)
    assert markup.count("acronym") == 1, "only the NKVD of the sentence"
    assert "example.<wbr>org/<wbr>NKVD/<wbr>FILES" in markup


def test_long_values_in_table_cells_break_between_letters_and_digits(tmp_path):
    body = _chapter(tmp_path, "| Gene | Short |\n|---|---|\n"
                              "| Phip-201-ENST00000275486 | chr6 |\n")
    cells = [_marked(inner_html(cell)) for cell in body.iter("td")]
    assert cells == ["Phip-|201-|ENST|00000275486", "chr6"]


def test_code_blocks_and_prose_keep_their_text(tmp_path):
    body = _chapter(tmp_path, "A well-known, long-winded sentence about ENST00000275486.\n\n"
                              "```\nls /usr/share/doc\n```")
    assert "<wbr>" not in inner_html(body.find("p")), "prose breaks as its language does"
    assert _marked(inner_html(body.find("pre"))) == "<code>ls /usr/|share/|doc</code>"


def test_tables_lose_source_widths_and_get_a_box(tmp_path):
    wide = "| A | B |\n|" + "-" * 60 + "|" + "-" * 20 + "|\n| " + "x " * 40 + "| y |\n"
    body = _chapter(tmp_path, wide)
    table = body.find(".//table")
    assert table.find("colgroup") is None, "widths come from the content"
    assert table.getparent().get("class") == "table-wrap"
    assert table.get("data-pos"), "the print layout can name the table"


def test_a_paragraph_of_images_is_marked(tmp_path):
    (tmp_path / "book" / "images").mkdir(parents=True)
    (tmp_path / "book" / "images" / "a.png").write_bytes(tiny_png())
    body = _chapter(tmp_path, "First paragraph.\n\n![An image](images/a.png) "
                              "![Another](images/a.png)\n\n"
                              "Text and ![an image](images/a.png) together.")
    paragraphs = body.findall("p")
    assert [p.get("class") for p in paragraphs] == [None, "images", None]


def test_only_a_long_run_with_no_place_to_break_may_break_anywhere(tmp_path):
    run = "pneumonoultramicroscopicsilicovolcanoconiosis"
    body = _chapter(tmp_path, f"A {run}, a trotskyist-zinovievite-terrorist-center, "
                              "an ACGTTGCAACGTTGCAACGTTGCAACGTTGCAACGT and *internationalisation*.")
    runs = body.xpath(".//span[@class='run']")
    # Hyphens break the compound; the capitals are an acronym, with a rule of their own.
    assert [span.text for span in runs] == [run + ","]


def test_options_in_code_keep_their_hyphens_with_their_names(tmp_path):
    body = _chapter(tmp_path, "Use `ls -l`, `git commit --amend`, `grep -i -o`, "
                              "`tail -f|head -n3` and `a-b`; `x=-v` too. Not in prose: ls -l.")
    options = [span.text_content() for span in body.xpath(".//span[@class='option']")]
    assert options == ["-l", "--amend", "-i", "-o", "-f", "-n3", "-v"]
    assert all(span.getparent().tag == "code" for span in body.xpath(".//span[@class='option']"))
    assert "ls -l." in body.text_content(), "prose is left alone"


@pytest.mark.slow
def test_no_printed_line_ends_in_an_options_hyphen(tmp_path):
    """A narrow column of justified text full of options: the PDF never breaks a line
    after an option's leading hyphen (UAX #14 would allow it)."""
    import pypdfium2

    from folio.build import build

    sentence = ("With `ls -l` and `ln -s`, `tail -f` or `grep -v`, `git log --oneline` "
                "shows `du -hs` and `df -i` beside `ssh -L` and `cp -r`. ")
    root = write_book(tmp_path / "book", config=(
        "title: Options\nauthor: Test Author\nlanguage: en\npdf:\n  trim: 4.5in 7in\n"
        "contents:\n  chapters:\n    - chapters/one.md\n"),
        chapter="# One {#one}\n\n" + sentence * 30 + "\n")
    pdf = build(root, tmp_path / "output", ["pdf"])["pdf"]
    document = pypdfium2.PdfDocument(pdf)
    lines = [line.rstrip() for page in document
             for line in page.get_textpage().get_text_range().splitlines()]
    assert sum("-l" in line or "-s" in line for line in lines) > 10
    assert [line for line in lines if re.search(r"(^|\s)-{1,2}$", line)] == []
