"""Citations and the bibliography in every format: each citation a link to its entry,
the bibliography a back-matter section with its semantics, EPUBCheck and the Nu
checker clean."""

from __future__ import annotations

import pytest
from helpers import (
    broken_links,
    documents,
    epub_files,
    epubcheck_report,
    html_files,
    nu_checker_report,
    write_book,
)
from pypdf import PdfReader

from folio.build import build

BIBTEX = """\
@book{deutscher1954,
  author = {Deutscher, Isaac},
  title = {The Prophet Armed: Trotsky, 1879--1921},
  publisher = {Oxford University Press},
  year = {1954}
}
@article{paper2010,
  author = {Writer, Ann},
  title = {A Paper},
  journal = {Journal of Examples},
  volume = {3},
  pages = {1--9},
  year = {2010},
  doi = {10.1234/example.5678}
}
"""
CONFIG = """\
title: Cited Book
author: A. Writer
language: en
bibliography: works.bib
contents:
  chapters:
    - chapters/one.md
    - chapters/two.md
"""
KEYS = {"ref-deutscher1954", "ref-paper2010"}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    root = write_book(tmp_path_factory.mktemp("cited") / "book", CONFIG,
                      "# One {#one}\n\nA claim [@deutscher1954, 12]. A note.^[As "
                      "[see @paper2010, 4] shows.]\n",
                      {"works.bib": BIBTEX,
                       "chapters/two.md": "# Two {#two}\n\nAgain [@deutscher1954, 30].\n"})
    return build(root, root.parent / "output", ["pdf", "epub", "html"])


def citation_links(docs) -> list[tuple[str, str]]:
    return [(name, element.get("href")) for name, tree in docs.items()
            for element in tree.iter() if isinstance(element.tag, str)
            and "#ref-" in (element.get("href") or "")]


def test_the_epub_links_every_citation_to_its_entry(outputs):
    files = epub_files(outputs["epub"])
    docs = documents(files)
    links = citation_links(docs)
    assert {href.split("#")[1] for _, href in links} == KEYS
    assert all(href.startswith("bibliography.xhtml#") for _, href in links), links
    assert not broken_links(files)
    page = files["EPUB/bibliography.xhtml"].decode()
    assert 'epub:type="backmatter bibliography"' in page and 'role="doc-bibliography"' in page
    assert 'href="https://doi.org/10.1234/example.5678"' in page
    nav = files["EPUB/nav.xhtml"].decode()
    assert 'epub:type="bibliography" href="bibliography.xhtml"' in nav


@pytest.mark.slow
def test_the_epub_with_citations_passes_epubcheck(outputs):
    assert epubcheck_report(outputs["epub"]) == ""


@pytest.mark.slow
def test_the_web_book_with_citations_passes_the_nu_checker(outputs):
    assert nu_checker_report(sorted(outputs["html"].glob("*.html"))) == ""


def test_the_web_book_links_every_citation_to_its_entry(outputs):
    folder = outputs["html"]
    files = html_files(folder)
    docs = documents(files)
    links = citation_links({n: t for n, t in docs.items() if n != "book.html"})
    assert {href.split("#")[1] for _, href in links} == KEYS
    assert not broken_links(files)
    single = [href for _, href in citation_links({"book.html": docs["book.html"]})]
    assert single and all(href.startswith("#ref-") for href in single)


def test_the_pdf_links_every_citation_to_its_entry(outputs):
    reader = PdfReader(outputs["pdf"])
    names = reader.named_destinations
    assert set(names) >= KEYS
    bibliography = {reader.get_destination_page_number(names[key]) for key in KEYS}
    linked = set()
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if str(annotation.get("/Dest", "")) in KEYS:
                linked.add(str(annotation["/Dest"]))
    assert linked == KEYS
    text = "".join(reader.pages[number].extract_text() for number in bibliography)
    assert "Bibliography" in text and "Deutscher, Isaac." in text
    assert "[@" not in "".join(page.extract_text() for page in reader.pages)
