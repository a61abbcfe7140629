"""Parts, appendices and unnumbered chapters (book.yaml and headings), and one
toc.depth for the contents, the EPUB navigation and the PDF bookmarks."""

import zipfile

import pypdf
import pytest
from helpers import epubcheck_report, write_book
from lxml import etree

from folio.build import build
from folio.model import APPENDIX, CHAPTER, PART
from folio.read import read_book

CONFIG = """\
title: A Structured Book
author: Test Author
language: en
toc:
  depth: 3
contents:
  front:
    - front/preface.md
  chapters:
    - part: Beginnings
    - chapters/one.md
    - chapters/aside.md
    - chapters/own.md
    - chapters/later.md
    - chapters/two.md
  appendices:
    - appendices/data.md
    - appendices/more.md
"""
TEXT = "Words of the section, enough of them to be a paragraph of text.\n"
FILES = {
    "front/preface.md": "# Preface {#preface}\n\n" + TEXT,
    "chapters/one.md": "# The First {#first}\n\n" + TEXT + "\n## A Section {#s1}\n\n" + TEXT
                       + "\n### A Subsection {#s1a}\n\n" + TEXT
                       + "\n#### Too Deep {#s1aa}\n\n" + TEXT,
    "chapters/aside.md": "# An Interlude {.unnumbered #interlude}\n\n" + TEXT,
    "chapters/own.md": "# Chapter 2: Numbered by Hand {#own}\n\n" + TEXT,
    "chapters/later.md": "# Later On {.part #later}\n\nA part's own words.\n",
    "chapters/two.md": "# The Second {#second}\n\n" + TEXT,
    "appendices/data.md": "# The Data {#data}\n\n" + TEXT,
    "appendices/more.md": "# More Data {#more}\n\n" + TEXT,
}


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return write_book(tmp_path_factory.mktemp("structure") / "book", config=CONFIG,
                      chapter=FILES["chapters/one.md"], files=FILES)


@pytest.fixture(scope="module")
def made(root):
    return build(root, root.parent / "out", ["pdf", "epub", "html", "handouts"])


def test_kinds_numbers_labels_and_parts(root):
    book = read_book(root, warn=lambda message: None)
    rows = [(s.kind, s.label, s.part, s.title) for s in book.sections if s.body is not None]
    assert rows[1:] == [
        (PART, "", None, "Beginnings"),
        (CHAPTER, "1", "part-1", "The First"),
        (CHAPTER, "", "part-1", "An Interlude"),
        (CHAPTER, "", "part-1", "Chapter 2: Numbered by Hand"),
        (PART, "", None, "Later On"),
        (CHAPTER, "2", "later", "The Second"),
        (APPENDIX, "A", None, "The Data"),
        (APPENDIX, "B", None, "More Data"),
    ]


def _nav(made) -> etree._Element:
    with zipfile.ZipFile(made["epub"]) as archive:
        return etree.fromstring(archive.read("EPUB/nav.xhtml"))


def test_the_epub_navigation_nests_chapters_in_parts_down_to_the_depth(made):
    nav = _nav(made)
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    toc = nav.xpath("//x:nav[@*[local-name()='type']='toc']/x:ol", namespaces=ns)[0]
    top = [" ".join(a.xpath("string()").split())
           for a in toc.xpath("x:li/*[self::x:a or self::x:span]", namespaces=ns)]
    assert top[:3] == ["Preface", "Beginnings", "Later On"]
    assert top[-2:] == ["A. The Data", "B. More Data"]
    texts = [" ".join(a.xpath("string()").split()) for a in toc.iter("{*}a", "{*}span")]
    assert "1. The First" in texts and "An Interlude" in texts and "2. The Second" in texts
    assert "Chapter 2: Numbered by Hand" in texts and "2. Chapter 2: Numbered by Hand" not in texts
    assert "A Subsection" in texts and "Too Deep" not in texts
    part = toc.xpath("x:li[.//text()='Beginnings']", namespaces=ns)[0]
    assert "1. The First" in " ".join(part.xpath(".//text()"))


def test_pdf_bookmarks_follow_parts_and_depth(made):
    outline = pypdf.PdfReader(made["pdf"]).outline

    def tree(items):
        found, last = [], None
        for item in items:
            if isinstance(item, list):
                found.append((last, tree(item)))
            else:
                last = item.title
                found.append(last)
        return found

    shape = tree(outline)
    flat = repr(shape)
    assert "A Subsection" in flat and "Too Deep" not in flat
    index = shape.index("Beginnings")
    children = shape[index + 1]
    assert isinstance(children, tuple) and children[0] == "Beginnings", shape
    assert children[1][:3] == ["The First", ("The First", [
        "A Section", ("A Section", ["A Subsection"])]), "An Interlude"], children
    assert "The Data" in shape, "an appendix is not inside the last part"


def test_the_contents_page_and_the_web_book_show_labels(made):
    page = (made["html"] / "index.html").read_text(encoding="utf-8")
    for label in ("1. The First", "A. The Data", "An Interlude", "Beginnings"):
        assert label in page, label
    assert "2. Chapter 2" not in page
    names = sorted(p.name for p in made["handouts"].glob("*.pdf"))
    assert names[:5] == ["01-first.pdf", "02-interlude.pdf", "03-own.pdf", "04-second.pdf",
                         "glossary.pdf"] or names[:4] == ["01-first.pdf", "02-interlude.pdf",
                                                          "03-own.pdf", "04-second.pdf"]


@pytest.mark.slow
def test_epubcheck_is_clean(made):
    assert epubcheck_report(made["epub"]) == ""


def test_a_part_needs_a_chapter_after_it(tmp_path):
    from folio.errors import BuildError
    from folio.read import load_config

    config = CONFIG.replace("    - chapters/two.md\n", "    - chapters/two.md\n    - part: Empty\n")
    root = write_book(tmp_path / "b", config=config, files=FILES)
    with pytest.raises(BuildError, match="a part must be followed by at least one chapter"):
        load_config(root)
