"""Study handouts: one per chapter, the chronology and the glossary, on A4 or Letter,
and folded booklets (folio.formats.handouts.render, folio.typeset.imposition).

The real book is laid out once (the typesetter), its print interior written once
to compare page numbers with, and the handouts made from that same layout."""

from __future__ import annotations

import functools
import re
import statistics

import pikepdf
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import pytest
from geometry import BOOK, assert_fits, check_handouts
from helpers import (
    ROOT,
    SAMPLE,
    font_dictionaries,
    normalise,
    pdf_body_text,
    text_without_noterefs,
    unhyphenate_pdf_text,
    write_book,
)
from pypdf import PdfReader

from folio.errors import BuildError
from folio.formats.handouts.render import render_handouts
from folio.htmltree import text_of
from folio.read.book import read_book
from folio.typeset.imposition import booklet_order
from folio.typeset.join import join_parts
from folio.typeset.pagelabels import page_labels
from folio.typeset.paper import page_size
from folio.typeset.typesetter import Typesetter

# Points of running header and footer at the top and bottom of a page: chapter
# handouts, and the apparatus handouts (fuller pages).
MARGIN, APPARATUS_MARGIN = 46, 32
FOLIO = re.compile(r"(\d+) of (\d+)")


# --- the builds, once a session --------------------------------------------------------------

@pytest.fixture(scope="session")
def typesetter(book) -> Typesetter:
    typesetter = Typesetter(book)
    typesetter.interior  # noqa: B018 - lay the book out now, once
    return typesetter


@pytest.fixture(scope="session")
def print_edition(typesetter, tmp_path_factory) -> PdfReader:
    """The book's print interior (the pages of <slug>-print.pdf, before bleed), with
    its page labels and a named destination for every anchor."""
    interior = typesetter.interior
    path = tmp_path_factory.mktemp("book") / "interior.pdf"
    join_parts(interior.parts, path, page_labels(interior.folios.start),
               info_from=interior.front, font_files=typesetter.font_files)
    assert_fits(path, BOOK, first_recto=0)  # the geometry check, as on every PDF
    return PdfReader(path)


@pytest.fixture(scope="session")
def handouts(book, typesetter, tmp_path_factory) -> dict:
    """Every handout of the real book on A4: {file name: path}."""
    target = tmp_path_factory.mktemp("handouts") / "a4"
    made = render_handouts(book, target, typesetter)
    assert all(path.parent == target for path in made)
    return {path.name: path for path in made}


@pytest.fixture(scope="session")
def letter(book, typesetter, tmp_path_factory) -> dict:
    """On US Letter: the apparatus, and a chapter flat and as a booklet:
    {name relative to the target folder: path}."""
    target = tmp_path_factory.mktemp("handouts") / "letter"
    made = render_handouts(book, target, typesetter, paper="letter",
                           chapters=["glossary", "chronology"])
    made += render_handouts(book, target, typesetter, paper="letter", booklet=True,
                            chapters=["trotsky-and-stalin", "6"])
    return {path.relative_to(target).as_posix(): path for path in made}


@pytest.fixture(scope="session")
def a4_booklet(book, typesetter, tmp_path_factory) -> dict:
    target = tmp_path_factory.mktemp("handouts") / "a4-booklet"
    made = render_handouts(book, target, typesetter, booklet=True, chapters=["life"])
    return {path.relative_to(target).as_posix(): path for path in made}


@pytest.fixture(scope="session")
def sample_handouts(sample_book, tmp_path_factory) -> dict:
    target = tmp_path_factory.mktemp("handouts") / "sample"
    made = render_handouts(sample_book, target, Typesetter(sample_book))
    return {path.name: path for path in made}


@pytest.fixture(scope="session")
def every_handout(handouts, letter, a4_booklet) -> list:
    return [*handouts.values(), *letter.values(), *a4_booklet.values()]


def chapter_file(section) -> str:
    return f"{section.number:02d}-{section.id}.pdf"


# --- reading the PDFs ----------------------------------------------------------------------

@functools.cache
def body_text(path, margin: float = MARGIN) -> str:
    return pdf_body_text(path, margin)


def squash(text: str) -> str:
    """Text normalised for comparison (helpers.normalise), hyphens left out as well: the
    PDF marks a hyphen at the end of a line alike whether the word is hyphenated there
    or is a compound such as "counter-revolutionary"."""
    return re.sub(r"[-\x02\ufffe]", "", normalise(text))


@functools.cache
def plain_text(path) -> str:
    """All the text of a PDF, whitespace collapsed."""
    document = pdfium.PdfDocument(path)
    text = " ".join(page.get_textpage().get_text_range() for page in document)
    document.close()
    return re.sub(r"\s+", " ", unhyphenate_pdf_text(text))


def footers(path) -> list[str]:
    document = pdfium.PdfDocument(path)
    found = []
    for page in document:
        width, _ = page.get_size()
        found.append(page.get_textpage().get_text_bounded(0, 0, width, MARGIN).strip())
    document.close()
    return found


# --- which handouts ----------------------------------------------------------------------------

def test_one_handout_per_chapter_and_the_apparatus(book, handouts):
    expected = [chapter_file(s) for s in book.chapters] + ["chronology.pdf", "glossary.pdf"]
    assert sorted(handouts) == sorted(expected)
    assert chapter_file(book.chapters[0]) == "01-why-trotsky.pdf"


def test_choosing_handouts_by_id_or_number(letter, a4_booklet):
    assert sorted(letter) == ["06-trotsky-and-stalin.pdf", "booklet/06-trotsky-and-stalin.pdf",
                              "chronology.pdf", "glossary.pdf"]
    assert sorted(a4_booklet) == ["02-life.pdf", "booklet/02-life.pdf"]


def test_bad_choices_are_reported(book, typesetter, tmp_path):
    with pytest.raises(BuildError, match="no chapter 'no-such-chapter'"):
        render_handouts(book, tmp_path / "x", typesetter, chapters=["no-such-chapter"])
    with pytest.raises(BuildError, match="paper size 'a5'"):
        render_handouts(book, tmp_path / "x", typesetter, paper="a5")
    assert not (tmp_path / "x").exists()


# --- what a chapter's handout holds ------------------------------------------------------------

def test_each_handout_holds_its_chapter_text(book, handouts):
    problems = []
    for section in book.chapters:
        text = squash(body_text(handouts[chapter_file(section)]))
        for paragraph in section.body:
            words = squash(text_without_noterefs(paragraph))
            if words not in text:
                problems.append(f"{section.id}: {text_of(paragraph)[:80]!r}")
    assert not problems, "not in the handout:\n" + "\n".join(problems)


def test_other_chapters_are_not_in_the_handout(book, handouts):
    first, second = book.chapters[0], book.chapters[1]
    text = squash(body_text(handouts[chapter_file(first)]))
    assert squash(text_of(second.body[1])) not in text


def test_glossary_terms_are_exactly_those_the_chapter_uses(book, handouts):
    sizes = []
    for section in book.chapters:
        path = handouts[chapter_file(section)]
        used = {e.anchor for e in book.glossary
                if any(place.section_id == section.id for place in e.uses)}
        present = {name for name in PdfReader(path).named_destinations
                   if name.startswith("gloss-")}
        assert present == used, f"{section.id}: missing {sorted(used - present)}, " \
                                f"extra {sorted(present - used)}"
        text = squash(body_text(path))
        glossary = text[text.index(squash("The terms of the chapter that the book")):]
        for entry in book.glossary:
            if entry.anchor in used:
                assert squash(text_of(entry.definition)) in glossary, entry.id
            else:
                assert squash(text_of(entry.definition)) not in text, entry.id
        sizes.append(len(used))
    assert min(sizes) >= 3 and max(sizes) > 10, sizes


def test_notes_are_numbered_as_in_the_book(book, handouts):
    for section in book.chapters:
        path = handouts[chapter_file(section)]
        notes = book.notes_of(section.id)
        reader = PdfReader(path)
        names = set(reader.named_destinations)
        assert {n for n in names if n.startswith("note-")} == {n.id for n in notes}
        text = plain_text(path)
        for note in notes:
            words = text_of(note.body).split()[:4]
            pattern = rf"(?<!\d){note.number}\.\s*" + r"\s+".join(map(re.escape, words))
            assert re.search(pattern, text), f"note {note.number} of {section.id}: {words}"
        # Each reference in the text shows the book's number and leads to its note.
        document = pdfium.PdfDocument(path)
        shown = {}
        for index, page in enumerate(reader.pages):
            textpage = document[index].get_textpage()
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                target = str(annotation.get("/Dest", ""))
                if re.fullmatch(r"note-\d+", target):
                    x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
                    shown[target] = textpage.get_text_bounded(
                        min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)).strip()
        document.close()
        assert shown == {n.id: str(n.number) for n in notes}, section.id


def test_notes_come_last(handouts):
    text = plain_text(handouts["06-trotsky-and-stalin.pdf"])
    order = [text.index(h) for h in ("Questions for discussion", "The terms of the chapter",
                                     "Events the chapter discusses", "Numbered as in the book")]
    assert order == sorted(order)


def test_chronology_events_of_the_chapter_and_its_sections(book, handouts):
    for section in book.chapters:
        anchors = {section.id, *(h[1] for h in section.headings)}
        text = squash(body_text(handouts[chapter_file(section)]))
        for event in book.chronology:
            inside = squash(text_of(event.text)) in text
            assert inside == bool(anchors & set(event.chapters)), \
                f"{section.id}: {event.date.display()} {text_of(event.text)[:50]}"


def test_print_page_range_matches_the_book(book, handouts, print_edition):
    labels, names = print_edition.page_labels, print_edition.named_destinations
    sections = book.sections
    for section in book.chapters:
        first = print_edition.get_destination_page_number(names[section.id])
        following = sections[sections.index(section) + 1]
        last = print_edition.get_destination_page_number(names[following.id]) - 1
        pages = f"p. {labels[first]}" if last == first else f"pp. {labels[first]}–{labels[last]}"
        assert f"{pages} in the print edition" in plain_text(handouts[chapter_file(section)]), \
            section.id
    assert labels[print_edition.get_destination_page_number(names[book.chapters[0].id])] == "1"


def test_discussion_questions(book, handouts):
    questions = {chapter: found.items for chapter, found in book.questions.items()}
    assert sorted(questions) == sorted(s.id for s in book.chapters), "one file a chapter"
    for section in book.chapters:
        items = questions[section.id]
        assert 4 <= len(items) <= 6, f"{section.id}: {len(items)} questions"
        text = squash(body_text(handouts[chapter_file(section)]))
        for item in items:
            assert squash(text_of(item)) in text, f"{section.id}: {text_of(item)[:60]}"


def test_a_questions_file_is_one_list(tmp_path):
    root = write_book(tmp_path / "book", files={
        "questions/one.md": "Not a list, but a paragraph.\n",
    })
    with pytest.raises(BuildError, match="one list of questions") as raised:
        read_book(root, warn=lambda message: None)
    assert raised.value.path == root / "questions" / "one.md" and raised.value.line == 1


def test_a_questions_file_names_a_chapter(tmp_path):
    root = write_book(tmp_path / "book", files={"questions/two.md": "1. Why?\n"})
    with pytest.raises(BuildError, match="no chapter has the id 'two'"):
        read_book(root, warn=lambda message: None)


def test_a_book_without_questions_has_none(tmp_path):
    assert read_book(write_book(tmp_path / "book"), warn=lambda m: None).questions == {}


# --- the apparatus handouts ----------------------------------------------------------------------

def test_apparatus_handouts_are_whole_and_fit_on_two_sheets(book, handouts, letter):
    for path in (handouts["glossary.pdf"], letter["glossary.pdf"]):
        text = squash(body_text(path, APPARATUS_MARGIN))
        missing = [e.term for e in book.glossary if squash(text_of(e.definition)) not in text]
        assert not missing, missing
        assert len(PdfReader(path).pages) <= 4, "more than two sheets printed both sides"
    for path in (handouts["chronology.pdf"], letter["chronology.pdf"]):
        text = squash(body_text(path, APPARATUS_MARGIN))
        missing = [e.date.display() for e in book.chronology
                   if squash(text_of(e.text)) not in text]
        assert not missing, missing
        assert len(PdfReader(path).pages) <= 4


def test_apparatus_give_print_edition_pages(book, handouts, typesetter):
    folios = typesetter.interior.folios
    text = plain_text(handouts["glossary.pdf"])
    entry = next(e for e in book.glossary if len({p.section_id for p in e.uses}) > 2)
    pages = sorted({folios.page_of[p.anchor] for p in entry.uses})
    assert f"Used on pp. {', '.join(folios.label(p) for p in pages)}." in text


# --- links ------------------------------------------------------------------------------------

def internal_links(path):
    reader = PdfReader(path)
    names = set(reader.named_destinations)
    for number, page in enumerate(reader.pages, start=1):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            action = action.get_object() if action is not None else {}
            if "/Dest" in annotation:
                yield number, str(annotation["/Dest"]), names
            elif action.get("/S") == "/GoTo":
                yield number, str(action.get("/D")), names


def test_every_link_stays_inside_its_handout(handouts, sample_handouts):
    count = 0
    for path in [*handouts.values(), *sample_handouts.values()]:
        for page, target, names in internal_links(path):
            count += 1
            assert target in names, f"{path.name}, page {page}: link to {target}"
    assert count > 100


def test_cross_references_out_of_the_handout_are_plain_text(sample_handouts):
    path = sample_handouts["02-second.pdf"]
    targets = {target for _, target, _ in internal_links(path)}
    assert "second-overview" in targets, "a link inside the chapter stays a link"
    assert "first" not in targets
    assert "points back to the overview of this chapter and to the first chapter" \
        in plain_text(path)


def test_links_out_of_the_book_print_their_address(sample_handouts):
    text = plain_text(sample_handouts["01-first.pdf"])
    assert "A link that names Marxism (https://example.org/) is left alone" in text


# --- print-friendly ----------------------------------------------------------------------------

def test_header_and_page_numbers(book, handouts):
    path = handouts["06-trotsky-and-stalin.pdf"]
    shown = footers(path)
    assert shown == [f"{n} of {len(shown)}" for n in range(1, len(shown) + 1)]
    document = pdfium.PdfDocument(path)
    width, height = document[1].get_size()
    header = document[1].get_textpage().get_text_bounded(0, height - MARGIN, width, height)
    document.close()
    for words in (book.config.title, book.config.author, "Chapter 6", "Trotsky against Stalin"):
        assert words in header
    first_page = plain_text(path)[:300]
    for words in (book.config.title, book.config.subtitle, book.config.author,
                  "Chapter 6", "Trotsky against Stalin"):
        assert words in first_page


def test_everything_is_printed_in_black(every_handout):
    colour = re.compile(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b")
    for path in every_handout:
        for page in PdfReader(path).pages:
            data = page.get_contents().get_data()
            colours = {tuple(float(v) for v in m.groups()) for m in colour.finditer(data)}
            assert colours <= {(0.0, 0.0, 0.0), (1.0, 1.0, 1.0)}, f"{path.name}: {colours}"


def test_paper_sizes(handouts, letter, a4_booklet):
    def size(path):
        box = PdfReader(path).pages[0].mediabox
        return round(float(box.width)), round(float(box.height))

    a4, us = page_size("a4"), page_size("letter")
    assert {size(p) for p in handouts.values()} == {(round(a4[0]), round(a4[1]))}
    assert size(letter["glossary.pdf"]) == (612, 792)
    assert size(letter["booklet/06-trotsky-and-stalin.pdf"]) == (792, 612), "Letter, landscape"
    assert size(a4_booklet["booklet/02-life.pdf"]) == (round(a4[1]), round(a4[0]))
    assert round(us[0]) == 612


# --- valid PDFs ----------------------------------------------------------------------------------

def test_every_handout_is_a_sound_tagged_pdf_in_the_theme_fonts(every_handout, book):
    for path in every_handout:
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == [], path.name
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"]), path.name
        assert root["/Lang"] == book.config.language
        assert reader.metadata.title.startswith(book.config.title), path.name
        assert reader.metadata.author == book.config.author
        fonts = list(font_dictionaries(reader))
        assert fonts, path.name
        for font in fonts:
            name = str(font.get("/BaseFont"))
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor").get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
            assert re.match(r"^/[A-Z]{6}\+", name), f"{path.name}: {name} is not a subset"


def test_every_handout_is_within_its_text_block(every_handout, sample_handouts):
    """The geometry check (tests/geometry.py) on every handout made here, flat and as a
    booklet (the print interior is checked where it is made)."""
    check_handouts([*every_handout, *sample_handouts.values()])


def test_no_word_of_the_reference_sheets_is_broken_without_a_hyphen(handouts, html_dir):
    """Every word printed on the glossary and chronology handouts (dense columns of
    links and spans) is a word of the book or of the handout templates: a word broken
    at a line's end without a hyphen ("Qua" / "ntum") is neither."""
    from lxml import html as lxml_html

    known: set[str] = set()
    pages = [*html_dir.glob("*.html"), *(ROOT / "templates" / "handouts").glob("*.html")]
    for page in pages:
        text = lxml_html.document_fromstring(page.read_bytes()).text_content()
        known |= {word.casefold() for word in re.findall(r"[^\W\d_]+", text)}
    for name in ("glossary.pdf", "chronology.pdf"):
        printed = re.findall(r"[^\W\d_]+", plain_text(handouts[name]))
        strange = sorted({word for word in printed if word.casefold() not in known})
        assert not strange, f"{name}: {strange}"


def test_titles_name_the_chapter(handouts):
    title = PdfReader(handouts["03-permanent-revolution.pdf"]).metadata.title
    assert "Chapter 3" in title and "Permanent Revolution" in title


def test_a_booklet_keeps_its_structure_tree_true(a4_booklet):
    """Each marked-content id on a sheet side belongs to the element the parent tree
    names for it, and that element is on that side."""
    with pikepdf.open(a4_booklet["booklet/02-life.pdf"]) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        checked = 0
        for page in pdf.pages:
            marks = parents[int(page.obj.StructParents)]
            for mcid, element in enumerate(marks):
                if isinstance(element, pikepdf.Dictionary):
                    assert element.Pg.objgen == page.obj.objgen
                    kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                    assert any(isinstance(k, int) and int(k) == mcid for k in kids)
                    checked += 1
        assert checked > 100


# --- booklets ------------------------------------------------------------------------------------

def test_saddle_stitch_order():
    assert booklet_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert booklet_order(5) == booklet_order(8), "padded with blank pages to 8"
    assert booklet_order(1) == [(4, 1), (2, 3)]
    for pages in range(1, 30):
        sides = booklet_order(pages)
        total = len(sides) * 2
        assert total % 4 == 0 and total - 4 < pages <= total
        assert sorted(n for side in sides for n in side) == list(range(1, total + 1))
        # Folded, the stack reads in order: the front of sheet s holds n-2s | 2s+1 …
        for sheet in range(total // 4):
            assert sides[2 * sheet] == (total - 2 * sheet, 2 * sheet + 1)
            assert sides[2 * sheet + 1] == (2 * sheet + 2, total - 2 * sheet - 1)


def halves(path) -> list[tuple[str, str]]:
    """The page number ("n" of "n of N") printed in the left and right half of each
    sheet side; "" for a blank half."""
    document = pdfium.PdfDocument(path)
    found = []
    for page in document:
        width, _ = page.get_size()
        text = page.get_textpage()
        row = []
        for left in (0, width / 2):
            footer = FOLIO.search(text.get_text_bounded(left, 0, left + width / 2, 36))
            row.append(footer[1] if footer else "")
        found.append(tuple(row))
    document.close()
    return found


def test_booklets_are_imposed_in_saddle_stitch_order(letter, a4_booklet, handouts):
    booklets = {name: path for name, path in [*letter.items(), *a4_booklet.items()]
                if name.startswith("booklet/")}
    assert len(booklets) == 2
    for name, path in booklets.items():
        sides = halves(path)
        total = 2 * len(sides)
        assert total % 4 == 0, f"{name}: {total} pages"
        pages = max(int(n) for side in sides for n in side if n)
        assert total - 4 < pages <= total, name
        for index, (left, right) in enumerate(sides):
            sheet, back = divmod(index, 2)
            expected = (2 * sheet + 2, total - 2 * sheet - 1) if back \
                else (total - 2 * sheet, 2 * sheet + 1)
            shown = tuple(str(n) if n <= pages else "" for n in expected)
            assert (left, right) == shown, f"{name}, sheet side {index + 1}"


def test_a_booklet_sheet_looks_right(a4_booklet):
    """Rendered: the first sheet side of a 9-page booklet has the blank back cover
    (page 12) on the left and page 1 on the right; the back of that sheet has
    page 2 on the left and the blank page 11 on the right."""
    document = pdfium.PdfDocument(a4_booklet["booklet/02-life.pdf"])
    inked = []
    for index in (0, 1):
        image = document[index].render(scale=0.5, grayscale=True).to_pil()
        width, height = image.size
        inked.append([image.crop(box).getextrema()[0] < 128 for box in
                      ((0, 0, width // 2, height), (width // 2, 0, width, height))])
    document.close()
    assert inked == [[False, True], [True, False]]


def test_a_booklet_page_is_a_half_sheet_at_full_size(a4_booklet):
    """Booklet pages are laid out on half sheets, not shrunk from the A4 pages: the
    type is only a little smaller than on the A4 handout (not 71% of it)."""
    def text_size(path):
        document = pdfium.PdfDocument(path)
        text = document[0].get_textpage()
        sizes = [pdfium_raw.FPDFText_GetFontSize(text.raw, i) for i in range(text.count_chars())]
        document.close()
        return statistics.median(sizes)

    flat = text_size(a4_booklet["02-life.pdf"])
    folded = text_size(a4_booklet["booklet/02-life.pdf"])
    assert flat - 2 <= folded < flat


def test_sample_book_handouts(sample_handouts, sample_book):
    assert sorted(sample_handouts) == ["01-first.pdf", "02-second.pdf", "chronology.pdf",
                                       "glossary.pdf"]
    assert "Questions for discussion" in plain_text(sample_handouts["01-first.pdf"])
    assert "Questions for discussion" not in plain_text(sample_handouts["02-second.pdf"])
    assert (SAMPLE / "questions" / "first.md").is_file()


def test_handouts_for_one_chapter_keep_the_others(tmp_path):
    from folio.build import build

    output = tmp_path / "output"
    build(SAMPLE, output, ["handouts"], options={"handouts": {"chapters": ["glossary"]}})
    build(SAMPLE, output, ["handouts"], options={"handouts": {"chapters": ["chronology"]}})
    assert {p.name for p in (output / "handouts").iterdir()} >= {"glossary.pdf",
                                                                  "chronology.pdf"}
