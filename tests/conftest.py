"""Session fixtures: the real book and the sample book, each read and built once; and
the geometry check (geometry.py) on every PDF any test builds through the formats."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browsers import CHROMIUM_ARGS, chromium_path
from geometry import check_book_pdfs, check_handouts
from helpers import MANUSCRIPT, MEASURE, MEASURE_IMAGES, SAMPLE, framed_png

import folio.formats.handouts.render as handouts_render
import folio.formats.pdf.render as pdf_render
from folio.build import build
from folio.errors import BuildError
from folio.model import Book
from folio.read.book import read_book


@pytest.fixture(scope="session", autouse=True)
def every_pdf_fits():
    """Every book PDF and handout a format renders in this session (a build, a release,
    the CLI in-process) is checked as soon as it is written: nothing on its pages lies
    outside the text block. A PDF that fails stops its build with an AssertionError.
    (Tests that call the renderers directly check their PDFs themselves.)"""

    def checked_pdf(book, target, *args, aside=None, **kwargs):
        files = pdf_render.output_files(target)
        if aside is None:
            rendered(book, target, *args, **kwargs)
            check_book_pdfs(files)
            return

        def checked_aside(work):  # the print files are checked where they are made
            def work_then_check(progress):
                work(progress)
                check_book_pdfs(files)

            aside(work_then_check)

        rendered(book, target, *args, aside=checked_aside, **kwargs)

    def checked_handouts(*args, **kwargs):
        made = handouts_made(*args, **kwargs)
        check_handouts(made)
        return made

    rendered, handouts_made = pdf_render.render_pdf, handouts_render.render_handouts
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_render, "render_pdf", checked_pdf)
        patch.setattr(handouts_render, "render_handouts", checked_handouts)
        yield


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


# --- the measure book (tests/data/measure: what could run past the text block) ------------

@pytest.fixture(scope="session")
def measure_root(tmp_path_factory) -> Path:
    """A copy of tests/data/measure with its images."""
    root = tmp_path_factory.mktemp("measure") / "book"
    shutil.copytree(MEASURE, root)
    (root / "images").mkdir()
    for name, (width, height) in MEASURE_IMAGES.items():
        (root / "images" / name).write_bytes(framed_png(width, height))
    return root


@pytest.fixture(scope="session")
def measure_book(measure_root) -> Book:
    return _read(measure_root)


@pytest.fixture(scope="session")
def measure_built(measure_root) -> tuple[dict[str, Path], list[str]]:
    """The measure book built once in every format, and what the build said."""
    said: list[str] = []
    try:
        made = build(measure_root, measure_root.parent / "output", ["pdf", "epub", "html"],
                     progress=said.append)
    except BuildError as error:
        pytest.fail(f"the measure book does not build: {error}", pytrace=False)
    return made, said


# --- a browser ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium through Playwright, one for the session (browsers.py)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright for Python is missing: pip install playwright", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(),
                                              args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
