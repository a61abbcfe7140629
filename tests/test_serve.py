"""``build.py serve``: after a save only the files whose bytes change are written, the
version moves once, and the settled web book equals a cold ``build.py html`` of the
same manuscript, byte for byte.

Each edit is checked against two cold builds (before and after it): the files the
preview writes must be exactly those that differ between them."""

from __future__ import annotations

import gc
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import MANUSCRIPT, ROOT, http_get, unhyphenate_pdf_text, wait_for

from folio import memo
from folio.build import build
from folio.serve import PDF_URL, VERSION_URL, Preview

ASIDE = ("pagefind/", "fonts/")  # settled after the pages


def files_of(site: Path) -> dict[str, tuple[bytes, int]]:
    """Every file of *site*: its bytes and its modification time (ns)."""
    return {path.relative_to(site).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(site.rglob("*")) if path.is_file()}


def differing(first: dict, second: dict) -> set[str]:
    return {name for name in set(first) | set(second)
            if (first.get(name) or (None,))[0] != (second.get(name) or (None,))[0]}


def cold_html(book: Path, output: Path) -> dict[str, tuple[bytes, int]]:
    """The web book of a cold build: nothing of the preview's kept results used."""
    with memo.paused():
        build(book, output, ["html"])
    return files_of(output / "html")


@pytest.fixture(autouse=True)
def _forget():
    """serve keeps the reading's pure steps for the process (folio.memo): not past a test."""
    yield
    memo.keep(False)


@pytest.fixture
def preview(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(MANUSCRIPT, book)
    messages: list[str] = []
    preview = Preview(book, tmp_path / "output", ["html"], messages.append)
    assert preview.rebuild(), messages
    preview.messages = messages
    return preview


def chapter(book: Path, number: int) -> Path:
    return sorted((book / "chapters").glob("*.md"))[number]


def one_word(book: Path) -> str:
    path = chapter(book, 3)
    text = path.read_text()
    path.write_text(text.replace(" the ", " the very ", 1))
    return path.stem


def new_note(book: Path) -> str:
    path = chapter(book, 1)
    text = path.read_text()
    paragraph = text.index("\n\n", text.index("\n\n") + 2)
    path.write_text(text[:paragraph] + " A claim.[^added]" + text[paragraph:]
                    + "\n[^added]: A note added while serving.\n")
    return path.stem


def new_definition(book: Path) -> str:
    path = book / "glossary.yaml"
    text = path.read_text()
    path.write_text(text.replace("The wave of strikes", "The great wave of strikes", 1))
    return "glossary"


def new_alias(book: Path) -> str:
    """A glossary alias that chapters left unchanged use: their links change."""
    path = book / "glossary.yaml"
    text = path.read_text()
    path.write_text(text.replace("aliases: [anarchist, anarchists]",
                                 "aliases: [anarchist, anarchists, workers]", 1))
    return "glossary"


def new_year_of_a_work(book: Path) -> str:
    """A cited work's year corrected: the notes of chapters left unchanged follow."""
    path = book / "works.yaml"
    text = path.read_text()
    entry = text.index("- id: deutscher1959\n")
    year = text.index("date-parts: [[1959]]", entry)
    path.write_text(text[:year] + "date-parts: [[1960]]" + text[year + 20:])
    return "works"


@pytest.mark.parametrize("edit", [one_word, new_note, new_definition, new_alias,
                                  new_year_of_a_work])
def test_a_save_writes_the_files_that_change_and_only_those(preview, tmp_path, edit):
    site = preview.output / "html"
    before = files_of(site)
    assert not differing(before, cold_html(preview.root, tmp_path / "cold-before"))
    version = preview.version
    edit(preview.root)

    assert preview.refresh(), preview.messages[-3:]
    assert preview.version == version + 1
    refreshed = files_of(site)
    cold = cold_html(preview.root, tmp_path / "cold-after")
    changes = {name for name in differing(before, cold) if not name.startswith("pagefind/")}
    # first the pages but the single-page edition (the whole book, the slowest) …
    expected = {name for name in changes if not name.startswith("fonts/")} - {"book.html"}
    assert expected, "the edit changes the web book"
    written = {name for name in refreshed
               if name not in before or refreshed[name][1] != before[name][1]}
    assert written == expected, "exactly the files whose bytes changed are written"
    for name in set(before) - written:
        assert refreshed[name] == before[name], f"{name} was left alone"
    if edit is one_word:  # its chapter's page, no other
        assert len(written) == 1 and written < {n for n in before if n.endswith(".html")}

    # … then the single-page edition, the fonts and the search index
    preview.settle()
    settled = files_of(site)
    later = {name for name in settled if not name.startswith("pagefind/")
             and (name not in refreshed or settled[name][1] != refreshed[name][1])}
    assert later == changes - written
    assert "book.html" in later
    assert {name: data for name, (data, _) in settled.items()} == \
        {name: data for name, (data, _) in cold.items()}, "settled: the cold build's bytes"
    assert preview.version == version + 1, "the version moves once a save"
    # what the up-to-date record now says is true: a build has nothing to do
    messages: list[str] = []
    build(preview.root, preview.output, ["html"], messages.append)
    assert "up to date: nothing to build" in messages


def new_title(book: Path) -> str:
    path = book / "book.yaml"
    text = path.read_text()
    path.write_text(re.sub(r"^title: (.+)$", r"title: \1, revised", text, count=1,
                           flags=re.M))
    return "book.yaml"


def test_a_setting_every_page_shows_remakes_every_page(preview, tmp_path):
    site = preview.output / "html"
    before = files_of(site)
    new_title(preview.root)
    assert preview.refresh()
    preview.settle()
    cold = cold_html(preview.root, tmp_path / "cold")
    assert {n: d for n, (d, _) in files_of(site).items()} == {n: d for n, (d, _) in cold.items()}
    pages = {name for name in before if name.endswith(".html")}
    assert pages <= differing(before, cold), "the title is on every page"


def test_a_link_follows_its_target_to_another_page(preview, tmp_path):
    site = preview.output / "html"
    first, linking, last = (chapter(preview.root, n) for n in (1, 3, 5))
    target = "\n\nA [moving target]{#moving-target} here.\n"
    first.write_text(first.read_text() + target)
    linking.write_text(linking.read_text() + "\n\nSee [the target](#moving-target).\n")
    assert preview.refresh(), preview.messages[-3:]
    preview.settle()

    def pointed() -> set[bytes]:
        return {match for path in site.glob("*.html") if path.name != "book.html"
                for match in re.findall(rb'href="([^"#]*)#moving-target"', path.read_bytes())}

    was = pointed()
    # the anchor moves to another chapter; the linking chapter's text stays as it is
    first.write_text(first.read_text().replace(target, ""))
    last.write_text(last.read_text() + target)
    assert preview.refresh(), preview.messages[-3:]
    preview.settle()
    cold = cold_html(preview.root, tmp_path / "cold")
    assert {n: d for n, (d, _) in files_of(site).items()} == {n: d for n, (d, _) in cold.items()}
    now = pointed()
    assert len(was) == len(now) == 1 and was != now, (was, now)


def test_the_cycle_collector_waits_until_the_version_has_moved(preview):
    version = preview.version
    collections: list[int] = []  # the version at each collection
    gc.callbacks.append(lambda phase, info: collections.append(preview.version))
    try:
        one_word(preview.root)
        assert preview.refresh(), preview.messages[-3:]
        gc.collect()
        assert collections and all(seen == version + 1 for seen in collections), \
            "no collection while the save is read and written"
        assert gc.isenabled()
    finally:
        gc.callbacks.pop()


def test_what_serve_keeps_does_not_grow_with_the_saves(preview):
    """Each save keeps the readings of what changed and forgets those it replaced:
    after many saves of a chapter, serve holds what it held after the first."""
    path = chapter(preview.root, 2)
    text = path.read_text()
    held = []
    for word in ("first", "second", "third", "fourth"):
        path.write_text(text.replace(" the ", f" the {word} ", 1))
        assert preview.refresh(), preview.messages[-3:]
        held.append(sum(len(table.entries) for table in memo._TABLES))
    assert held[1:] == held[:1] * 3, held


def test_the_watcher_moves_the_version_once_a_save(preview):
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    try:
        time.sleep(1)  # let the watcher start
        version, settled = preview.version, preview.settled
        edited = one_word(preview.root)
        deadline = time.monotonic() + 90
        while preview.settled == settled:
            assert watcher.is_alive() and time.monotonic() < deadline, preview.messages[-5:]
            time.sleep(0.1)
        time.sleep(1)  # nothing moves it again
        assert preview.version == version + 1
        assert any(m.startswith("updated ") and f"{edited.split('-', 1)[1]}.html" in m
                   for m in preview.messages), preview.messages[-3:]
    finally:
        stop.set()
        watcher.join(timeout=10)


def test_a_bad_save_keeps_the_last_good_book_and_writes_nothing(preview, tmp_path):
    site = preview.output / "html"
    before = files_of(site)
    version = preview.version
    path = chapter(preview.root, 2)
    path.write_text(path.read_text() + "\n[a link](#no-such-place)\n")
    assert not preview.refresh()
    assert any("build failed (still serving the last good one)" in m and "L001" in m
               for m in preview.messages)
    assert preview.version == version
    assert files_of(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "output"]


def test_a_save_waits_its_turn_while_a_build_writes_the_output(preview):
    """A build holds the output folder's lock: the preview writes nothing meanwhile,
    says why, and takes the next save as usual."""
    from folio.output import locked

    site = preview.output / "html"
    before = files_of(site)
    version = preview.version
    one_word(preview.root)
    with locked(preview.output):
        assert not preview.refresh()
    assert any("another build is writing here" in m for m in preview.messages)
    assert preview.version == version and files_of(site) == before
    assert preview.refresh() and preview.version == version + 1
    assert files_of(site) != before


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _serve(book: Path, output: Path, port: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--book", str(book), "--output",
         str(output), "--port", str(port), *extra], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})


def test_a_page_reloads_when_its_own_file_is_rewritten_and_ctrl_c_ends_in_one_line(
        tmp_path):
    book = tmp_path / "book"
    shutil.copytree(MANUSCRIPT, book)
    port = _free_port()
    server = _serve(book, tmp_path / "output", port)
    base = f"http://127.0.0.1:{port}"
    try:
        page = wait_for(lambda: http_get(f"{base}/index.html"), 120)
        assert page and b"/__folio/reload.js" in page
        assert PDF_URL.encode() not in page, "no PDF link without --pdf"
        answers: dict[str, bytes | None] = {}
        seen: dict[str, bytes] = {}

        def wait_on(name: str) -> threading.Thread:
            seen[name] = http_get(f"{base}{VERSION_URL}?page={name}")
            waiting = threading.Thread(target=lambda: answers.__setitem__(name, http_get(
                f"{base}{VERSION_URL}?page={name}&seen={seen[name].decode()}", timeout=60)))
            waiting.start()
            return waiting

        # a word of a chapter: its page and the single-page edition change, not the home page
        single = wait_on("book.html")
        wait_on("index.html")
        time.sleep(1)
        assert not answers, "a version is answered only when it changes"
        one_word(book)
        single.join(timeout=60)
        assert answers.get("book.html") not in (None, seen["book.html"]), \
            "the single-page edition would not reload"
        time.sleep(2)
        # (a waiting request is answered with the same version after a while: no reload)
        assert answers.get("index.html") in (None, seen["index.html"]), \
            "the home page did not change: no reload"
    finally:
        server.send_signal(signal.SIGINT)
        said, _ = server.communicate(timeout=60)
    assert server.returncode == 130
    assert "Traceback" not in said
    assert said.rstrip().splitlines()[-1].strip() == "stopped"


@pytest.mark.slow
def test_the_pdf_follows_the_web_book_at_its_own_address(tmp_path):
    import pypdfium2

    book = tmp_path / "book"
    shutil.copytree(MANUSCRIPT, book)
    port = _free_port()
    server = _serve(book, tmp_path / "output", port, "--pdf")
    base = f"http://127.0.0.1:{port}"

    def pdf_text() -> str:
        data = http_get(f"{base}{PDF_URL}", timeout=30)
        if not data or not data.startswith(b"%PDF"):
            return ""
        document = pypdfium2.PdfDocument(data)
        return unhyphenate_pdf_text(
            " ".join(page.get_textpage().get_text_range() for page in document))

    try:
        page = wait_for(lambda: http_get(f"{base}/index.html"), 120)
        assert page and f'href="{PDF_URL}"'.encode() in page, "the preview links the PDF"
        assert wait_for(pdf_text, 240), "the PDF was never served"
        path = chapter(book, 3)
        path.write_text(path.read_text().replace(" the ", " the Zanzibarian ", 1))
        assert wait_for(lambda: "Zanzibarian" in pdf_text(), 240), "the PDF never changed"
    finally:
        server.send_signal(signal.SIGINT)
        said, _ = server.communicate(timeout=60)
    assert server.returncode == 130, said[-2000:]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book", "output"]
    assert (tmp_path / "output" / ".folio-preview").is_dir()
