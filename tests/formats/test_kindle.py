"""The Kindle edition (Calibre's AZW3): the same identifier at every build, so a
Kindle keeps the reader's place; each subject whole; the rights kept; a file Calibre
still reads."""

from __future__ import annotations

import subprocess
import uuid

import pytest
from helpers import MINIMAL_CONFIG, write_book

from folio.build import build
from folio.formats.kindle.exth import (
    ASIN,
    CONTENT_KEY,
    RIGHTS,
    SOURCE,
    SUBJECT,
    read_exth,
    rewrite_exth,
)
from folio.formats.kindle.metadata import kindle_id

CONFIG = MINIMAL_CONFIG + """\
identifier: urn:uuid:0b7c3e5a-2f7e-4d63-9c1e-5a1d2b3c4d5e
rights: Text © 2025 A. Writer. *Used* by permission.
subjects: ["Trotsky, Leon, 1879-1940", Marxism]
"""
pytestmark = pytest.mark.slow  # Calibre's conversion


def values(records, kind: int) -> list[str]:
    return [data.decode() for k, data in records if k == kind]


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    book = write_book(tmp_path_factory.mktemp("kindle") / "book", CONFIG)
    return [build(book, book.parent / name, ["kindle"])["kindle"] for name in ("a", "b")]


def test_two_builds_have_the_same_identifier(two_builds):
    first, second = (read_exth(path.read_bytes()) for path in two_builds)
    expected = "0b7c3e5a-2f7e-4d63-9c1e-5a1d2b3c4d5e"
    for records in (first, second):
        assert values(records, ASIN) == [expected]
        assert values(records, CONTENT_KEY) == [expected]
        assert values(records, SOURCE) == [f"urn:uuid:{expected}"]


def test_subjects_whole_and_rights_kept(two_builds):
    records = read_exth(two_builds[0].read_bytes())
    assert values(records, SUBJECT) == ["Trotsky, Leon, 1879-1940", "Marxism"]
    assert values(records, RIGHTS) == ["Text © 2025 A. Writer. Used by permission."]


def test_calibre_reads_the_rewritten_book(two_builds):
    shown = subprocess.run(["ebook-meta", str(two_builds[0])], capture_output=True,
                           text=True, check=True, timeout=120).stdout
    assert "A Minimal Book" in shown and "Test Author" in shown
    assert "mobi-asin:0b7c3e5a-2f7e-4d63-9c1e-5a1d2b3c4d5e" in shown


def test_rewriting_moves_the_later_records(two_builds):
    """Records after the first keep their bytes when the metadata block grows."""
    data = two_builds[0].read_bytes()
    grown = rewrite_exth(data, [*read_exth(data), (SUBJECT, b"x" * 1001)])
    count = int.from_bytes(data[76:78], "big")

    def records(book: bytes) -> list[bytes]:
        offsets = [int.from_bytes(book[78 + 8 * i:82 + 8 * i], "big") for i in range(count)]
        return [book[a:b] for a, b in zip(offsets, [*offsets[1:], len(book)], strict=True)]

    assert records(grown)[1:] == records(data)[1:]
    assert values(read_exth(grown), SUBJECT)[-1] == "x" * 1001


def test_kindle_id_is_stable_for_any_identifier():
    assert kindle_id("urn:isbn:9780141036144") == kindle_id("urn:isbn:9780141036144")
    assert uuid.UUID(kindle_id("urn:isbn:9780141036144")).version == 5
