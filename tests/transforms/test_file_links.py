"""Links from one manuscript file to another reach the chapter in every format: a file
alone opens at its first section, a fragment at its anchor (renamed or not), from the
text and from the notes, with one file holding several chapters too."""

from __future__ import annotations

import pikepdf
import pytest
from helpers import broken_links, epub_files, html_files, parse_document, target_of

from folio.build import build

CONFIG = """\
title: Linked Files
author: Test Author
language: en
contents:
  split_level: 2
  chapters:
    - chapters/one.md
    - chapters/more.md
"""
ONE = """\
## Opening {#opening}

The first chapter.

### Method

See [the later chapter](more.md), [its sources](more.md#method), [the third](./more.md#third)
and [the last word](../chapters/more.md#caf%C3%A9).[^1]

[^1]: As [the note's chapter](more.md#method) says.
"""
MORE = """\
## Later {#later}

The second chapter.

### Method

A section with the same heading, and so the same id as written, as the first chapter's.

## Third {#third}

Last of all: [café]{#café}.
"""
# (link text, the heading or element's text the link must reach)
EXPECTED = {"the later chapter": "Later", "its sources": "Method", "the third": "Third",
            "the last word": "café", "the note’s chapter": "Method"}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    from helpers import write_book
    root = write_book(tmp_path_factory.mktemp("links") / "book", CONFIG, ONE,
                      {"chapters/more.md": MORE})
    return build(root, root.parent / "output", ["pdf", "epub", "html"])


def _reached(documents) -> dict[str, tuple[str, str, str]]:
    """{link text: (linking file, target file, target's text)} for the links of EXPECTED."""
    reached = {}
    for name, tree in documents.items():
        if name.rsplit("/", 1)[-1] == "book.html":  # the whole book on one page
            continue
        for link in tree.iter("{*}a", "a"):
            text = "".join(link.itertext()).strip()
            if text in EXPECTED and link.get("href"):
                found = target_of(documents, name, link.get("href"))
                assert found is not None, (text, link.get("href"))
                element = found[1]
                if element is None and "#" not in link.get("href"):  # a page: its heading
                    element = next(documents[found[0]].iter("{*}h2", "h2", "{*}h1", "h1"))
                assert element is not None, (text, link.get("href"))
                reached[text] = (name, found[0], "".join(element.itertext()).strip())
    return reached


@pytest.mark.parametrize("kind", ["epub", "html"])
def test_links_to_chapter_files_reach_their_anchors(outputs, kind):
    files = epub_files(outputs["epub"]) if kind == "epub" else html_files(outputs["html"])
    assert broken_links(files) == []
    documents = {name: parse_document(name, data) for name, data in files.items()
                 if name.endswith((".html", ".xhtml"))}
    reached = _reached(documents)
    assert set(reached) == set(EXPECTED)
    for text, heading in EXPECTED.items():
        assert reached[text][2].startswith(heading), (text, reached[text])
    # the second chapter's "Method", not the first chapter's own
    assert reached["its sources"][1] == reached["the later chapter"][1]
    assert reached["its sources"][1] != reached["its sources"][0]


def test_no_link_to_a_markdown_file_is_left_in_any_format(outputs):
    for name, data in {**epub_files(outputs["epub"]), **html_files(outputs["html"])}.items():
        if name.endswith((".html", ".xhtml")):
            assert b'.md"' not in data and b".md#" not in data, name


def test_the_pdf_links_go_to_the_pages_of_their_targets(outputs):
    with pikepdf.open(outputs["pdf"]) as pdf:
        names = {}
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        for key, value in tree.items():
            dest = value.D if isinstance(value, pikepdf.Dictionary) else value
            names[str(key)] = next(i for i, page in enumerate(pdf.pages)
                                   if page.obj.objgen == dest[0].objgen)
        targets, addresses = [], []
        for number, page in enumerate(pdf.pages):
            for annot in page.obj.get("/Annots", []):
                if "/A" in annot and "/URI" in annot.A:
                    addresses.append(str(annot.A.URI))
                dest = annot.get("/Dest") or (annot.get("/A") or {}).get("/D")
                if dest is not None and not isinstance(dest, pikepdf.Array):
                    targets.append((number, names[str(dest)]))
        assert not [a for a in addresses if ".md" in a], addresses
        assert targets, "no internal links in the PDF"
        assert all(target is not None for _, target in targets)
        # the links of the first chapter lead forward into the second
        assert any(target > number for number, target in targets)
