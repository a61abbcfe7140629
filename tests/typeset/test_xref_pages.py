"""``crossrefs.page_numbers``: in the print PDF every cross-reference reads "Figure 3.2
on p. 47", the page being the folio printed on the page that shows the target's
caption, number or heading, for a target earlier in the book, in the same section
(WeasyPrint's target-counter), later in the book (a second layout of the main matter)
and in the front matter (roman). The EPUB and the web book keep the plain words."""

from __future__ import annotations

import re
import shutil

import pypdfium2
import pytest
from helpers import MINIMAL_CONFIG, THESIS, epub_files, html_files, write_book
from lxml import html as lxml_html

from folio.build import build
from folio.check import check_manuscript
from folio.htmltree import fragment
from folio.read.crossrefconfig import DEFAULTS
from folio.typeset.typesetter import FORWARD_PLACEHOLDER, PageNumbers, Typesetter
from folio.typeset.xrefpages import with_xref_pages

# A figure in the front matter, referred to from there and from the last chapter.
FRONT_FIGURE = ("\n![A plate seen from above](../images/rule.png){#fig:above}\n\n"
                "@fig:above shows the plate from above.\n")
BACK_TO_FRONT = "\nThe plate from above is @fig:above.\n"


# An equation's number where it stands, not in a reference to it.
_NUMBER = r"(?<!Equation ){}(?! on p\.)"


def _pages(pdf) -> list[tuple[str, str]]:
    """Each page's printed folio (its last line) and its text, white space as one space."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for index in range(len(document)):
        text = document[index].get_textpage().get_text_range()
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        pages.append((lines[-1] if lines else "", " ".join(text.split())))
    return pages


def _folio_showing(pages, pattern: str) -> str:
    """The folio of the one page whose text matches *pattern*."""
    found = [folio for folio, text in pages if re.search(pattern, text)]
    assert len(found) == 1, f"{pattern!r} found on {len(found)} pages"
    return found[0]


def _printed(pages, reference: str) -> list[str]:
    """Every page the PDF prints after *reference* ("Figure 1.1")."""
    return re.findall(re.escape(reference) + r" on p\. ([0-9ivxlc]+)\b",
                      " ".join(text for _folio, text in pages))


def _counted_layouts(monkeypatch) -> list[int]:
    calls: list[int] = []
    original = Typesetter._main_matter

    def counting(self, numbers, front):
        calls.append(1)
        return original(self, numbers, front)

    monkeypatch.setattr(Typesetter, "_main_matter", counting)
    return calls


@pytest.fixture(scope="module")
def thesis(tmp_path_factory):
    root = tmp_path_factory.mktemp("xref-pages")
    book = root / "thesis"
    shutil.copytree(THESIS, book)
    config = (book / "book.yaml").read_text(encoding="utf-8")
    (book / "book.yaml").write_text(
        config.replace("  numbering: chapter\n", "  numbering: chapter\n  page_numbers: true\n"),
        encoding="utf-8")
    with (book / "front" / "abstract.md").open("a", encoding="utf-8") as file:
        file.write(FRONT_FIGURE)
    with (book / "chapters" / "results.md").open("a", encoding="utf-8") as file:
        file.write(BACK_TO_FRONT)
    with pytest.MonkeyPatch.context() as monkeypatch:
        layouts = _counted_layouts(monkeypatch)
        made = build(book, root / "output", ["pdf", "epub", "html"])
    return made, _pages(made["pdf"]), len(layouts)


@pytest.mark.parametrize(("reference", "target"), [
    # in the same chapter, on its page and on the next (target-counter)
    ("Equation (1.1)", _NUMBER.format(r"\(1\.1\)")),
    ("Figure 1.1", r"Figure 1\.1: The plate"),
    ("Figure 2.1", r"Figure 2\.1: The first three modes"),
    ("Table A.1", r"Table A\.1: The first"),
    # earlier in the book (from the results, the appendix, the notes)
    ("Table 1.1", r"Table 1\.1: Conductivity"),
    ("Equation (2.3)", _NUMBER.format(r"\(2\.3\)")),
    ("Equations (2.1)", _NUMBER.format(r"\(2\.1\)")),
    # later in the book: from the introduction and the model, and the front matter's
    ("Chapter 3", r"^3 Results"),
    ("Appendix A", r"^A Derivations"),
    ("Table 3.1", r"Table 3\.1: Measured"),
    ("Figure 3.1", r"Figure 3\.1: Temperature"),
    # in the front matter: from itself (roman target-counter) and from a chapter
    ("Figure 1", r"Figure 1: A plate seen"),
])
def test_each_reference_prints_the_folio_of_its_target(thesis, reference, target):
    _made, pages, _layouts = thesis
    printed = _printed(pages, reference)
    assert printed, f"no page printed after {reference}"
    assert set(printed) == {_folio_showing(pages, target)}


def test_folios_are_arabic_in_the_main_matter_and_roman_in_the_front(thesis):
    _made, pages, _layouts = thesis
    assert _printed(pages, "Figure 1") == ["vii", "vii"]  # the abstract's, and the results'
    assert _printed(pages, "Appendix A") == ["7"]
    assert FORWARD_PLACEHOLDER not in {p for ref in ("Chapter 3", "Appendix A", "Table 3.1")
                                       for p in _printed(pages, ref)}


def test_forward_references_cost_one_more_layout(thesis):
    _made, _pages_, layouts = thesis
    assert layouts == 2


def test_only_backward_references_need_one_layout(tmp_path, monkeypatch):
    config = MINIMAL_CONFIG.replace("    - chapters/one.md",
                                    "    - chapters/one.md\n    - chapters/two.md")
    config += "crossrefs:\n  page_numbers: true\n"
    book = write_book(tmp_path / "book", config,
                      "# One {#sec:one}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                      ": Two numbers {#tbl:two}\n",
                      {"chapters/two.md": "# Two {#two}\n\nAs @tbl:two in @sec:one shows.\n"})
    layouts = _counted_layouts(monkeypatch)
    pages = _pages(build(book, tmp_path / "output", ["pdf"])["pdf"])
    assert layouts == [1]
    assert _printed(pages, "Table 1.1") == ["1"]
    assert _printed(pages, "Chapter 1") == ["1"]


def test_a_reference_within_its_section_is_guessed_from_the_last_build(tmp_path, monkeypatch):
    """A section is laid out from its own page 1 (its folios are a layer), so the page
    of a target in the same section is known only after its layout: a cold build lays
    the main matter out twice, a rebuild guesses right from the build before."""
    config = MINIMAL_CONFIG.replace("    - chapters/one.md",
                                    "    - chapters/one.md\n    - chapters/two.md")
    config += "crossrefs:\n  page_numbers: true\n"
    filler = "Words to fill a page or two of the chapter before its table. " * 160
    book = write_book(tmp_path / "book", config, "# One {#sec:one}\n\nA first chapter.\n",
                      {"chapters/two.md": f"# Two {{#two}}\n\nSee @tbl:late.\n\n{filler}\n\n"
                                          "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                                          ": Late numbers {#tbl:late}\n"})
    layouts = _counted_layouts(monkeypatch)
    pages = _pages(build(book, tmp_path / "output", ["pdf"])["pdf"])
    assert layouts == [1, 1]
    printed = _printed(pages, "Table 2.1")
    assert printed and set(printed) == {_folio_showing(pages, r"Table 2\.1: Late numbers")}
    assert int(printed[0]) > 3, "the table is not past the chapter's first pages"
    chapter = book / "chapters" / "one.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more line.\n",
                       encoding="utf-8")
    layouts.clear()
    again = _pages(build(book, tmp_path / "output", ["pdf"])["pdf"])
    assert layouts == [1]
    assert _printed(again, "Table 2.1") == printed


def test_epub_and_web_book_name_no_page(thesis):
    made, _pages_, _layouts = thesis
    files = {**epub_files(made["epub"]), **html_files(made["html"])}
    texts = [" ".join(lxml_html.fromstring(data).text_content().split())
             for name, data in files.items()
             if name.endswith((".xhtml", ".html")) and b"class=\"xref\"" in data]
    assert texts
    assert not any(re.search(r"on p\.", text) for text in texts)
    assert any("Figure 1.1" in text for text in texts)


def test_the_setting_is_off_by_default():
    assert DEFAULTS["page_numbers"] is False


def test_a_setting_that_is_not_true_or_false_is_an_error_at_its_line(tmp_path):
    config = MINIMAL_CONFIG + "crossrefs:\n  numbering: book\n  page_numbers: sometimes\n"
    findings = check_manuscript(write_book(tmp_path, config)).findings
    assert [(f.code, f.line) for f in findings] == [("M001", 10)]
    assert "'crossrefs.page_numbers' must be true or false" in findings[0].message


def test_reference_pages_in_the_markup():
    body = fragment('<p><span class="xref"><a class="xref" href="#fig:a">Figure 1.1</a></span>'
                    ' and <span class="xref"><a class="xref" href="#fig:b">Figure 2.1</a>'
                    '</span>, <span class="xref"><a class="xref" href="#fig:c">Figure 3.1'
                    '</a></span>.</p>')
    numbers = PageNumbers(earlier={"fig:c": 9})
    numbers.number_of["fig:a"] = 4
    marked = with_xref_pages(body, numbers, {"fig:b"}, "auf S.")
    links = marked.xpath(".//a[contains(@class, 'pageref')]")
    assert [(a.get("href"), a.get("class"), a.text) for a in links] == [
        ("#fig:a", "pageref", "4"), ("#fig:b", "pageref counter", None),
        ("#fig:c", "pageref", "9")]
    assert marked.text_content() == ("Figure 1.1 auf S.\u00a04 and Figure 2.1 auf S.\u00a0, "
                                     "Figure 3.1 auf S.\u00a09.")
    assert numbers.forward_asked == {"fig:c": 9}
    assert body.text_content() == "Figure 1.1 and Figure 2.1, Figure 3.1."  # not changed
    numbers.number_of["fig:c"] = 10  # the target moved: a further layout is due
    assert not numbers.forward_labels_hold()
    numbers.number_of["fig:c"] = 9
    assert numbers.forward_labels_hold()


def test_a_first_layout_that_guessed_does_not_hold():
    numbers = PageNumbers()
    assert numbers.forward_label("sec:later") == FORWARD_PLACEHOLDER
    numbers.number_of["sec:later"] = 12
    assert not numbers.forward_labels_hold()
    assert PageNumbers().forward_labels_hold()
