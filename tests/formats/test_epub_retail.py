"""The EPUB for stores and libraries: its identifiers (the ebook ISBN, the UUID kept),
contributors with MARC relator roles and sort names, the series, the certifier of the
accessibility claim, EPUBCheck clean with all of them, and links that look like links
in a reading system (WCAG F73)."""

from __future__ import annotations

import pytest
from helpers import MINIMAL_CONFIG, epub_files, epubcheck_report, write_book
from lxml import etree

from folio.build import build

OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
RETAIL_CONFIG = MINIMAL_CONFIG.replace(
    "author: Test Author\n", "author:\n  name: Test Author\n  file_as: Author, Test\n") + """\
publisher: Test House
editor: {name: Ed Itor, file_as: "Itor, Ed"}
contributors:
  - {name: Tra Nslator, role: trl, file_as: "Nslator, Tra"}
  - {name: Ill Ustrator, role: ill}
series: {name: Study Editions, number: 3}
isbn: {print: 978-0-306-40615-7, epub: 978-0-14-103614-4}
epub: {certifier_credential: Accessible Publishing Standard}
"""
CHAPTER = ("# Chapter One {#one}\n\nText with a note.[^n] See [the chapter](#one).\n\n"
           "[^n]: The note.\n")


def package_of(epub: dict[str, bytes]):
    return etree.fromstring(epub["EPUB/content.opf"])


def metas(package, prop: str, refines: str | None = None) -> list[str]:
    return [m.text for m in package.iter(f"{OPF}meta") if m.get("property") == prop
            and (refines is None or m.get("refines") == refines)]


def credits(package, element: str) -> dict[str, tuple[str, str]]:
    """{name: (role, file-as)} of each dc:creator or dc:contributor."""
    found = {}
    for person in package.iter(f"{DC}{element}"):
        ref = f"#{person.get('id')}"
        role = metas(package, "role", ref)
        found[person.text] = (role[0] if role else "", "".join(metas(package, "file-as", ref)))
    return found


@pytest.fixture(scope="module")
def retail_epub(tmp_path_factory):
    book = write_book(tmp_path_factory.mktemp("retail") / "book", RETAIL_CONFIG, CHAPTER)
    return build(book, book.parent / "output", ["epub"])["epub"]


def test_the_real_book_credits_author_and_editor(epub_path):
    package = package_of(epub_files(epub_path))
    assert credits(package, "creator") == {"Chandran KC": ("aut", "KC, Chandran")}
    assert credits(package, "contributor") == {
        "The Folio Study Editions editors": ("edt", "Folio Study Editions editors")}
    assert metas(package, "a11y:certifiedBy") == ["Folio Study Editions"], \
        "the certifier defaults to the publisher"
    unique = package.get("unique-identifier")
    identifiers = {i.get("id"): i.text for i in package.iter(f"{DC}identifier")}
    assert identifiers == {unique: "urn:uuid:5b0f3c8e-4a8c-4f57-9b57-1f0d6a7c2e31"}, \
        "without an ebook ISBN the UUID is the identifier"


def test_isbn_identifier_keeps_the_uuid(retail_epub):
    package = package_of(epub_files(retail_epub))
    identifiers = {i.get("id"): i.text for i in package.iter(f"{DC}identifier")}
    unique = package.get("unique-identifier")
    assert identifiers.pop(unique) == "urn:isbn:9780141036144"
    assert metas(package, "identifier-type", f"#{unique}") == ["15"]  # ONIX: ISBN-13
    (uuid,) = identifiers.values()
    assert uuid.startswith("urn:uuid:")
    ncx = etree.fromstring(epub_files(retail_epub)["EPUB/toc.ncx"])
    uid = [m.get("content") for m in ncx.iter("{*}meta") if m.get("name") == "dtb:uid"]
    assert uid == ["urn:isbn:9780141036144"]


def test_contributors_series_and_certifier(retail_epub):
    package = package_of(epub_files(retail_epub))
    assert credits(package, "creator") == {"Test Author": ("aut", "Author, Test")}
    assert credits(package, "contributor") == {"Ed Itor": ("edt", "Itor, Ed"),
                                               "Tra Nslator": ("trl", "Nslator, Tra"),
                                               "Ill Ustrator": ("ill", "")}
    (series,) = [m for m in package.iter(f"{OPF}meta")
                 if m.get("property") == "belongs-to-collection"]
    assert series.text == "Study Editions"
    assert metas(package, "collection-type", f"#{series.get('id')}") == ["series"]
    assert metas(package, "group-position", f"#{series.get('id')}") == ["3"]
    (certifier,) = [m for m in package.iter(f"{OPF}meta")
                    if m.get("property") == "a11y:certifiedBy"]
    assert certifier.text == "Test House"
    assert metas(package, "a11y:certifierCredential", f"#{certifier.get('id')}") == \
        ["Accessible Publishing Standard"]


@pytest.mark.slow
def test_epubcheck_accepts_the_retail_metadata(retail_epub):
    assert epubcheck_report(retail_epub) == ""


@pytest.mark.slow
def test_links_look_like_links_in_a_reading_system(epub_path, tmp_path, browser):
    """Each kind of link of the book's EPUB, as Chromium (the engine of many reading
    systems) draws it with the EPUB's own style sheet: underlined, not by colour alone."""
    for name, data in epub_files(epub_path).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    pages = {"why-trotsky.xhtml": ["a.noteref", "a.glossterm"],
             "glossary.xhtml": [".see a", ".uses a"], "index.xhtml": [".index-entries a"],
             "notes.xhtml": ["a.backlink"]}
    context = browser.new_context()
    try:
        page = context.new_page()
        for name, selectors in pages.items():
            page.goto((tmp_path / "EPUB" / name).as_uri())
            for selector in selectors:
                styles = page.eval_on_selector_all(selector, """links => links.map(a => {
                    const s = getComputedStyle(a);
                    return [s.textDecorationLine, s.textDecorationStyle]; })""")
                assert styles, f"no {selector} in {name}"
                assert all(line == "underline" for line, _ in styles), (name, selector, styles)
                if selector == "a.glossterm":
                    assert {style for _, style in styles} == {"dotted"}
    finally:
        context.close()
