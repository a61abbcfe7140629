"""The build reads only the book's own files and fetches nothing: every escape
attempt fails with a located message, nothing secret reaches an output, and an
interrupted build leaves output/ as it was."""

from __future__ import annotations

import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, ROOT, SAMPLE, snapshot, tiny_png, write_book

from folio.build import build
from folio.check import check_manuscript
from folio.errors import BuildError

SECRET = "SECRET-7f3a-do-not-publish"


@pytest.fixture
def secret(tmp_path) -> Path:
    path = tmp_path / "outside" / "secret.png"
    path.parent.mkdir()
    path.write_bytes(tiny_png() + SECRET.encode())
    (path.parent / "secret.txt").write_text(SECRET)
    return path


class _Recorder(http.server.BaseHTTPRequestHandler):
    contacted: list[str] = []

    def do_GET(self):  # noqa: N802 - the stdlib's name
        self.contacted.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(tiny_png())

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Recorder.contacted = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}", _Recorder.contacted
    httpd.shutdown()


def _attempt(tmp_path, chapter: str | tuple[str, dict[str, str]],
             formats=("pdf", "epub", "html")) -> BuildError:
    chapter, files = chapter if isinstance(chapter, tuple) else (chapter, {})
    book = write_book(tmp_path / "book", MINIMAL_CONFIG, chapter, files)
    output = tmp_path / "output"
    with pytest.raises(BuildError) as raised:
        build(book, output, list(formats))
    assert not output.exists() or SECRET.encode() not in b"".join(snapshot(output).values())
    return raised.value


def _chapter(body: str) -> str:
    return f"# One {{#one}}\n\nSome text.\n\n{body}\n"


def _theme_css(rule: str) -> tuple[str, dict[str, str]]:
    """A chapter and the book's own print stylesheet, which holds *rule*."""
    return _chapter(""), {"templates/css/book.css": rule}


def test_absolute_file_path_is_refused(tmp_path, secret):
    error = _attempt(tmp_path, _chapter(f"![A secret]({secret})"))
    assert error.format().startswith(str(tmp_path / "book" / "chapters" / "one.md") + ":5")


def test_file_url_is_refused(tmp_path):
    # A file: URL never survives the cleaning of the HTML: the image goes, with a warning.
    book = write_book(tmp_path / "book", MINIMAL_CONFIG,
                      _chapter("![Passwords](file:///etc/passwd)"))
    findings = check_manuscript(book).findings
    assert any(f.code == "S005" and f.line == 5 and "file:///etc/passwd" in f.message
               for f in findings)
    made = build(book, tmp_path / "output", ["html"])
    assert "passwd" not in (made["html"] / "one.html").read_text()


def test_parent_folder_escape_is_refused(tmp_path, secret):
    error = _attempt(tmp_path, _chapter("![A secret](../../outside/secret.png)"))
    assert "outside the book" in error.format()


def test_symlink_out_of_the_book_is_refused(tmp_path, secret):
    book = write_book(tmp_path / "book", MINIMAL_CONFIG, _chapter("![Linked](images/link.png)"))
    (book / "images").mkdir()
    (book / "images" / "link.png").symlink_to(secret)
    with pytest.raises(BuildError) as raised:
        build(book, tmp_path / "output", ["html"])
    assert "outside the book" in raised.value.format()
    assert not (tmp_path / "output").exists()


def test_device_file_is_refused_at_once(tmp_path):
    started = time.monotonic()
    _attempt(tmp_path, _chapter("![Noise](/dev/urandom)"))
    _attempt(tmp_path / "css", _theme_css("body { background: url(file:///dev/urandom) }"))
    assert time.monotonic() - started < 60


def test_local_server_is_never_contacted(tmp_path, server):
    base, contacted = server
    _attempt(tmp_path, _chapter(f"![Remote]({base}/image.png)"))
    _attempt(tmp_path / "css", _theme_css(f"body {{ background: url({base}/style.png) }}"))
    build(write_book(tmp_path / "styled" / "book", MINIMAL_CONFIG, _chapter(
        f'<span style="background: url({base}/style.png)">styled</span>')),
          tmp_path / "styled" / "output", ["pdf", "epub", "html"])
    assert contacted == [], f"the build contacted the server: {contacted}"


def test_stylesheet_url_in_the_text_is_removed_at_its_line(tmp_path):
    # Only typographic properties stay in a style attribute: none can name a URL.
    book = write_book(tmp_path / "book", MINIMAL_CONFIG, _chapter(
        '<span style="background: url(file:///etc/passwd)">x</span>'))
    findings = check_manuscript(book).findings
    assert any(f.code == "S005" and f.line == 5 and "background" in f.message
               for f in findings)


def test_stylesheet_url_outside_is_refused(tmp_path):
    error = _attempt(tmp_path, _theme_css("body { background: url(file:///etc/passwd) }"))
    assert error.format().endswith("is outside the book: the build loads only the book's "
                                   "own files")


def test_metadata_is_escaped_in_every_format(tmp_path):
    config = MINIMAL_CONFIG.replace("title: A Minimal Book",
                                    "title: '<script>alert(1)</script> & \"quotes\"'")
    book = write_book(tmp_path / "book", config)
    made = build(book, tmp_path / "output", ["epub", "html"])
    import zipfile

    pages = [p.read_text() for p in made["html"].glob("*.html")]
    with zipfile.ZipFile(made["epub"]) as epub:
        pages += [epub.read(n).decode() for n in epub.namelist() if n.endswith((".xhtml", ".opf"))]
    for page in pages:
        assert "<script>alert(1)</script>" not in page
    assert any("&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page for page in pages)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_build_leaves_the_output_as_it_was(tmp_path, sig):
    output = tmp_path / "output"
    build(SAMPLE, output, ["html"])
    (output / "notes.txt").write_text("mine")
    before = snapshot(output)
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "all", "--book",
                                str(SAMPLE), "--output", str(output)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"},
                               # A runner started in the background ignores SIGINT, and so
                               # would the child: give it the terminal's default back.
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    # Wait until the build is laying out pages, then stop it.
    assert process.stderr is not None
    for line in process.stderr:
        if "laying out" in line or "rendering" in line:
            break
    time.sleep(0.5)
    process.send_signal(sig)
    process.wait(timeout=60)
    assert process.returncode != 0
    assert snapshot(output) == before
    assert not list(tmp_path.glob(".output.staging-*/*.pdf")) or sig == signal.SIGKILL
