"""Skip what has not changed: each output remembers the fingerprint of everything it
was made from (the book's files, the theme, the toolchain, the build settings),
and a build whose fingerprint matches leaves that output alone.

Only regular files inside each folder (after resolving links) are read, by the
rule of ``folio.files``: a link to a file outside, a FIFO or a device anywhere in
the book's folder is not opened; its name and why it was refused count instead."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .files import hash_file, read_once
from .theme.templates import DEFAULT_TEMPLATES

CACHE_NAME = ".folio-cache.json"
_TOOLCHAIN = Path(__file__).resolve().parent


def fingerprint(root: Path, output: Path, setting: str = "") -> str:
    """A hash of every input of a build of the book in *root*."""
    digest = hashlib.sha256()
    digest.update(f"{setting}|{os.environ.get('SOURCE_DATE_EPOCH', '')}".encode())
    output = output.resolve()
    with read_once():  # each folder resolved once, not once a file
        for folder in (root.resolve(), DEFAULT_TEMPLATES, _TOOLCHAIN):
            for path in sorted(_files(folder, output)):
                digest.update(str(path.relative_to(folder)).encode() + b"\0")
                digest.update(hash_file(path, folder))
    return digest.hexdigest()


def _files(folder: Path, output: Path):
    for directory, subdirs, files in os.walk(folder):
        here = Path(directory)
        subdirs[:] = [d for d in subdirs if not d.startswith((".", "__pycache__"))
                      and (here / d).resolve() != output]
        for name in files:
            if not name.startswith(".") and not name.endswith(".pyc"):
                yield here / name


def load(output: Path) -> dict[str, str]:
    try:
        data = json.loads((output / CACHE_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(folder: Path, entries: dict[str, str]) -> None:
    (folder / CACHE_NAME).write_text(json.dumps(entries, indent=1, sort_keys=True),
                                     encoding="utf-8")
