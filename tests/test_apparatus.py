"""The first book's editorial apparatus: counts, coverage and sources (issue-level checks
on manuscript/, not on the toolchain)."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import yaml
from helpers import AUTHOR_TEXT, epub_files, html_files

from folio.htmltree import text_of

MINIMUM = {"glossary": 40, "notes": 40, "chronology": 50, "index": 80}


def test_apparatus_is_as_large_as_a_study_edition_needs(book):
    counts = {"glossary": len(book.glossary), "notes": len(book.notes),
              "chronology": len(book.chronology), "index": len(book.index)}
    short = {k: f"{counts[k]} < {v}" for k, v in MINIMUM.items() if counts[k] < v}
    assert not short, short


def test_every_glossary_entry_is_used_in_the_text(book):
    unused = [entry.term for entry in book.glossary if not entry.uses]
    assert not unused, f"never used in a chapter: {unused}"


def test_glossary_see_also_names_existing_entries(book):
    ids = {entry.id for entry in book.glossary}
    dangling = [(e.term, s) for e in book.glossary for s in e.see if s not in ids]
    assert not dangling, dangling


def test_every_index_entry_has_a_place_and_every_place_exists(book, html_dir):
    def empty(entries, prefix=""):
        for entry in entries:
            if not entry.places and not entry.subentries:
                yield prefix + entry.heading
            yield from empty(entry.subentries, prefix + entry.heading + " / ")

    assert not list(empty(book.index))
    pages = "".join(data.decode() for name, data in html_files(html_dir).items()
                    if name.endswith(".html"))
    anchors = set(re.findall(r'\sid="(ixref-[^"]+-\d+)"', pages))
    places = [p.anchor for entry in book.index for p in _places(entry)]
    missing = [anchor for anchor in places if anchor not in anchors]
    assert not missing, missing


def _places(entry):
    yield from entry.places
    for sub in entry.subentries:
        yield from _places(sub)


def test_index_sorts_without_articles_and_case(book):
    from folio.transforms.index import sort_key

    keys = [sort_key(entry.heading) for entry in book.index]
    assert keys == sorted(keys)


def test_chronology_is_in_date_order(book):
    dates = [event.date.sort_key() for event in book.chronology]
    assert dates == sorted(dates)
    for event in book.chronology:
        if event.end is not None:
            assert event.end.end_key() >= event.date.sort_key(), event.date.iso()


def test_chronology_spans_trotskys_birth_to_the_end_of_the_ussr(book):
    assert book.chronology[0].date.iso() == "1879-11-07"
    assert book.chronology[-1].date.iso() == "1991-12-26"


def test_every_year_the_author_names_is_in_the_chronology(book):
    text = AUTHOR_TEXT.read_text(encoding="utf-8")
    years = {int(y) for y in re.findall(r"(?<!\d)(1[89]\d\d)(?![\ds])", text)}
    decades = {int(y) for y in re.findall(r"(?<!\d)(1[89]\d0)s", text)}
    covered = set()
    for event in book.chronology:
        last = event.end.year if event.end else event.date.year
        covered.update(range(event.date.year, last + 1))
    assert years - covered == set(), sorted(years - covered)
    empty = [d for d in decades if not covered & set(range(d, d + 10))]
    assert not empty, f"decades with no event: {empty}"


def test_every_chronology_link_reaches_a_chapter(book):
    ids = {h[1] for s in book.sections for h in s.headings}
    assert all(target in ids for e in book.chronology for target in e.chapters)
    assert sum(bool(e.chapters) for e in book.chronology) >= 30


def test_every_note_names_a_source(book):
    # A source is an author with a title in italics, or at least a year.
    unsourced = [note.number for note in book.notes
                 if not note.body.xpath(".//em") and not re.search(r"\b1[89]\d\d\b",
                                                                   text_of(note.body))]
    assert not unsourced, f"notes without a title in italics or a year: {unsourced}"


def test_notes_are_spread_over_every_chapter(book):
    bare = [c.title for c in book.chapters if len(book.notes_of(c.id)) < 2]
    assert not bare, bare


def test_front_matter_names_title_author_and_first_publication(book, html_dir):
    home = (html_dir / "index.html").read_text(encoding="utf-8")
    for words in ("Leon Trotsky", "Life, Ideas and Relevance in the Light of Quantum Dialectics",
                  "Chandran KC", "7 February 2025", "Quantum Dialectics", "CC BY 4.0",
                  f"version {book.config.version}"):
        assert words in home, words


def test_apparatus_reaches_every_format(built, book):
    epub = epub_files(built["epub"])
    for name in ("notes.xhtml", "glossary.xhtml", "chronology.xhtml", "index.xhtml"):
        assert f"EPUB/{name}" in epub, name
    web = html_files(built["html"])
    for name in ("notes.html", "glossary.html", "chronology.html", "book-index.html"):
        assert name in web, name
    text = "\n".join(page.extract_text() for page in pypdf.PdfReader(built["pdf"]).pages)
    for heading in ("Notes", "Glossary", "Chronology", "Index"):
        assert re.search(rf"^{heading}$", text, re.M), heading
    first_term = book.glossary[0].term
    assert first_term in text


def test_pdf_index_merges_consecutive_pages(built):
    reader = pypdf.PdfReader(built["pdf"])
    start = next(i for i, label in enumerate(reader.page_labels) if label == "1")
    index_pages = [p.extract_text() for p in reader.pages[start:]
                   if p.extract_text().lstrip().startswith("Index")]
    assert index_pages, "no index page"
    assert re.search(r"\d+–\d+", "".join(index_pages)), "no merged page range in the index"


# --- Works Cited ------------------------------------------------------------------------

MANUSCRIPT = Path(__file__).resolve().parent.parent / "manuscript"
# Periodicals a note names as its subject (a paper Trotsky wrote for), not as a source.
PERIODICALS_AS_SUBJECTS = {"Iskra", "Bulletin of the Opposition", "Bulletin"}


def _works() -> list[dict]:
    config = yaml.safe_load((MANUSCRIPT / "book.yaml").read_text(encoding="utf-8"))
    return yaml.safe_load((MANUSCRIPT / config["bibliography"]).read_text(
        encoding="utf-8"))["references"]


def _note_sources() -> list[tuple[str, str]]:
    """[(file:line, the note's Markdown)] of every note of the introduction and chapters."""
    notes = []
    for path in [MANUSCRIPT / "front/introduction.md",
                 *sorted((MANUSCRIPT / "chapters").glob("*.md"))]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.match(r"\[\^[^\]]+\]: ", line):
                notes.append((f"{path.name}:{number}", line))
    return notes


def test_every_work_a_note_names_is_in_the_works_cited(book):
    works = _works()
    names = set()
    for work in works:
        for field in ("title", "title-short", "container-title"):
            if field in work:
                names.add(re.sub(r"<[^>]+>", "", work[field]))
    keys = {work["id"] for work in works}
    cited, unlisted = set(), []
    for where, note in _note_sources():
        cited |= set(re.findall(r"@([\w-]+)", note))
        # an italic title outside a citation: a work the list holds, or a periodical
        for title in re.findall(r"(?<![*\w])\*([^*]+)\*(?!\*)", note):
            if title not in names and title not in PERIODICALS_AS_SUBJECTS:
                unlisted.append(f"{where}: {title}")
    assert not unlisted, unlisted
    assert cited <= keys, cited - keys
    # every work is cited or listed on purpose, and every one reaches the book's list
    assert keys == cited | set(book.config.citations.nocite), keys ^ (cited | set(
        book.config.citations.nocite))
    assert sorted(e.key for e in book.bibliography.entries) == sorted(keys)
    assert book.bibliography.title == "Works Cited"


def test_the_works_cited_reaches_every_format(built, book):
    entries = {e.id: " ".join(e.body.text_content().split()) for e in book.bibliography.entries}
    assert len(entries) == len(_works())
    epub = epub_files(built["epub"])
    page = epub["EPUB/bibliography.xhtml"].decode("utf-8")
    assert re.search(r'epub:type="[^"]*\bbibliography\b', page) and ">Works Cited<" in page
    web = html_files(built["html"])["bibliography.html"].decode("utf-8")
    assert 'role="doc-bibliography"' in web and ">Works Cited<" in web
    for anchor in entries:
        assert f'id="{anchor}"' in page, anchor
        assert f'id="{anchor}"' in web, anchor
    notes = epub["EPUB/notes.xhtml"].decode("utf-8") + html_files(built["html"])[
        "notes.html"].decode("utf-8")
    assert all(f"#{anchor}" in notes for anchor in entries
               if anchor.removeprefix("ref-") not in book.config.citations.nocite)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(built["pdf"]).pages)
    assert re.search(r"^Works Cited$", text, re.M)
    flat = re.sub(r"-\n|\s+", lambda m: "" if m.group(0) == "-\n" else " ", text)
    missing = [entry for entry in entries.values() if entry[:40] not in flat]
    assert not missing, missing
