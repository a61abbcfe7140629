"""The interior's parts: each section of the book laid out on its own and written to
its own PDF, kept between builds.

A part's PDF depends only on what went into it (its markup, which holds every page
number it prints of other sections, the theme, the book's images and the
toolchain), so a key made of those finds it again: after an edit, only the parts
whose markup changed are laid out again. A section of the main matter is laid out
without its folios (``folio_layer``): where it starts is not part of it. The parts
are joined into the book by ``join``. The folder of parts lives in the output
folder, carried from one build to the next; a part no build used is dropped."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..files import hash_file

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
    layer: dict | None = None  # what its folio layer needs (``folio_layer``), if any

    def meta(self) -> dict:
        return {"pages": self.pages, "anchors": self.anchors, "starts": self.starts,
                "squeezed": self.squeezed, "layer": self.layer}


class PartStore:
    """Parts by key: those of the previous build (in *previous*) are reused by hard
    link, new ones written; *current* ends up holding exactly the parts used.

    A part's PDF is written whole before its description (``<key>.json``): a part
    without one, half-written by a build that was stopped, is never reused. The
    sections of the main matter are written by the layout's workers (``pool``),
    which hand back the description (``adopt``)."""

    def __init__(self, current: Path | None = None, previous: Path | None = None,
                 environment: str = ""):
        if current is None:
            self._temporary = tempfile.TemporaryDirectory(prefix="folio-parts-")
            current = Path(self._temporary.name)
        self.current = current
        self.previous = previous
        self.environment = environment
        self.made = 0
        self.layers_made = 0
        self.reused = 0
        self._known: dict[str, Part] = {}

    def key(self, *texts: str) -> str:
        digest = hashlib.sha256(self.environment.encode())
        for text in texts:
            digest.update(b"\0" + text.encode("utf-8"))
        return digest.hexdigest()[:32]

    def path(self, key: str) -> Path:
        """Where the PDF of the part *key* is written."""
        self.current.mkdir(parents=True, exist_ok=True)
        return self.current / f"{key}.pdf"

    def get(self, key: str, counted: bool = True) -> Part | None:
        """The part *key*, made in this build or kept from the previous one (*counted*
        in ``reused``, unless a folio layer), or None."""
        if key in self._known:
            return self._known[key]
        for folder in (self.current, self.previous):
            if folder is None:
                continue
            pdf, meta = folder / f"{key}.pdf", folder / f"{key}.json"
            try:
                found = _part(self.current / pdf.name,
                              json.loads(meta.read_text(encoding="utf-8")))
            except (OSError, ValueError, KeyError, TypeError):
                continue  # missing, or written by another version: made again
            if not pdf.is_file():
                continue
            if folder is not self.current:
                self.current.mkdir(parents=True, exist_ok=True)
                for source in (pdf, meta):
                    _link(source, self.current / source.name)
                self.reused += counted
            self._known[key] = found
            return found
        return None

    def put(self, key: str, write: Callable[[Path], None], pages: int,
            anchors: dict[str, int], starts: list, squeezed: list[str] = (),
            layer: dict | None = None, counted: bool = True) -> Part:
        """The part whose PDF *write* makes at the path it is given; *squeezed* names
        the tables too wide for the measure even in smaller type (``fit``), *layer*
        what its folio layer needs (``folio_layer``); *counted* as ``adopt``."""
        part = Part(self.path(key), pages, anchors, starts, list(squeezed), layer)
        write(part.pdf)
        commit(part)
        return self.adopt(key, part.meta(), counted)

    def adopt(self, key: str, meta: dict, counted: bool = True) -> Part:
        """The part *key*, whose PDF and description (*meta*) are written; *counted*:
        one more section laid out (``made``), or else a folio layer."""
        part = _part(self.path(key), meta)
        self._known[key] = part
        if counted:
            self.made += 1
        else:
            self.layers_made += 1
        return part

    def discard(self, key: str) -> None:
        """Drop the part *key* from this build's parts (a part laid out ahead of need
        that was not needed after all)."""
        self._known.pop(key, None)
        for suffix in (".json", ".pdf"):
            (self.current / f"{key}{suffix}").unlink(missing_ok=True)

    def remember(self, name: str, value) -> None:
        """Keep *value* (JSON) for the next build, as ``recall(name)`` finds it."""
        self.current.mkdir(parents=True, exist_ok=True)
        (self.current / f"{name}.json").write_text(json.dumps(value), encoding="utf-8")

    def recall(self, name: str):
        """What the previous build kept under *name* (``remember``), or None."""
        if self.previous is None:
            return None
        try:
            return json.loads((self.previous / f"{name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None


def _part(pdf: Path, meta: dict) -> Part:
    return Part(pdf, meta["pages"], meta["anchors"], meta["starts"],
                meta.get("squeezed", []), meta.get("layer"))


def commit(part: Part) -> None:
    """The part's description, written once its PDF is complete: a part without one
    is never reused."""
    part.pdf.with_suffix(".json").write_text(json.dumps(part.meta()), encoding="utf-8")


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
