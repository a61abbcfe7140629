"""Session fixtures: the real book and the sample book, each read and built once."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from helpers import MANUSCRIPT, SAMPLE, parse_document

from folio.build import FORMATS, build
from folio.errors import BuildError
from folio.model import Book
from folio.reader import read_book


def _read(root: Path) -> Book:
    try:
        return read_book(root, warn=lambda message: None)
    except BuildError as error:
        pytest.fail(f"the book in {root} does not read: {error}", pytrace=False)


def _build(root: Path, output: Path) -> dict[str, Path]:
    try:
        return build(root, output, list(FORMATS))
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


# --- parsed outputs, shared by the format tests --------------------------------------------

def epub_files(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if not name.endswith("/")}


def html_files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def documents(files: dict[str, bytes]) -> dict[str, object]:
    return {name: parse_document(name, data) for name, data in files.items()
            if name.endswith((".html", ".xhtml"))}


@pytest.fixture(scope="session", params=["real", "sample"])
def any_built(request) -> dict[str, Path]:
    """The outputs of the real book, then of the sample book."""
    return request.getfixturevalue("built" if request.param == "real" else "sample_built")
