"""``build.py release``: every output of a version, verified and reproducible.

Writes ``output/release/<version>/``: the PDFs (screen, print, cover), the EPUB,
the web book and the handouts as zip files, each named ``<slug>-<version>…``,
with ``SHA256SUMS``, ``manifest.json`` and ``RELEASE-NOTES.md`` (the version's
section of the book's ``CHANGELOG.md``). With ``SOURCE_DATE_EPOCH`` set (by
default to the time of the last commit) two releases of one commit are
byte-identical."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from repro_zipfile import ReproducibleZipFile

from . import formats
from .build import build
from .errors import BuildError
from .files import read_text
from .gitsource import read_head
from .output import staged
from .read.config import BookConfig, load_config

CHANGELOG = "CHANGELOG.md"
MEDIA_TYPES = {".pdf": "application/pdf", ".epub": "application/epub+zip",
               ".zip": "application/zip", ".md": "text/markdown", ".json": "application/json"}


def release(root: Path, output: Path,
            progress: Callable[[str], None] = lambda message: None) -> Path:
    """Build the release of the book in *root* into ``<output>/release/<version>/``."""
    config = load_config(root)
    check_tag(config)
    notes = release_notes(root, config.version)
    commit, epoch = _source(root)
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))
    epoch = int(os.environ["SOURCE_DATE_EPOCH"])
    released = [name for name, declared in formats.registry().items() if declared.release]
    with tempfile.TemporaryDirectory() as scratch, staged(output / "release") as staging:
        built = Path(scratch) / "output"
        build(config, built, released, progress)
        folder = staging / config.version
        folder.mkdir()
        names = output_names_for_release(built, config, released)
        for source, name in names.items():
            if source.is_dir():
                zip_folder(source, folder / name, epoch)
            else:
                shutil.copyfile(source, folder / name)
        (folder / "RELEASE-NOTES.md").write_text(notes, encoding="utf-8")
        write_manifest(folder, config, commit, epoch)
        write_checksums(folder)
    progress(f"release {config.version} in {_relative(output / 'release' / config.version)}")
    return output / "release" / config.version


def output_names_for_release(built: Path, config: BookConfig,
                             released: list[str]) -> dict[Path, str]:
    """Each file or folder the *released* formats made in *built*, and its name in the
    release: ``<slug>…`` becomes ``<slug>-<version>…``; a folder becomes a zip,
    ``<slug>-<version>-<folder>.zip``. BuildError when one was not made."""
    slug, stem = config.slug, f"{config.slug}-{config.version}"
    files: dict[Path, str] = {}
    for name in released:
        for made in formats.get(name).output_names(slug):
            source = built / made
            if made.startswith(slug) and Path(made).suffix:
                files[source] = stem + made[len(slug):]
            else:
                files[source] = f"{stem}-{made}.zip"
    missing = [str(p) for p in files if not p.exists()]
    if missing:
        raise BuildError(f"the build did not make {', '.join(missing)}")
    return files


def check_tag(config: BookConfig) -> None:
    """Building from a tag ``vX.Y.Z``: it must name the version in book.yaml."""
    tag = _current_tag(config.root)
    if tag is None:
        return
    version = tag[1:] if tag.startswith("v") else tag
    if version != config.version:
        raise BuildError(f"the tag '{tag}' does not match version '{config.version}': change "
                         "one of them", config.path, config.line_of("version"))


def release_notes(root: Path, version: str) -> str:
    """The section of CHANGELOG.md whose heading names *version*."""
    path = root / CHANGELOG
    if not (path.exists() or path.is_symlink()):
        raise BuildError("a release needs a CHANGELOG.md beside book.yaml, with a section "
                         f"'## {version}'", path)
    lines = read_text(path, [root], what="changelog").splitlines()
    heading = re.compile(rf"^##\s+\[?v?{re.escape(version)}\]?(\s|$)")
    start = next((i for i, line in enumerate(lines) if heading.match(line)), None)
    if start is None:
        raise BuildError(f"CHANGELOG.md has no section for version {version} ('## {version} – "
                         "date')", path)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")),
               len(lines))
    return "\n".join(lines[start:end]).strip() + "\n"


def zip_folder(folder: Path, target: Path, epoch: int) -> None:
    """A reproducible zip of *folder*: sorted entries, every one dated *epoch*."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", str(epoch))
    with ReproducibleZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())


def write_manifest(folder: Path, config: BookConfig, commit: str, epoch: int) -> None:
    files = [{"name": p.name, "size": p.stat().st_size, "sha256": _sha256(p),
              "media_type": MEDIA_TYPES.get(p.suffix, "application/octet-stream")}
             for p in sorted(folder.iterdir())]
    manifest = {
        "book": {"title": config.title, "subtitle": config.subtitle, "author": config.author,
                 "language": config.language, "identifier": config.identifier,
                 "publisher": config.publisher},
        "version": config.version,
        "source_commit": commit,
        "build_date": dt.datetime.fromtimestamp(epoch, tz=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "files": files,
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False)
                                          + "\n", encoding="utf-8")


def write_checksums(folder: Path) -> None:
    lines = [f"{_sha256(p)}  {p.name}" for p in sorted(folder.iterdir()) if p.is_file()]
    (folder / "SHA256SUMS").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _source(root: Path) -> tuple[str, int]:
    """The commit the release is built from and its time (the default build date)."""
    head = read_head(root)
    if head is None:
        return "unknown", int(dt.datetime.now().timestamp())
    return head.commit, head.time


def _current_tag(root: Path) -> str | None:
    if os.environ.get("GITHUB_REF_TYPE") == "tag":
        return os.environ.get("GITHUB_REF_NAME") or None
    head = read_head(root)
    return head.tag if head is not None else None


def _relative(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


__all__ = ["release", "check_tag", "release_notes"]
