"""The web book: a page per section, valid HTML (Nu Html Checker), every link resolves."""

from __future__ import annotations

import json
import re
import subprocess
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


def page_of(section_id: str) -> str:
    """A section's page; the back-of-book index cannot take the home page's name."""
    return "book-index.html" if section_id == "index" else f"{section_id}.html"


@pytest.fixture(scope="session")
def web(edition):
    built, model = edition
    files = html_files(built["html"])
    return SimpleNamespace(folder=built["html"], files=files, docs=documents(files), book=model)


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
    pages = [str(web.folder / name) for name in sorted(web.docs)]
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
