"""Session fixtures: the real book and the sample book, each read and built once."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import MANUSCRIPT, SAMPLE

from folio.build import build
from folio.errors import BuildError
from folio.model import Book
from folio.read.book import read_book


def _read(root: Path) -> Book:
    try:
        return read_book(root, warn=lambda message: None)
    except BuildError as error:
        pytest.fail(f"the book in {root} does not read: {error}", pytrace=False)


def _build(root: Path, output: Path) -> dict[str, Path]:
    try:
        return build(root, output, ["pdf", "epub", "html"])
    except BuildError as error:
        pytest.fail(f"the book in {root} does not build: {error}", pytrace=False)


# --- the real book (manuscript/) ---------------------------------------------------------

@pytest.fixture(scope="session")
def book() -> Book:
    """The Book model of manuscript/, read once."""
    return _read(MANUSCRIPT)


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> dict[str, Path]:
    """manuscript/ built once in every format: {"pdf": …, "epub": …, "html": …}."""
    return _build(MANUSCRIPT, tmp_path_factory.mktemp("real") / "output")


@pytest.fixture(scope="session")
def pdf_path(built) -> Path:
    return built["pdf"]


@pytest.fixture(scope="session")
def epub_path(built) -> Path:
    return built["epub"]


@pytest.fixture(scope="session")
def html_dir(built) -> Path:
    return built["html"]


# --- the sample book (tests/data/sample: every feature once) -------------------------------

@pytest.fixture(scope="session")
def sample_book() -> Book:
    return _read(SAMPLE)


@pytest.fixture(scope="session")
def sample_built(tmp_path_factory) -> dict[str, Path]:
    return _build(SAMPLE, tmp_path_factory.mktemp("sample") / "output")


@pytest.fixture(scope="session", params=["real", "sample"])
def edition(request) -> tuple[dict[str, Path], Book]:
    """(outputs, Book model) of the real book, then of the sample book."""
    if request.param == "real":
        return request.getfixturevalue("built"), request.getfixturevalue("book")
    return request.getfixturevalue("sample_built"), request.getfixturevalue("sample_book")
