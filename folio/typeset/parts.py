"""The interior's parts: each section of the book laid out on its own and written to
its own PDF, kept between builds.

A part's PDF depends only on what went into it (its markup, which holds every page
number it prints, the page it starts on, the theme, the book's images and the
toolchain), so a key made of those finds it again: after an edit, only the parts
whose markup changed are laid out again. The parts are joined into the book by
``joinpdf``. The folder of parts lives in the output folder, carried from one
build to the next; a part no build used is dropped."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError
from ..files import hash_file
from ..forks import fork_is_safe

PARTS_FOLDER = ".folio-parts"


@dataclass
class Part:
    """One section's pages as a PDF (tagged; a link to another part names its target,
    which the part's PDF holds as a stand-in destination on its first page)."""

    pdf: Path
    pages: int
    anchors: dict[str, int]  # anchor -> page of the part it begins on, from 0
    starts: list[list[str] | None]  # each page's first text line: [block key, words]
    squeezed: list[str] = field(default_factory=list)  # tables too wide even when smaller

    def meta(self) -> dict:
        return {"pages": self.pages, "anchors": self.anchors, "starts": self.starts,
                "squeezed": self.squeezed}


class PartStore:
    """Parts by key: those of the previous build (in *previous*) are reused by hard
    link, new ones written; *current* ends up holding exactly the parts used.

    New parts' PDFs are written in a forked process while this one lays out the
    next parts (WeasyPrint works on one core; writing is a third of its time): one
    writer at a time takes every part laid out since the last one started. While
    this process runs another thread, parts are written here instead (``forks``).

    A writer's error is kept and raised by ``finish``, never by ``put``: where it
    surfaces must not depend on how fast the writer was. Once one part has failed,
    no further part is written; ``failed`` lets a caller stop laying out early."""

    def __init__(self, current: Path | None = None, previous: Path | None = None,
                 environment: str = "", parallel: bool = True):
        if current is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="folio-parts-")
            current = Path(self._temporary.name)
        self.current = current
        self.previous = previous
        self.environment = environment
        self.parallel = parallel
        self.made = 0
        self.reused = 0
        self._known: dict[str, Part] = {}
        self._writing: _Writer | None = None
        self._queue: list[tuple[Callable[[Path], None], Part]] = []
        self._error: BuildError | None = None

    def key(self, *texts: str) -> str:
        digest = hashlib.sha256(self.environment.encode())
        for text in texts:
            digest.update(b"\0" + text.encode("utf-8"))
        return digest.hexdigest()[:32]

    def get(self, key: str) -> Part | None:
        if key in self._known:
            return self._known[key]
        for folder in (self.current, self.previous):
            if folder is None:
                continue
            pdf, meta = folder / f"{key}.pdf", folder / f"{key}.json"
            try:
                data = json.loads(meta.read_text(encoding="utf-8"))
                found = Part(self.current / pdf.name, data["pages"], data["anchors"],
                             data["starts"], data.get("squeezed", []))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # missing, or written by another version: made again
            if not pdf.is_file():
                continue
            if folder is not self.current:
                self.current.mkdir(parents=True, exist_ok=True)
                for source in (pdf, meta):
                    _link(source, self.current / source.name)
                self.reused += 1
            self._known[key] = found
            return found
        return None

    def put(self, key: str, write: Callable[[Path], None], pages: int,
            anchors: dict[str, int], starts: list, squeezed: list[str] = ()) -> Part:
        """The part whose PDF *write* makes at the path it is given; *squeezed* names
        the tables too wide for the measure even in smaller type (``fit``)."""
        self.current.mkdir(parents=True, exist_ok=True)
        part = Part(self.current / f"{key}.pdf", pages, anchors, starts, list(squeezed))
        self._queue.append((write, part))
        if self._error is not None:
            self._queue.clear()  # the build fails at finish; writing more is waste
        elif not (self.parallel and fork_is_safe()):
            self._keep_error(self._write_queue)
        elif self._writing is None or self._writing.done():
            self._keep_error(self._collect)
            if self._error is None:
                self._writing, self._queue = _Writer(self._queue), []
        self._known[key] = part
        self.made += 1
        return part

    @property
    def failed(self) -> bool:
        """Whether a part has failed to be written (``finish`` will raise)."""
        return self._error is not None

    def _keep_error(self, action: Callable[[], None]) -> None:
        try:
            action()
        except BuildError as error:
            self._error = self._error or error
            self._queue.clear()

    def _write_queue(self) -> None:
        while self._queue:
            write, part = self._queue.pop(0)
            write(part.pdf)
            _commit(part)

    def _collect(self) -> None:
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.wait()

    def finish(self) -> None:
        """Every part written: this process writes the queued ones while the writer
        finishes its own. Raises the first error of any writer (BuildError)."""
        if self._error is None:
            self._keep_error(self._write_queue)
        self._keep_error(self._collect)
        if self._error is not None:
            raise self._error

    def abandon(self) -> None:
        self._queue.clear()
        writing, self._writing = self._writing, None
        if writing is not None:
            writing.process.kill()
            writing.process.join()


def _commit(part: Part) -> None:
    """The part's description, written once its PDF is complete: a part without one
    is never reused."""
    part.pdf.with_suffix(".json").write_text(json.dumps(part.meta()), encoding="utf-8")


class _Writer:
    """A forked process writing the PDFs of some parts, one after the other."""

    def __init__(self, jobs: list[tuple[Callable[[Path], None], Part]]):
        context = multiprocessing.get_context("fork")
        self.parts = [part for _, part in jobs]
        self.receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=_write_child, args=(jobs, send), daemon=True)
        self.process.start()
        send.close()

    def done(self) -> bool:
        return self.receive.poll()

    def wait(self) -> None:
        try:
            message = self.receive.recv()
        except EOFError:
            message = f"the process writing the PDF stopped ({self.process.exitcode})"
        self.process.join()
        if message is not None:  # an error the child met: BuildError, OSError or a text
            raise message if isinstance(message, Exception) else BuildError(message)
        for part in self.parts:
            _commit(part)


def _write_child(jobs: list[tuple[Callable[[Path], None], Part]], send) -> None:
    try:
        for write, part in jobs:
            write(part.pdf)
        send.send(None)
    except (BuildError, OSError) as error:  # the parent reports them as its own
        send.send(error)
    except BaseException as error:  # noqa: BLE001 - reported by the parent
        send.send(f"a part of the PDF could not be written: {type(error).__name__}: {error}")
    finally:
        os._exit(0)  # leave the parent's state (open files, atexit hooks) alone


def _link(source: Path, target: Path) -> None:
    if target.exists():
        return
    try:
        os.link(source, target)
    except OSError:
        target.write_bytes(source.read_bytes())


def environment_digest(folders: list[tuple[Path, Path]], files: list[tuple[Path, Path]],
                       *extra: str) -> str:
    """A hash of what every part depends on besides its markup: the theme's and the
    toolchain's files, the book's images and *extra* settings. *folders* and *files*
    come as (path, the folder it must be inside), each file read by the rule of
    ``folio.files`` (a refused one counts by the reason, unread)."""
    digest = hashlib.sha256("|".join(extra).encode())
    paths: list[tuple[str, Path, Path]] = []
    for folder, root in folders:
        for directory, subdirs, names in os.walk(folder):
            subdirs[:] = sorted(d for d in subdirs if not d.startswith((".", "__pycache__")))
            for name in sorted(names):
                if not name.startswith(".") and not name.endswith(".pyc"):
                    path = Path(directory) / name
                    paths.append((str(path.relative_to(folder)), path, root))
    paths += [(path.name, path, root) for path, root in files]
    for name, path, root in paths:
        digest.update(name.encode() + b"\0")
        digest.update(hash_file(path, root))
    return digest.hexdigest()
