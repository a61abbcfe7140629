"""A toolchain for any book: `new`, another book with its own templates, a chapter
in rich Markdown through every validator, and the live preview."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys

import pytest
from click.testing import CliRunner
from helpers import (
    ROOT,
    SAMPLE,
    epubcheck_report,
    http_get,
    nu_checker_report,
    tiny_png,
    wait_for,
)

from folio.build import build
from folio.check import check_manuscript
from folio.cli import main

RICH = """\
# Everything Markdown Has {#rich}

A paragraph with *emphasis*, **strong**, `code`, a [link to the start](#rich), a
[link out](https://example.org/) and a note.[^n]

## Lists {#lists}

1. First, with a nested list:
   - a
   - b
2. Second

- Unordered
- Items

## A Table {#table}

| Year | Event |
|------|-------|
| 1905 | Revolution |
| 1917 | Another |

: A caption for the table.

## Quotation and Code {#quote}

> A block quotation
> over two lines.

```python
print("code")
```

### A Figure {#figure}

![A red square, for testing](images/red.png)

#### Fourth Level {#fourth}

Text under a level-4 heading.

[^n]: The note.
"""


def test_new_book_checks_clean_and_builds(tmp_path):
    result = CliRunner().invoke(main, ["new", str(tmp_path / "my-book"), "--author",
                                       "Ann Author"])
    assert result.exit_code == 0, result.output
    book = tmp_path / "my-book"
    checked = check_manuscript(book)
    findings, model = checked.findings, checked.book
    assert not findings, [f.format(book) for f in findings]
    assert model.config.title == "My Book" and len(model.chapters) == 2
    assert len(model.notes) == 1 and model.glossary[0].uses and model.index
    assert model.chronology[0].chapters == ["beginning"]
    made = build(book, tmp_path / "output", ["pdf", "epub", "html"])
    assert all(path.exists() for path in made.values())
    again = CliRunner().invoke(main, ["new", str(book)])
    assert again.exit_code == 1 and "holds files" in again.output


@pytest.fixture(scope="module")
def themed(tmp_path_factory):
    """The sample book with a rich chapter and its own template and stylesheet."""
    root = tmp_path_factory.mktemp("themed")
    book = root / "book"
    shutil.copytree(SAMPLE, book)
    (book / "images").mkdir(exist_ok=True)
    (book / "images" / "red.png").write_bytes(tiny_png())
    (book / "chapters" / "rich.md").write_text(RICH, encoding="utf-8")
    config = (book / "book.yaml").read_text().replace(
        "    - chapters/two.md", "    - chapters/two.md\n    - chapters/rich.md")
    (book / "book.yaml").write_text(config)
    (book / "templates" / "partials").mkdir(parents=True)
    (book / "templates" / "partials" / "imprint.html").write_text(
        '<section class="imprint" aria-label="Imprint"><p id="imprint">'
        "A house imprint for {{ meta.title }}.</p></section>\n")
    (book / "templates" / "css").mkdir()
    (book / "templates" / "css" / "web.css").write_text(
        (ROOT / "templates" / "css" / "web.css").read_text() + "\n/* house style */\n")
    return build(book, root / "output", ["pdf", "epub", "html"]), book


def test_a_book_overrides_one_template_and_one_stylesheet(themed):
    made, _ = themed
    home = (made["html"] / "index.html").read_text()
    assert "A house imprint for A Sample Book." in home
    assert "/* house style */" in (made["html"] / "css" / "web.css").read_text()
    assert "A house imprint" in "".join(
        p.extract_text() for p in __import__("pypdf").PdfReader(made["pdf"]).pages[:8])


def test_rich_markdown_reaches_every_format(themed):
    made, _ = themed
    page = (made["html"] / "rich.html").read_text()
    for tag in ("<table", "<caption", "<blockquote", "<pre", "<ol", "<ul", "<h4", "<img",
                "<code", "<strong", "<em"):
        assert tag in page, tag
    assert 'alt="A red square, for testing"' in page


@pytest.mark.slow
def test_rich_markdown_passes_epubcheck_and_the_nu_checker(themed):
    made, _ = themed
    assert epubcheck_report(made["epub"]) == ""
    pages = [str(p) for p in made["html"].glob("*.html")]
    assert nu_checker_report(pages) == ""


def test_rich_markdown_pdf_is_sound(themed):
    import pikepdf

    made, _ = themed
    with pikepdf.open(made["pdf"]) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert len(pdf.pages) > 10


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_rebuilds_after_a_change_and_the_page_reloads(tmp_path):
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    port = _free_port()
    server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--book",
                               str(book), "--output", str(tmp_path / "output"), "--port",
                               str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    base = f"http://127.0.0.1:{port}"
    try:
        page = wait_for(lambda: http_get(f"{base}/first.html"), 90)
        assert page, "the preview never answered"
        assert b"/__folio/reload.js" in page, "pages load the reload script"
        version = http_get(f"{base}/__folio/version")
        chapter = book / "chapters" / "one.md"
        chapter.write_text(chapter.read_text() + "\nA sentence added while serving.\n")
        changed = wait_for(
            lambda: b"added while serving" in (http_get(f"{base}/first.html") or b""), 90)
        assert changed, "the page never showed the edit"
        # The version moves just after the new pages are published: wait for it, as an
        # open page's reload script does, rather than read it at once.
        moved = wait_for(lambda: http_get(f"{base}/__folio/version") != version, 30)
        assert moved, "open pages would not reload"
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert re.search(r"serving http://127\.0\.0\.1:\d+/", server.stdout.read())
