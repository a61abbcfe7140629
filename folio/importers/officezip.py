"""A Word or OpenDocument file from a stranger, checked and copied before pandoc
reads it.

A .docx or .odt is a zip archive of XML parts and media. ``unpack`` reads it with
Python's zipfile, entry by entry, within limits no real manuscript meets (the
file's size, the number of entries, the bytes they unpack to, the ratio of a
large entry's size to its compressed size: a zip bomb ends at the first), checks
every entry's CRC (so a header that lies about its size is found), refuses XML
with a document type declaration (Word and LibreOffice write none; an entity
declaration is how an "XML bomb" multiplies), leaves out entries whose names
would leave a folder, and writes what passed into a new archive that pandoc
reads. Every problem is a ``BuildError`` at the file, never a traceback."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import BuildError
from ..files import why_refused

MAX_FILE = 100 * 1024 * 1024  # the document: a 500-page manuscript with photographs is 40 MB
MAX_ENTRIES = 5_000  # parts and media (a long thesis has a few hundred)
MAX_UNPACKED = 400 * 1024 * 1024  # every entry, unpacked
MAX_RATIO = 200  # unpacked to packed, for an entry of more than RATIO_FLOOR bytes
RATIO_FLOOR = 10 * 1024 * 1024
KEPT_PARTS = {  # parts read again on the Python side (metadata, styles, what was dropped)
    "word/document.xml", "word/styles.xml", "word/comments.xml", "docProps/core.xml",
    "content.xml", "styles.xml", "meta.xml",
}
REQUIRED = {"docx": "word/document.xml", "odt": "content.xml"}
_CHUNK = 1 << 16


@dataclass
class Unpacked:
    """The checked copy (*path*), the bytes all its entries unpack to (*size*), the
    parts of KEPT_PARTS it has (name to bytes) and the names left out."""

    path: Path
    size: int = 0
    parts: dict[str, bytes] = field(default_factory=dict)
    left_out: list[str] = field(default_factory=list)


def unpack(source: Path, kind: str, work: Path) -> Unpacked:
    """Check the document *source* (*kind* "docx" or "odt") and copy it into *work*.
    Raises BuildError at *source* with what is wrong."""
    reason = why_refused(source, [source.parent])
    if reason is not None:
        raise BuildError(reason, source)
    if source.stat().st_size > MAX_FILE:
        raise BuildError(f"the document is larger than {MAX_FILE // 2**20} MB, more than any "
                         "manuscript needs: make its pictures smaller", source)
    what = "a Word" if kind == "docx" else "an OpenDocument"
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise BuildError(f"not {what} document (a .{kind} file is a zip archive; this "
                         f"is not one): save it again as .{kind}", source) from None
    unpacked = Unpacked(work / f"document.{kind}")
    with archive, zipfile.ZipFile(unpacked.path, "w", zipfile.ZIP_DEFLATED) as copy:
        entries = archive.infolist()
        if len(entries) > MAX_ENTRIES:
            raise BuildError(f"the document holds {len(entries):,} parts, more than the "
                             f"{MAX_ENTRIES:,} a real one has", source)
        names = {entry.filename for entry in entries}
        if REQUIRED[kind] not in names:
            raise BuildError(f"not {what} document: it has no {REQUIRED[kind]}", source)
        for entry in entries:
            if entry.is_dir():
                continue
            if not _safe_name(entry.filename):
                unpacked.left_out.append(entry.filename)
                continue
            if entry.file_size > RATIO_FLOOR and \
                    entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
                raise BuildError(f"'{entry.filename}' unpacks to {entry.file_size:,} bytes "
                                 f"from {entry.compress_size:,}: a zip bomb, not a document",
                                 source)
            data = _read_entry(archive, entry, source, unpacked)
            if _is_xml(entry.filename, data) and (b"<!DOCTYPE" in data or b"<!ENTITY" in data):
                raise BuildError(f"'{entry.filename}' declares a document type or entities, "
                                 f"which {what.split()[1]} files never do: open the document "
                                 "and save it again", source)
            if entry.filename in KEPT_PARTS:
                unpacked.parts[entry.filename] = data
            copy.writestr(entry.filename, data)
    return unpacked


def _read_entry(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, source: Path,
                unpacked: Unpacked) -> bytes:
    chunks = []
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                unpacked.size += len(chunk)
                if unpacked.size > MAX_UNPACKED:
                    raise BuildError(f"the document unpacks to more than "
                                     f"{MAX_UNPACKED // 2**20} MB: a zip bomb, or pictures "
                                     "far larger than a book needs", source)
                chunks.append(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError,
            NotImplementedError, RuntimeError) as error:
        raise BuildError(f"the document is damaged ('{entry.filename}': {error}): open it "
                         "and save it again", source) from None
    return b"".join(chunks)


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return not (name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0])


def _is_xml(name: str, data: bytes) -> bool:
    return name.endswith((".xml", ".rels")) or data.lstrip()[:5] == b"<?xml"
