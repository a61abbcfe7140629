"""The PDF: size, fonts, links, outline and folios (roman front matter, arabic text)."""

from __future__ import annotations

import re

import pypdfium2 as pdfium
import pytest
from geometry import check_book_pdfs
from helpers import font_dictionaries, write_book
from pypdf import PdfReader
from pypdf.generic import ArrayObject, IndirectObject

from folio.build import build
from folio.formats.pdf.render import output_files

# Text in the bottom (footer) and top (header) margins, in points.
FOOTER_HEIGHT = 50
HEADER_HEIGHT = 50
ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


@pytest.fixture(scope="session")
def case(edition):
    """(PDF path, Book model) of the real book, then of the sample book."""
    return edition[0]["pdf"], edition[1]


@pytest.fixture(scope="session")
def reader(case) -> PdfReader:
    return PdfReader(case[0])


@pytest.fixture(scope="session")
def model(case):
    return case[1]


@pytest.fixture(scope="session")
def footers(case) -> list[str]:
    """The text of each page's footer (the bottom margin)."""
    document = pdfium.PdfDocument(case[0])
    found = []
    for page in document:
        width, _ = page.get_size()
        found.append(page.get_textpage().get_text_bounded(0, 0, width, FOOTER_HEIGHT).strip())
    document.close()
    return found


def roman_value(text: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
    total = 0
    for char, following in zip(text, text[1:] + " ", strict=True):
        value = values[char]
        total += -value if values.get(following, 0) > value else value
    return total


def test_page_count(pdf_path):
    pages = len(PdfReader(pdf_path).pages)
    assert 30 <= pages <= 150, f"{pages} pages"


def test_every_font_is_embedded_and_subset(reader):
    problems = []
    fonts = list(font_dictionaries(reader))
    assert fonts, "the PDF uses no fonts"
    for font in fonts:
        name = str(font.get("/BaseFont"))
        descendants = font.get("/DescendantFonts")
        described = descendants[0].get_object() if descendants else font
        descriptor = described.get("/FontDescriptor")
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if not any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
            problems.append(f"{name}: not embedded")
        if not re.match(r"^/[A-Z]{6}\+", name):
            problems.append(f"{name}: not a subset (no ABCDEF+ prefix)")
    assert not problems, "\n".join(problems)


def link_destinations(reader):
    """(page number, destination) of every internal link annotation."""
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            action = annotation.get("/A")
            action = action.get_object() if action is not None else {}
            if "/Dest" in annotation:
                yield number, annotation["/Dest"]
            elif action.get("/S") == "/GoTo":
                yield number, action.get("/D")
            elif action.get("/S") != "/URI":
                yield number, f"unsupported link action {action.get('/S')}"


def test_every_internal_link_reaches_a_named_destination(reader):
    names = set(reader.named_destinations)
    pages = {page.indirect_reference.idnum for page in reader.pages}
    problems, count = [], 0
    for number, destination in link_destinations(reader):
        count += 1
        destination = destination.get_object() if isinstance(destination, IndirectObject) \
            else destination
        if isinstance(destination, ArrayObject):
            if destination[0].idnum not in pages:
                problems.append(f"page {number}: link to a page not in the document")
        elif str(destination) not in names:
            problems.append(f"page {number}: link to {destination!s}, no such destination")
    assert count > 10, f"only {count} internal links: the contents, notes and glossary link"
    assert not problems, "\n".join(problems[:30])


def outline_titles(outline) -> list[str]:
    titles = []
    for item in outline:
        if isinstance(item, list):
            titles += outline_titles(item)
        else:
            titles.append(item.title)
    return titles


def normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_outline_has_every_chapter(reader, model):
    titles = [normal(t) for t in outline_titles(reader.outline)]
    missing = [s.title for s in model.chapters if normal(s.title) not in titles]
    assert not missing, f"not in the outline: {missing}; outline: {titles}"
    back = [s.title for s in model.sections if s.kind != "chapter" and s.title not in titles]
    assert not back, f"front and back matter missing from the outline: {back}"


def test_outline_is_in_reading_order(reader, model):
    titles = [normal(t) for t in outline_titles(reader.outline)]
    positions = [titles.index(normal(s.title)) for s in model.chapters
                 if normal(s.title) in titles]
    assert positions == sorted(positions)


def test_folios_roman_in_front_matter_arabic_from_chapter_one(reader, model, footers):
    first = reader.get_destination_page_number(
        reader.named_destinations[model.chapters[0].id])
    problems = []
    roman_offset = None  # folio minus page index, the same on every front-matter page
    for index, footer in enumerate(footers):
        page = index + 1
        if not footer:
            continue
        if index < first:
            if not ROMAN.match(footer):
                problems.append(f"page {page} (front matter): folio {footer!r} is not roman")
                continue
            roman_offset = roman_value(footer) - index if roman_offset is None else roman_offset
            if roman_value(footer) - index != roman_offset:
                problems.append(f"page {page}: folio {footer!r} breaks the roman sequence")
        elif not footer.isdigit():
            problems.append(f"page {page} (text): folio {footer!r} is not arabic")
        elif int(footer) != index - first + 1:
            problems.append(f"page {page}: folio {footer}, expected {index - first + 1}")
    assert any(ROMAN.match(f) for f in footers[:first]), "no roman folio in the front matter"
    assert footers[first] in ("", "1"), f"chapter 1 opens on folio {footers[first]!r}"
    assert sum(f.isdigit() for f in footers[first:]) > (len(footers) - first) / 2, \
        "most pages of the text have a folio"
    assert not problems, "\n".join(problems)


def test_blank_pages_are_blank(case, footers):
    """A page left blank before a right-hand opening carries no header or folio."""
    document = pdfium.PdfDocument(case[0])
    problems = []
    for index, page in enumerate(document):
        width, height = page.get_size()
        text = page.get_textpage()
        body = text.get_text_bounded(0, FOOTER_HEIGHT, width, height - HEADER_HEIGHT).strip()
        header = text.get_text_bounded(0, height - HEADER_HEIGHT, width, height).strip()
        if not body and (header or footers[index]):
            problems.append(f"page {index + 1} is blank but shows {header!r} {footers[index]!r}")
    document.close()
    assert not problems, "\n".join(problems)


def test_nothing_lies_outside_the_text_block(case):
    """The geometry check (tests/geometry.py), on the screen edition and the print
    interior of the real book and the sample book."""
    check_book_pdfs(output_files(case[0]))


def test_metadata(reader, model):
    info = reader.metadata
    assert info.title == model.config.full_title
    assert info.author == model.config.author
    assert reader.trailer["/Root"].get("/Lang") == model.config.language


def test_inline_code_builds(tmp_path):
    # `code` is ordinary Markdown; the default theme must typeset it with its own fonts.
    write_book(tmp_path / "book", chapter="# One {#one}\n\nRun `make book` to build.\n")
    made = build(tmp_path / "book", tmp_path / "output", ["pdf"])
    assert made["pdf"].stat().st_size > 0


def test_page_labels_match_the_printed_folios(reader, footers):
    labels = reader.page_labels
    wrong = [f"page {i + 1}: label {label!r}, folio {folio!r}"
             for i, (label, folio) in enumerate(zip(labels, footers, strict=True))
             if folio and label != folio]
    assert not wrong, "\n".join(wrong)


def test_page_references_show_the_page_they_link_to(case, reader):
    """Contents, notes' back-links, glossary, chronology and index print page numbers:
    each must be the folio of the page its link leads to (for a range such as 4–5,
    where it starts), roman in the front matter."""
    document = pdfium.PdfDocument(case[0])
    labels, names = reader.page_labels, reader.named_destinations
    problems, count = [], 0
    for index, page in enumerate(reader.pages):
        text = document[index].get_textpage()
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            destination = str(annotation.get("/Dest", ""))
            # a note's number, and a citation split over two lines (a link box holding
            # only "1937)"), are no page references
            if destination not in names or re.fullmatch(r"note-\d+|ref-.+", destination):
                continue
            shown = text.get_text_bounded(*[float(v) for v in annotation["/Rect"]]).strip()
            number = re.fullmatch(r"(?:\(p\.\s)?([ivxlc]+|\d+)(?:[–-]\d+)?\)?", shown)
            if number is None:
                continue
            count += 1
            target = labels[reader.get_destination_page_number(names[destination])]
            if number[1] != target:
                problems.append(f"page {labels[index]}: {shown!r} links to {destination} "
                                f"on page {target}")
    document.close()
    assert count >= len(case[1].sections), f"only {count} page references"
    assert not problems, "\n".join(problems)


def test_screen_only_writes_the_screen_edition_alone(tmp_path, monkeypatch):
    """``pdf --screen-only`` (the preview's PDF): the screen edition, the same bytes as
    a full build's, and neither the print interior nor the wrap cover."""
    import shutil
    import subprocess
    import sys

    from helpers import ROOT, SAMPLE

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    book = tmp_path / "book"
    shutil.copytree(SAMPLE, book)
    ran = subprocess.run([sys.executable, str(ROOT / "build.py"), "pdf", "--screen-only",
                          "--book", str(book), "--output", str(tmp_path / "screen")],
                         capture_output=True, text=True, timeout=600)
    assert ran.returncode == 0, ran.stderr
    full = build(book, tmp_path / "full", ["pdf"])["pdf"]
    written = sorted(p.name for p in (tmp_path / "screen").glob("*.pdf"))
    assert written == [full.name]
    assert (tmp_path / "screen" / full.name).read_bytes() == full.read_bytes()
    assert (tmp_path / "full" / full.name.replace(".pdf", "-print.pdf")).exists()
