"""The metadata records (EXTH) of a Kindle book (MOBI/KF8, as Calibre writes AZW3),
read and rewritten in place.

An AZW3 is a Palm database: a 78-byte header, a list of records (8 bytes each: the
record's offset in the file, its attributes), then the records. Record 0 holds the
PalmDOC header (16 bytes), the MOBI header (its length at byte 20 of the record; the
full title's offset at byte 84 and length at byte 88), then the EXTH block ("EXTH",
its length, its number of records, then records of (type: uint32, length with the
8-byte head: uint32, data), padded to 4 bytes), then the title. Layout as documented
by the MobileRead wiki's "MOBI" page and read by Calibre's MetadataUpdater.

Record types used here: 105 subject, 109 rights, 112 source, 113 ASIN, 504 the
content key Kindle devices sync reading positions by."""

from __future__ import annotations

import struct

from ...errors import BuildError

PDB_HEADER = 78
MOBI_START = 16  # the MOBI header follows the 16-byte PalmDOC header in record 0
EXTH_FLAG = 0x40
SUBJECT, RIGHTS, SOURCE, ASIN, CONTENT_KEY = 105, 109, 112, 113, 504

Records = list[tuple[int, bytes]]


def read_exth(book: bytes) -> Records:
    """The EXTH records of *book* in file order: [(type, data)]."""
    record0 = _records(book)[0]
    start, _ = _exth_span(record0)
    count = struct.unpack_from(">I", record0, start + 8)[0]
    records, at = [], start + 12
    for _ in range(count):
        kind, length = struct.unpack_from(">II", record0, at)
        records.append((kind, record0[at + 8:at + length]))
        at += length
    return records


def rewrite_exth(book: bytes, records: Records, timestamp: int | None = None) -> bytes:
    """*book* with its EXTH block replaced by *records*; the records after record 0
    are moved by the change in its length. With *timestamp* (seconds since 1970),
    the database's creation and modification times are set to it."""
    spans = _spans(book)
    record0 = book[spans[0][0]:spans[0][1]]
    start, end = _exth_span(record0)
    body = b"".join(struct.pack(">II", kind, len(data) + 8) + data for kind, data in records)
    padding = b"\0" * (-len(body) % 4)
    block = b"EXTH" + struct.pack(">II", 12 + len(body), len(records)) + body + padding
    title_offset = struct.unpack_from(">I", record0, 84)[0]
    new0 = bytearray(record0[:start] + block + record0[end:])
    struct.pack_into(">I", new0, 84, title_offset + len(block) - (end - start))
    delta = len(new0) - len(record0)
    head = bytearray(book[:spans[0][0]])
    for index in range(1, len(spans)):
        struct.pack_into(">I", head, PDB_HEADER + 8 * index, spans[index][0] + delta)
    if timestamp is not None:
        struct.pack_into(">II", head, 36, timestamp, timestamp)
    return bytes(head) + bytes(new0) + book[spans[0][1]:]


def _spans(book: bytes) -> list[tuple[int, int]]:
    if len(book) < PDB_HEADER or book[60:68] != b"BOOKMOBI":
        raise BuildError("the Kindle edition is not a MOBI book (no BOOKMOBI header)")
    count = struct.unpack_from(">H", book, 76)[0]
    offsets = [struct.unpack_from(">I", book, PDB_HEADER + 8 * i)[0] for i in range(count)]
    return list(zip(offsets, [*offsets[1:], len(book)], strict=True))


def _records(book: bytes) -> list[bytes]:
    return [book[start:end] for start, end in _spans(book)]


def _exth_span(record0: bytes) -> tuple[int, int]:
    """Where the EXTH block of record 0 starts and ends (bytes into the record)."""
    if record0[MOBI_START:MOBI_START + 4] != b"MOBI":
        raise BuildError("the Kindle edition has no MOBI header")
    header_length, = struct.unpack_from(">I", record0, MOBI_START + 4)
    flags, = struct.unpack_from(">I", record0, 0x80)
    start = MOBI_START + header_length
    if not flags & EXTH_FLAG or record0[start:start + 4] != b"EXTH":
        raise BuildError("the Kindle edition has no metadata block (EXTH)")
    length, = struct.unpack_from(">I", record0, start + 4)
    return start, start + length + (-length % 4)
