"""``build.py serve``: the web book on 127.0.0.1, rebuilt when the manuscript or the
theme changes, and reloaded in the browser when the rebuild is done."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from pathlib import Path

from .build import build
from .errors import BuildError
from .theme.templates import DEFAULT_TEMPLATES

RELOAD_SCRIPT = """\
(function () {
  var seen = null;
  function poll() {
    fetch('/__folio/version', {cache: 'no-store'}).then(function (r) { return r.text(); })
      .then(function (v) { if (seen !== null && v !== seen) { location.reload(); } seen = v; })
      .catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""


class Preview:
    """The rebuild loop's state, shared with the HTTP handler."""

    def __init__(self, root: Path, output: Path, formats: list[str],
                 progress: Callable[[str], None]):
        self.root, self.output, self.formats, self.progress = root, output, formats, progress
        self.version = 0
        self.lock = threading.Lock()

    def rebuild(self) -> bool:
        """Build the web book; False, with the reason reported, when it failed. Never
        raises (but for Ctrl-C): the watcher that calls it must outlive any bad save."""
        with self.lock:
            try:
                build(self.root, self.output, self.formats, self.progress)
            except BuildError as error:
                self.progress(f"build failed (still serving the last good one):\n"
                              f"{error.format(relative_to=Path.cwd())}")
                return False
            except Exception as error:  # noqa: BLE001 - a bug: say so, keep watching
                self.progress(f"build failed (still serving the last good one): internal "
                              f"error: {type(error).__name__}: {error}")
                return False
            self.version += 1
            return True

    def watch(self, stop: threading.Event) -> None:
        from watchfiles import watch

        folders = [self.root, DEFAULT_TEMPLATES]
        for changes in watch(*folders, stop_event=stop, debounce=300,
                             watch_filter=lambda change, path: not _ignored(path, self.output)):
            names = sorted({Path(path).name for _, path in changes})
            self.progress(f"changed: {', '.join(names)}; rebuilding")
            self.rebuild()


def _ignored(path: str, output: Path) -> bool:
    parts = Path(path).parts
    return (path.startswith(str(output)) or any(p.startswith(".") for p in parts)
            or path.endswith(("~", ".swp", ".tmp")))


class _Handler(http.server.SimpleHTTPRequestHandler):
    preview: Preview

    def do_GET(self):  # noqa: N802 - the stdlib's name
        if self.path == "/__folio/version":
            return self._send(str(self.preview.version).encode(), "text/plain")
        if self.path == "/__folio/reload.js":
            return self._send(RELOAD_SCRIPT.encode(), "text/javascript")
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes().replace(
                b"</body>", b'<script src="/__folio/reload.js"></script></body>', 1)
            return self._send(page, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, media_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def serve(root: Path, output: Path, port: int, pdf: bool,
          progress: Callable[[str], None] = print) -> None:
    preview = Preview(root, output, ["html", "pdf"] if pdf else ["html"], progress)
    # Watch from the start, so that nothing saved during the first build is missed.
    stop = threading.Event()
    watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
    watcher.start()
    if not preview.rebuild() and not (output / "html").is_dir():
        stop.set()
        raise BuildError("nothing to serve until the book builds: fix the errors above")
    handler = functools.partial(type("Handler", (_Handler,), {"preview": preview}),
                                directory=str(output / "html"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    progress(f"serving http://127.0.0.1:{server.server_port}/ (Ctrl-C to stop)")
    try:
        server.serve_forever()
    finally:
        stop.set()
        server.server_close()
