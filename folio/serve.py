"""``build.py serve``: the web book on 127.0.0.1, updated when the manuscript or the
theme changes, and reloaded in the browser as soon as the changed pages are written.

After a save (see ``folio.livesite``): the book is read again, only the pages whose
bytes changed are written, the version moves (open pages, waiting on
``/__folio/version``, reload at once); then, in the same loop, the fonts, the
search index and the up-to-date record follow. With ``--pdf`` the PDF is made after
each web update by a separate process (it never delays the web book), in the output
folder's ``.folio-preview/``, and served at ``/__folio/pdf``, which every page of the
preview links to."""

from __future__ import annotations

import functools
import gc
import http.server
import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from . import formats
from .check import loaded_config
from .errors import BuildError
from .livesite import SITE, LiveSite
from .theme.templates import DEFAULT_TEMPLATES
from .typeset.parts import PARTS_FOLDER

VERSION_URL = "/__folio/version"
PDF_URL = "/__folio/pdf"
PDF_FOLDER = ".folio-preview"  # the preview's PDF build, inside the output folder
PDF_WAIT = 600.0  # seconds a request for the PDF waits for the first one to be made
LONG_POLL = 25.0  # seconds a version request waits for a change before answering
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".woff", ".woff2")

# Asks for its own page's version (the save that last rewrote it, and the last that
# rewrote a stylesheet, script, image or font), which the server answers when it
# differs from the one seen (or after LONG_POLL seconds): a page reloads as soon as
# its own file is rewritten, and only then.
RELOAD_SCRIPT = """\
(function () {
  var seen = null;
  var page = decodeURIComponent(location.pathname).replace(/^\\/+/, '');
  if (page === '' || page.slice(-1) === '/') { page += 'index.html'; }
  function poll() {
    var url = 'VERSION_URL?page=' + encodeURIComponent(page)
      + (seen === null ? '' : '&seen=' + encodeURIComponent(seen));
    fetch(url, {cache: 'no-store'}).then(function (r) { return r.text(); })
      .then(function (v) {
        if (seen !== null && v !== seen) { location.reload(); return; }
        seen = v; poll();
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
""".replace("VERSION_URL", VERSION_URL)

PDF_LINK = (f'<a href="{PDF_URL}" style="position:fixed;right:1rem;bottom:1rem;z-index:9;'
            'padding:.3em .6em;background:#222;color:#fff;border-radius:.3em;'
            'font:14px sans-serif">PDF</a>')


class Preview:
    """The rebuild loop's state, shared with the HTTP handler: *formats* is ``["html"]``,
    or ``["html", "pdf"]`` for the PDF too."""

    def __init__(self, root: Path, output: Path, formats: list[str],
                 progress: Callable[[str], None]):
        self.root, self.output, self.progress = root, output, progress
        self.pdf = PdfPreview(root, output, progress) if "pdf" in formats else None
        self.live = LiveSite(root, output, progress)
        self.version = 0
        self.changed = threading.Condition()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.settled = 0  # how many updates have been settled (search index and all)
        # the version that last rewrote each page, and any other file of the site
        self.page_versions: dict[str, int] = {}
        self.asset_version = 0

    def rebuild(self) -> bool:
        """Bring the web book up to date and settle it; False, with the reason
        reported, when it failed. Never raises (but for Ctrl-C)."""
        done = self.refresh()
        if done:
            self.settle()
        return done

    def refresh(self) -> bool:
        """Write the pages that changed and move the version (once); False, with the
        reason reported, when the book could not be read or made: the last good web
        book stays served. Never raises (but for Ctrl-C): the watcher that calls it
        must outlive any bad save. Python's cycle collector waits until the version
        has moved: on a long book's heap, collections in the middle of a save took a
        tenth of it while the reader waited."""
        with self.lock, _collector_paused():
            started = time.perf_counter()
            try:
                changed = self.live.update()
            except BuildError as error:
                self._failed(error.format(relative_to=Path.cwd()))
                return False
            except Exception as error:  # noqa: BLE001 - a bug: say so, keep watching
                self._failed(f"internal error: {type(error).__name__}: {error}")
                return False
            with self.changed:
                self.version += 1
                self._mark(changed)
                self.changed.notify_all()
            self.progress(f"updated {_count(changed)} in "
                          f"{time.perf_counter() - started:.2f} s")
        if self.pdf is not None:
            self.pdf.wanted.set()
        return True

    def settle(self) -> None:
        """The single-page edition, the fonts, the search index and the up-to-date
        record, after the pages; a failure is reported (``settling failed …``)."""
        with self.lock:
            started = time.perf_counter()
            try:
                written = self.live.settle()
                with self.changed:
                    self._mark(written)
                    self.changed.notify_all()
                self.progress(f"then {_count(written)} and the search index in "
                              f"{time.perf_counter() - started:.2f} s")
            except BuildError as error:
                self._failed(error.format(relative_to=Path.cwd()), "settling")
            except Exception as error:  # noqa: BLE001 - a bug: say so, keep watching
                self._failed(f"internal error: {type(error).__name__}: {error}",
                             "settling")
            self.settled += 1

    def _mark(self, names: list[str]) -> None:
        for name in names:
            if name.endswith(".html"):
                self.page_versions[name] = self.version
            else:
                self.asset_version = self.version

    def page_state(self, page: str) -> str:
        """What a page waits on: the versions that last rewrote it and the site's
        other files."""
        return f"{self.page_versions.get(page, 0)}.{self.asset_version}"

    def _failed(self, reason: str, what: str = "build") -> None:
        if not self.stopping.is_set():
            self.progress(f"{what} failed (still serving the last good one):\n{reason}")

    def wait_for_change(self, seen: str | None, page: str | None = None,
                        timeout: float = LONG_POLL) -> str:
        """The version (of *page*, see :meth:`page_state`; of the site without one),
        once it differs from *seen* (or after *timeout* seconds); at once without
        *seen*."""
        def state() -> str:
            return str(self.version) if page is None else self.page_state(page)

        with self.changed:
            if seen is not None:
                self.changed.wait_for(lambda: state() != seen, timeout)
            return state()

    def watch(self, stop: threading.Event) -> None:
        from watchfiles import watch

        folders = [self.root, DEFAULT_TEMPLATES]
        for changes in watch(*folders, stop_event=stop, debounce=300,
                             watch_filter=lambda change, path: not _ignored(path, self.output)):
            names = sorted({Path(path).name for _, path in changes})
            if any(name.endswith(FONT_SUFFIXES) for name in names):
                self.live.font_key = None
            self.progress(f"changed: {', '.join(names)}; rebuilding")
            if self.refresh():
                self.settle()


class PdfPreview:
    """The PDF, made after each web update by ``build.py pdf`` in a process of its own
    (in its own session: Ctrl-C in the terminal is the server's alone), into the
    output folder's ``.folio-preview/``; a save during a build asks for one more."""

    def __init__(self, root: Path, output: Path, progress: Callable[[str], None]):
        self.root, self.progress = root, progress
        self.folder = output / PDF_FOLDER
        self.output = output
        self.wanted = threading.Event()
        self.process: subprocess.Popen | None = None
        self.path: Path | None = None  # the last good PDF
        self.tried = threading.Event()  # set once the first build has ended, well or not

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if not self.wanted.wait(0.5):
                continue
            self.wanted.clear()
            self._build(stop)

    def _build(self, stop: threading.Event) -> None:
        try:
            self._make(stop)
        finally:
            self.tried.set()

    def _make(self, stop: threading.Event) -> None:
        self._seed()
        started = time.perf_counter()
        package = Path(__file__).resolve().parent.parent
        command = [sys.executable, "-m", "folio", "pdf", "--screen-only", "--book",
                   str(self.root), "--output", str(self.folder), "--quiet"]
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(
                [str(package), *filter(None, [os.environ.get("PYTHONPATH")])])})
        said, _ = self.process.communicate()
        code, self.process = self.process.returncode, None
        if stop.is_set():
            return
        if code != 0:
            self.progress(f"PDF failed (still serving the last good one):\n{said.strip()}")
            return
        try:
            slug = loaded_config(self.root).slug
        except BuildError:
            return  # book.yaml changed since: the web book's update reports it
        self.path = self.folder / formats.get("pdf").output_name(slug)
        self.progress(f"PDF updated in {time.perf_counter() - started:.1f} s: {PDF_URL}")

    def _seed(self) -> None:
        """The first preview PDF starts from the sections the last build laid out."""
        kept, parts = self.output / PARTS_FOLDER, self.folder / PARTS_FOLDER
        if kept.is_dir() and not parts.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            shutil.copytree(kept, parts, copy_function=os.link)

    def stop(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off while it lasts (unless it was off already)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _count(changed: list[str]) -> str:
    if not changed:
        return "no page (nothing changed)"
    shown = ", ".join(changed[:4]) + (" …" if len(changed) > 4 else "")
    return f"{len(changed)} file{'s' if len(changed) > 1 else ''} ({shown})"


def _ignored(path: str, output: Path) -> bool:
    parts = Path(path).parts
    return (path.startswith(str(output)) or any(p.startswith(".") for p in parts)
            or path.endswith(("~", ".swp", ".tmp")))


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview

    def do_GET(self):  # noqa: N802 - the stdlib's name
        url = urlsplit(self.path)
        if url.path == VERSION_URL:
            query = parse_qs(url.query)
            version = self.preview.wait_for_change(
                (query.get("seen") or [None])[0], (query.get("page") or [None])[0])
            return self._send(version.encode(), "text/plain")
        if url.path == "/__folio/reload.js":
            return self._send(RELOAD_SCRIPT.encode(), "text/javascript")
        if url.path == PDF_URL:
            return self._pdf()
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            added = '<script src="/__folio/reload.js"></script>'
            if self.preview.pdf is not None:
                added = PDF_LINK + added
            page = path.read_bytes().replace(b"</body>", added.encode() + b"</body>", 1)
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _pdf(self) -> None:
        pdf = self.preview.pdf
        if pdf is not None and pdf.path is None:
            pdf.tried.wait(PDF_WAIT)  # the first PDF is being made: answer when it is
        path = pdf.path if pdf is not None else None
        try:
            body = path.read_bytes() if path is not None else None
        except OSError:
            body = None
        if body is None:
            message = ("no PDF yet: the book has not built (see the terminal)"
                       if pdf is not None else "serve without --pdf makes no PDF")
            return self._send(message.encode(), "text/plain; charset=utf-8", 404)
        return self._send(body, "application/pdf")

    def _send(self, body: bytes, media_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A reader that closed its page while waiting (a version's long poll) is no
        error; anything else is reported as the standard library does."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def serve(root: Path, output: Path, port: int, pdf: bool,
          progress: Callable[[str], None] = print) -> None:
    preview = Preview(root, output, ["html", "pdf"] if pdf else ["html"], progress)
    # Watch from the start, so that nothing saved during the first build is missed.
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    if preview.pdf is not None:
        threading.Thread(target=preview.pdf.run, args=(stop,), daemon=True).start()
    if not preview.rebuild() and not (output / SITE).is_dir():
        stop.set()
        raise BuildError("nothing to serve until the book builds: fix the errors above")
    handler = functools.partial(type("Handler", (_Handler,), {"preview": preview}),
                                directory=str(output / SITE))
    server = _Server(("127.0.0.1", port), handler)
    progress(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop)"
             + (f"; the PDF at http://127.0.0.1:{server.server_port}{PDF_URL}" if pdf else ""))
    try:
        server.serve_forever()
    finally:
        preview.stopping.set()
        stop.set()
        if preview.pdf is not None:
            preview.pdf.stop()
        server.server_close()
