"""The preview's latency: `build.py serve` on a book, a word of a chapter changed and
saved, and the seconds until the served book shows it.

For each save: the time just after the write; ``/__folio/version`` polled every 20 ms
until it changes (the moment open pages reload); the chapter's page fetched and the
new word looked for in it (a version that changes before the page holds the edit does
not count: the reader would see the old page). With ``--pdf``, the PDF the served
pages link to is polled too, until it holds the new word. Between saves the server is
left to finish (its output folder still for two seconds), so that each save meets an
idle preview, as an author's next save does.
"""

from __future__ import annotations

import hashlib
import os
import queue
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

from edits import marked, token
from pdftext import holds

ROOT = Path(__file__).resolve().parents[1]
POLL = 0.02          # seconds between two requests for the version
PDF_POLL = 0.1       # seconds between two requests for the PDF (megabytes each)
QUIET = 2.0          # seconds without a write to the output folder: the server is idle
START_LIMIT = 900.0  # seconds for the first build of a large book (with its PDF)
SAVE_LIMIT = 300.0   # seconds for one save to show


@dataclass
class Latency:
    """What one serve session measured: seconds from each save to the refreshed web
    page (and to the updated PDF), and what could not be measured, with why."""
    web: list[float] = field(default_factory=list)
    pdf: list[float] = field(default_factory=list)
    pdf_skipped: str = ""
    early_versions: int = 0  # versions that changed before the page held the edit
    peak_rss: int = 0  # MiB: the serve process's largest resident size (VmHWM)

    def median(self, kind: str) -> float | None:
        runs = getattr(self, kind)
        return statistics.median(runs) if runs else None


def measure(book: Path, output: Path, chapter: Path, saves: int, pdf: bool) -> Latency:
    """Serve *book* into *output* on a free port, save *chapter* *saves* times with a word
    changed, and time each save until it shows; *pdf* serves with ``--pdf`` and times
    the PDF too. The chapter is left as it was and the server is stopped with SIGINT.
    Raises SystemExit when the server fails or an edit never shows."""
    command = [sys.executable, str(ROOT / "build.py"), "serve", "--book", str(book),
               "--output", str(output), "--port", "0", *(["--pdf"] if pdf else [])]
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout],
                     daemon=True).start()
    original = chapter.read_text()
    result = Latency()
    try:
        base = _served_at(server, lines)
        _settle(output)
        page = _page_of(base, _heading_id(original))
        pdf_url = _pdf_link(base, page) if pdf else None
        if pdf and not pdf_url:
            result.pdf_skipped = "no served page links to a PDF"
            print(f"serve --pdf: {result.pdf_skipped}; PDF refresh not measured",
                  file=sys.stderr)
        last_pdf = _digest(_get(pdf_url)) if pdf_url else ""
        salt = f"{os.getpid()}-{time.time()}"
        for save in range(saves):
            word = token(save, salt)
            version = _get(urljoin(base, "/__folio/version"))
            chapter.write_text(marked(original, word, save))
            written = time.perf_counter()
            result.web.append(_until_page_shows(base, page, version, word, written, result))
            if pdf_url:
                seconds, last_pdf = _until_pdf_shows(pdf_url, last_pdf, word, written)
                result.pdf.append(seconds)
            _settle(output)
        return result
    finally:
        result.peak_rss = _peak_rss(server.pid)
        server.send_signal(signal.SIGINT)
        try:
            if server.wait(timeout=60) not in (130, -signal.SIGINT):
                print(f"serve ended with status {server.returncode} on SIGINT, not 130",
                      file=sys.stderr)
        except subprocess.TimeoutExpired:
            print("serve did not stop within 60 s of SIGINT; killed", file=sys.stderr)
            server.kill()
            server.wait()
        chapter.write_text(original)


def _served_at(server: subprocess.Popen, lines: queue.Queue[str]) -> str:
    """The URL the server prints once its first build is done."""
    said: list[str] = []
    deadline = time.monotonic() + START_LIMIT
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            if server.poll() is not None:
                break
            continue
        said.append(line)
        if match := re.search(r"serving (http://\S+/)", line):
            return match.group(1)
    raise SystemExit("serve did not start:\n" + "".join(said[-20:]))


def _peak_rss(pid: int) -> int:
    """The largest resident size process *pid* has had (Linux's VmHWM), MiB; 0 when
    the process is gone or the system does not say."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, re.M)
    return int(match.group(1)) // 1024 if match else 0


def _get(url: str, timeout: float = 30) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.read()


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _heading_id(markdown: str) -> str:
    """The id of the chapter's first heading (``# Title {#id}``)."""
    match = re.search(r"^#+ .*\{#([\w-]+)[^}]*\}\s*$", markdown, re.M)
    if not match:
        raise SystemExit("the chapter's first heading has no id to find its page by")
    return match.group(1)


def _links(html: bytes, base: str, pattern: str) -> list[str]:
    """The URLs of *html*'s links whose path matches *pattern* (a regular expression,
    searched case-insensitively), without their fragments or queries."""
    found = re.findall(rb'href="([^"#?]+)', html)
    urls = [urljoin(base, href.decode()) for href in found
            if re.search(pattern.encode(), href, re.I)]
    return list(dict.fromkeys(urls))


def _page_of(base: str, heading: str) -> str:
    """The URL of the served page, among those the home page links to, that holds the
    element with id *heading* (the whole-book page aside)."""
    for url in _links(_get(base), base, r"\.html$"):
        if url.endswith("/book.html"):
            continue
        if f'id="{heading}"'.encode() in _get(url):
            return url
    raise SystemExit(f"no served page holds the heading #{heading}")


def _pdf_link(base: str, page: str) -> str | None:
    """The URL of the PDF that the home page or the chapter's page links to, if any: the
    first link with "pdf" in its path whose answer is a PDF (``%PDF`` first)."""
    for url in _links(_get(base), base, "pdf") + _links(_get(page), page, "pdf"):
        try:  # the first PDF of a long book takes as long as its cold build
            if _get(url, timeout=START_LIMIT).startswith(b"%PDF"):
                return url
        except OSError:  # URLError, a refused connection, a time-out
            continue
    return None


def _until_page_shows(base: str, page: str, version: bytes, word: str, written: float,
                      result: Latency) -> float:
    """Seconds from *written* until the version changes with *page* holding *word*."""
    version_url = urljoin(base, "/__folio/version")
    while time.perf_counter() - written < SAVE_LIMIT:
        time.sleep(POLL)
        now = _get(version_url)
        seen = time.perf_counter()
        if now == version:
            continue
        if word.encode() in _get(page):
            return seen - written
        version = now
        result.early_versions += 1
    raise SystemExit(f"{page}: the edit did not show within {SAVE_LIMIT:.0f} s")


def _until_pdf_shows(url: str, last: str, word: str, written: float) -> tuple[float, str]:
    """Seconds from *written* until the PDF at *url* holds *word*, and its digest."""
    while time.perf_counter() - written < SAVE_LIMIT:
        try:
            data = _get(url)
        except urllib.error.HTTPError:
            data = b""  # between an old file and its replacement
        seen = time.perf_counter()
        digest = _digest(data)
        if digest != last:
            last = digest
            if holds(data, word):
                return seen - written, digest
        time.sleep(PDF_POLL)
    raise SystemExit(f"{url}: the edit did not show within {SAVE_LIMIT:.0f} s")


def _settle(output: Path) -> None:
    """Wait until nothing in *output* or its staging folders has been written for
    :data:`QUIET` seconds (at most :data:`SAVE_LIMIT`)."""
    last, since = None, time.monotonic()
    deadline = since + SAVE_LIMIT
    while time.monotonic() < deadline:
        state = _state(output)
        if state != last:
            last, since = state, time.monotonic()
        elif time.monotonic() - since >= QUIET:
            return
        time.sleep(0.25)


def _state(output: Path) -> tuple[int, int]:
    """How many files *output* and its staging folders hold, and the latest mtime (ns)."""
    count = latest = 0
    for top in output.parent.glob(f"*{output.name}*"):
        for folder, _, files in os.walk(top):
            for name in files:
                try:
                    latest = max(latest, os.stat(os.path.join(folder, name)).st_mtime_ns)
                except FileNotFoundError:
                    continue
                count += 1
    return count, latest
