"""The web book: a page per section, a single-page edition, valid HTML (Nu Html Checker),
every link resolves, search index, metadata, web fonts. (In a browser: test_web_browser.py.)"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from types import SimpleNamespace

import pytest
from helpers import (
    VNU_JAR,
    book_with_image,
    broken_links,
    classes,
    documents,
    duplicate_ids,
    html_files,
    note_pairing_problems,
    target_of,
)

from folio.build import build
from folio.errors import BuildError
from folio.formats.html.render import SINGLE, page_name
from folio.formats.html.search import build_search_index
from folio.htmltree import text_of
from folio.model import BACK, Section


def page_of(section_id: str) -> str:
    """A section's page; the back-of-book index cannot take the home page's name."""
    return "book-index.html" if section_id == "index" else f"{section_id}.html"


@pytest.fixture(scope="session")
def web(edition):
    """The multi-page site (docs leaves out the single-page edition, `single`)."""
    built, model = edition
    files = html_files(built["html"])
    docs = documents(files)
    single = docs.pop(SINGLE)
    return SimpleNamespace(folder=built["html"], files=files, docs=docs, single=single,
                           book=model)


def test_pages_and_assets(web):
    expected = ["index.html"] + [page_of(s.id) for s in web.book.sections]
    missing = [name for name in expected if name not in web.files]
    assert not missing, f"missing pages {missing}; there are {sorted(web.docs)}"
    assert any(n.startswith("css/") and n.endswith(".css") for n in web.files), "no css/"
    assert any(n.startswith("fonts/") for n in web.files), "no fonts/"


def test_each_section_page_holds_its_section(web):
    problems = []
    for section in web.book.sections:
        tree = web.docs[page_of(section.id)]
        headings = tree.xpath("//h1[@id]")
        if section.id not in [h.get("id") for h in headings]:
            problems.append(f"{page_of(section.id)}: no <h1 id={section.id!r}>")
    assert not problems, "\n".join(problems)


def test_every_page_has_language_and_title(web):
    problems = []
    for name, tree in web.docs.items():
        if tree.get("lang") != web.book.config.language:
            problems.append(f"{name}: <html lang={tree.get('lang')!r}>")
        if not tree.findtext(".//head/title", "").strip():
            problems.append(f"{name}: no <title>")
    assert not problems, "\n".join(problems)


def test_home_page_lists_every_section(web):
    home = web.docs["index.html"]
    reached = {target_of(web.docs, "index.html", a.get("href"))[0]
               for a in home.iter("a") if target_of(web.docs, "index.html", a.get("href") or "")}
    missing = [page_of(s.id) for s in web.book.sections if page_of(s.id) not in reached]
    assert not missing, f"the home page does not link to {missing}"


def test_every_link_resolves(web):
    problems = broken_links(web.files)
    assert not problems, "\n".join(problems[:40])


def test_stylesheet_fonts_exist(web):
    problems = []
    for name, data in web.files.items():
        if name.endswith(".css"):
            for url in re.findall(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)", data.decode()):
                if ":" in url:  # data: or an absolute URL
                    continue
                path = (web.folder / name).parent / url.split("#")[0].split("?")[0]
                if not path.resolve().is_file():
                    problems.append(f"{name}: url({url}) is missing")
    assert not problems, "\n".join(problems)


def test_ids_are_unique_in_each_page(web):
    problems = [f"{name}: id {i!r} twice" for name, tree in web.docs.items()
                for i in duplicate_ids(tree)]
    assert not problems, "\n".join(problems)


def test_notes_and_references_pair_up(web):
    count, problems = note_pairing_problems(web.docs)
    assert count == len(web.book.notes), f"{count} note references, the book has " \
                                         f"{len(web.book.notes)} notes"
    assert not problems, "\n".join(problems[:40])


def test_glossary_links_reach_their_entries(web):
    problems = []
    for name, tree in web.docs.items():
        for a in tree.iter("a"):
            if "glossterm" in classes(a):
                found = target_of(web.docs, name, a.get("href") or "")
                if found is None or found[1] is None or found[0] != page_of("glossary") \
                        or found[1].tag != "dt":
                    problems.append(f"{name}: glossary link {a.get('href')!r} reaches no <dt> "
                                    f"of {page_of('glossary')}")
    assert not problems, "\n".join(problems[:40])


def test_no_epub_markup_in_the_web_book(web):
    leaked = [name for name, data in web.files.items()
              if name.endswith(".html") and re.search(rb"epub:type|epub-type", data)]
    assert not leaked, leaked


@pytest.mark.slow
def test_nu_html_checker_finds_no_errors(web):
    pages = [str(web.folder / name) for name in sorted([*web.docs, SINGLE])]
    result = subprocess.run(["java", "-jar", str(VNU_JAR), "--errors-only", "--format", "json",
                             *pages], capture_output=True, text=True, timeout=300)
    report = json.loads(result.stderr or result.stdout)
    errors = [f"{m.get('url', '').rsplit('/', 1)[-1]}:{m.get('lastLine', '?')}: {m['message']}"
              for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    assert not errors, "\n".join(errors[:40])
    assert result.returncode == 0, result.stderr[-2000:]


def test_images_reach_the_web_book(tmp_path):
    made = build(book_with_image(tmp_path / "book"), tmp_path / "output", ["html"])
    files = html_files(made["html"])
    assert "<img" in files["one.html"].decode()
    problems = broken_links(files)
    assert not problems, "\n".join(problems)


# --- the single-page edition ------------------------------------------------------------

def test_single_page_holds_every_section_in_order(web):
    headings = [h.get("id") for h in web.single.xpath("//main//h1[@id]")]
    order = [s.id for s in web.book.sections]
    assert [h for h in headings if h in order] == order, headings
    assert not web.single.xpath("//link[@rel='stylesheet']"), "book.html should carry its styles"
    assert web.single.xpath("//style"), "book.html has no styles"


def test_single_page_links_stay_on_the_page(web):
    anchors = {e.get("id") for e in web.single.iter() if isinstance(e.tag, str) and e.get("id")}
    problems = []
    for a in web.single.iter("a"):
        href = a.get("href")
        if href is None or re.match(r"https?:|mailto:", href):
            continue
        if not href.startswith("#"):
            problems.append(f"leaves the page: {href}")
        elif href[1:] not in anchors:
            problems.append(f"no such fragment: {href}")
    assert not problems, "\n".join(problems[:40])
    assert duplicate_ids(web.single) == []


def test_single_page_notes_and_glossary_pair_up(web):
    count, problems = note_pairing_problems({SINGLE: web.single})
    assert count == len(web.book.notes)
    assert not problems, "\n".join(problems[:40])
    for a in web.single.iter("a"):
        if "glossterm" in classes(a):
            found = target_of({SINGLE: web.single}, SINGLE, a.get("href"))
            assert found and found[1] is not None and found[1].tag == "dt", a.get("href")


# --- search ---------------------------------------------------------------------------------

def test_search_index_and_box(web):
    assert "pagefind/pagefind.js" in web.files, "no Pagefind bundle"
    assert any(n.startswith("pagefind/index/") for n in web.files), "no Pagefind index"
    assert "js/search.js" in web.files
    problems = []
    for name, tree in web.docs.items():
        if not tree.xpath("//form[@role='search']//input[@type='search']") or \
                not tree.xpath("//script[@type='module'][@src='js/search.js']"):
            problems.append(f"{name}: no search box")
        bodies = tree.xpath("//*[@data-pagefind-body]")
        indexed = name not in ("index.html", page_of("index"))
        if len(bodies) != (1 if indexed else 0):
            problems.append(f"{name}: {len(bodies)} data-pagefind-body, expected "
                            f"{1 if indexed else 0}")
        for body in bodies:
            if body.xpath(".//nav[contains(@class, 'contents')] | .//header | .//form"):
                problems.append(f"{name}: navigation inside the indexed text")
            if body.xpath("ancestor::main") == [] or body.xpath(".//h1") == []:
                problems.append(f"{name}: the indexed text is not the page's main text")
    if web.single.xpath("//*[@data-pagefind-body]"):
        problems.append("book.html is indexed")
    assert not problems, "\n".join(problems)


def test_note_numbers_stay_out_of_search_excerpts(web):
    for name, tree in web.docs.items():
        for a in tree.xpath("//a[contains(@class, 'noteref')]"):
            assert a.get("data-pagefind-ignore") is not None, f"{name}: {a.get('href')}"


def test_search_without_pagefind_fails_the_build(tmp_path, monkeypatch):
    python = tmp_path / "python"
    python.write_text("#!/bin/sh\necho 'No module named pagefind' >&2\nexit 1\n")
    python.chmod(0o755)
    (tmp_path / "site").mkdir()
    monkeypatch.setattr(sys, "executable", str(python))
    with pytest.raises(BuildError, match="pagefind"):
        build_search_index(tmp_path / "site")


# --- glossary, metadata, assets ---------------------------------------------------------

def test_glossary_links_carry_their_definition(web):
    definitions = {e.anchor: text_of(e.definition) for e in web.book.glossary}
    problems = []
    for name, tree in [*web.docs.items(), (SINGLE, web.single)]:
        for a in tree.xpath("//a[contains(@class, 'glossterm')]"):
            anchor = (a.get("href") or "").rsplit("#", 1)[-1]
            if a.get("title") != definitions.get(anchor):
                problems.append(f"{name}: {a.get('href')} title={a.get('title')!r}")
    assert not problems, "\n".join(problems[:20])


def meta(tree, key: str) -> list[str]:
    return tree.xpath(f"//head/meta[@property='{key}' or @name='{key}']/@content")


def test_social_metadata(web):
    problems = []
    for name, tree in [*web.docs.items(), (SINGLE, web.single)]:
        title = tree.findtext(".//head/title")
        if meta(tree, "og:title") != [title]:
            problems.append(f"{name}: og:title {meta(tree, 'og:title')} is not {title!r}")
        if meta(tree, "og:type") != ["book"]:
            problems.append(f"{name}: og:type {meta(tree, 'og:type')}")
        for key in ("description", "og:description"):
            if len(meta(tree, key)) != 1 or not meta(tree, key)[0].strip():
                problems.append(f"{name}: no {key}")
        if web.book.config.base_url == "" and tree.xpath("//link[@rel='canonical']"):
            problems.append(f"{name}: a canonical URL without base_url")
        if meta(tree, "og:image"):
            problems.append(f"{name}: og:image without a cover")
    assert not problems, "\n".join(problems)


def test_canonical_urls_and_cover_image(tmp_path):
    from folio.formats.html.render import render_html
    from folio.read.book import read_book

    root = book_with_image(tmp_path / "book")
    config = (root / "book.yaml").read_text()
    (root / "book.yaml").write_text(config + "base_url: https://books.example.org/minimal/\n"
                                    "description: A book for a test.\n")
    book = read_book(root, warn=lambda message: None)
    render_html(book, tmp_path / "html", cover=root / "images" / "red.png")
    docs = documents(html_files(tmp_path / "html"))
    base = "https://books.example.org/minimal/"
    assert docs["index.html"].xpath("//link[@rel='canonical']/@href") == [base]
    assert docs["one.html"].xpath("//link[@rel='canonical']/@href") == [base + "one.html"]
    assert meta(docs["one.html"], "og:url") == [base + "one.html"]
    assert meta(docs["one.html"], "og:image") == [base + "cover.png"]
    assert (tmp_path / "html" / "cover.png").is_file()


def test_no_third_party_requests(web):
    problems = []
    for name, tree in [*web.docs.items(), (SINGLE, web.single)]:
        for element in tree.xpath("//script[@src] | //link[@href][not(@rel='canonical')]"
                                  " | //img[@src] | //source[@src] | //iframe"):
            url = element.get("src") or element.get("href") or ""
            if re.match(r"(https?:)?//", url):
                problems.append(f"{name}: <{element.tag}> loads {url}")
    for name, data in web.files.items():
        if name.endswith(".css") and re.search(rb"url\(\s*['\"]?(https?:)?//", data):
            problems.append(f"{name}: loads from another site")
    assert not problems, "\n".join(problems)


def test_web_fonts_do_not_shift_the_layout(web):
    css = web.files["css/web.css"].decode()
    faces = re.findall(r"@font-face\s*\{([^}]*)\}", css)
    assert faces and all("font-display: optional" in f and "woff2" in f for f in faces), faces
    fonts = [n for n in web.files if n.startswith("fonts/")]
    assert fonts and all(n.endswith(".woff2") for n in fonts), fonts
    assert all(len(web.files[n]) < 150_000 for n in fonts), "fonts are not subset"
    for name, tree in web.docs.items():
        preloads = tree.xpath("//link[@rel='preload'][@as='font']/@href")
        if name == "book.html":  # read from disk too, where a preload is refused
            assert preloads == []
            continue
        assert preloads and all(p in web.files for p in preloads), f"{name}: {preloads}"


def test_images_have_their_size(tmp_path):
    made = build(book_with_image(tmp_path / "book"), tmp_path / "output", ["html"])
    tree = documents(html_files(made["html"]))["one.html"]
    image = tree.xpath("//img")[0]
    assert (image.get("width"), image.get("height")) == ("2", "2")


def test_section_pages_keep_clear_of_the_site_pages():
    def named(stem: str) -> Section:
        return Section(id=stem, kind=BACK, title=stem, file=stem)

    assert page_name(named("index")) == "book-index.html"
    assert page_name(named("book")) != SINGLE
    assert page_name(named("life")) == "life.html"
