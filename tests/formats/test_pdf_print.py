"""The PDF as a printer and a reader receive it: print variant with bleed and no
marks, cover, tagging, structural soundness, and running heads where they belong.
(Each printer's preset: tests/typeset/test_print_presets.py.)"""

from __future__ import annotations

import pikepdf
import pypdf
import pypdfium2
import pytest

from folio.formats.pdf.render import output_files
from folio.typeset.paper import length, page_size


@pytest.fixture(scope="session")
def files(built):
    return output_files(built["pdf"])


@pytest.fixture(scope="session")
def screen(files):
    return pypdf.PdfReader(files["screen"])


@pytest.fixture(scope="session")
def printed(files):
    return pypdf.PdfReader(files["print"])


def test_every_pdf_is_structurally_sound(files):
    for path in files.values():
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == [], path.name


def test_screen_edition_opens_with_the_cover(screen, book):
    assert screen.page_labels[0] == "Cover"
    assert book.config.title in screen.pages[0].extract_text()
    assert screen.page_labels[1] == "i"


def test_screen_edition_is_tagged_and_shows_its_title(screen, book):
    root = screen.trailer["/Root"]
    assert "/StructTreeRoot" in root, "not a tagged PDF"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert root["/Lang"] == book.config.language
    assert screen.metadata.title == book.config.full_title
    assert screen.metadata.author == book.config.author


def test_print_interior_has_bleed_no_marks_and_no_links(printed, screen, book):
    """The first book prints on the generic preset: pdf.bleed on the top, the bottom and
    the outside edge (not the spine's), no crop marks (printers refuse them), an even
    page count."""
    width, height = page_size(book.config.trim)
    bleed = length(book.config.bleed)
    interior = len(screen.pages) - 1
    assert len(printed.pages) == interior + interior % 2, "the same pages, less the cover"
    assert printed.page_labels[:2] == ["i", "ii"]
    for number, page in enumerate(printed.pages):
        trim, bleedbox, media = page.trimbox, page.bleedbox, page.mediabox
        assert (round(float(trim.width), 2), round(float(trim.height), 2)) == \
            (round(width, 2), round(height, 2))
        assert float(bleedbox.width) == pytest.approx(width + bleed, abs=0.01)
        assert float(bleedbox.height) == pytest.approx(height + 2 * bleed, abs=0.01)
        assert [float(v) for v in media] == [float(v) for v in bleedbox], "room for marks"
        outside = float(media.right) - float(trim.right) if number % 2 == 0 \
            else float(trim.left) - float(media.left)
        assert outside == pytest.approx(bleed, abs=0.01), f"page {number + 1}"
        assert "/Annots" not in page
        assert b"1 1 1 1 K" not in page.get_contents().get_data(), "a crop mark"


def test_print_interior_pages_are_the_screen_pages(printed, screen):
    for number in (5, 20, 40):
        assert printed.pages[number].extract_text() == screen.pages[number + 1].extract_text()


def test_wrap_cover_has_spine_from_the_page_count(files, printed, book):
    cover = pypdf.PdfReader(files["cover"])
    assert len(cover.pages) == 1
    width, height = page_size(book.config.trim)
    leaves = (len(printed.pages) + 1) // 2
    spine = leaves * length(book.config.caliper)
    page = cover.pages[0]
    assert float(page.trimbox.width) == pytest.approx(2 * width + spine, abs=0.5)
    assert float(page.trimbox.height) == pytest.approx(height, abs=0.5)
    assert float(page.bleedbox.width) > float(page.trimbox.width)
    text = page.extract_text()
    assert book.config.title in text and book.config.author in text


def _ink(image, box) -> int:
    """How many dark pixels an area of a rendered page holds."""
    histogram = image.crop(box).convert("L").histogram()
    return sum(histogram[:128])


def test_running_heads_and_folios_are_where_they_belong(files, screen, book):
    """Rendered pages: a chapter's second page has a running head; a chapter opener has
    none; both have a folio at the foot."""
    pdf = pypdfium2.PdfDocument(files["screen"])
    labels = screen.page_labels
    opener = labels.index("1")  # chapter 1 opens on page 1
    later = next(i for i in range(opener + 1, len(labels))
                 if book.config.title in screen.pages[i].extract_text().splitlines()[-3:])
    for index, expect_head in ((opener, False), (later, True)):
        image = pdf[index].render(scale=1).to_pil()
        width, height = image.size
        head = _ink(image, (0, 0, width, int(height * 0.09)))
        foot = _ink(image, (int(width * 0.4), int(height * 0.92), int(width * 0.6), height))
        assert (head > 0) == expect_head, f"page {labels[index]}: running head ink {head}"
        assert foot > 0, f"page {labels[index]}: no folio at the foot"


def test_the_print_files_are_made_beside_the_epub_and_the_build_waits_for_them(tmp_path):
    """Where the build may fork (the command: one thread), the print interior and the
    wrap cover are made in a process of their own while the EPUB is made: the build
    waits for them, says what they said, and fails on their error, leaving the
    output as it was."""
    import shutil

    from helpers import SAMPLE, build_in_fresh_process, snapshot

    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    out = tmp_path / "out"
    said = build_in_fresh_process(book, out, ["pdf", "epub"], """
        import importlib
        render = importlib.import_module("folio.formats.pdf.render")
        made = render.make_print_variant
        def warning_too(screen, target, job, warn=lambda message: None, **options):
            warn("a word from the print interior")
            return made(screen, target, job, warn=warn, **options)
        render.make_print_variant = warning_too
        """)
    assert said.returncode == 0, said.stderr
    assert "warning: a word from the print interior" in said.stdout
    assert said.stdout.index("rendering EPUB") < said.stdout.index("a word from the print")
    files = output_files(next(p for p in out.glob("*.pdf")
                              if not p.stem.endswith(("-print", "-cover"))))
    with pikepdf.open(files["screen"]) as screen, pikepdf.open(files["print"]) as printed:
        assert len(printed.pages) >= len(screen.pages) - 1 > 0
        assert "/TrimBox" in printed.pages[0].obj
    with pikepdf.open(files["cover"]) as cover:
        assert len(cover.pages) == 1

    before = snapshot(out)
    chapter = next((book / "chapters").glob("*.md"))
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more line.\n",
                       encoding="utf-8")
    failed = build_in_fresh_process(book, out, ["pdf", "epub"], """
        import importlib
        from folio.errors import BuildError
        render = importlib.import_module("folio.formats.pdf.render")
        def refused(*arguments, **options):
            raise BuildError("the print interior is refused today")
        render.make_print_variant = refused
        """)
    assert failed.returncode == 1, failed.stdout
    assert "the print interior is refused today" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert snapshot(out) == before
