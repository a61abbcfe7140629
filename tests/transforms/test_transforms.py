"""folio.transforms: unique ids, book-wide notes, glossary links, the index."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import MINIMAL_CONFIG, write_book

from folio.htmltree import fragment
from folio.model import CHAPTER, FRONT, Book, GlossaryEntry, Section
from folio.read.book import read_book
from folio.read.config import BookConfig, Contents
from folio.transforms.glossary import link_glossary_terms
from folio.transforms.ids import RESERVED, make_ids_unique
from folio.transforms.index import sort_key

SKIP = {"h1", "h2", "h3", "h4", "h5", "h6", "a", "code", "pre"}


def body_ids(book: Book) -> list[str]:
    """The ids in the text of the authored sections (headings, note refs, marks…)."""
    return [e.get("id") for s in book.sections if s.body is not None
            for e in s.body.iter() if e.get("id")]


def generated_ids(book: Book) -> set[str]:
    """The anchors the templates add: pages, notes, glossary entries, notes headings."""
    found = set(RESERVED) | {n.id for n in book.notes} | {g.anchor for g in book.glossary}
    found |= {s.id for s in book.sections if s.generated}
    found |= {f"notes-{s.id}" for s in book.sections if book.notes_of(s.id)}
    return found


def id_problems(book: Book) -> list[str]:
    ids = body_ids(book)
    twice = sorted({i for i in ids if ids.count(i) > 1})
    clashes = sorted(set(ids) & generated_ids(book))
    return [f"id {i!r} is used twice in the text" for i in twice] + \
        [f"id {i!r} in the text is also a generated anchor" for i in clashes]


# --- ids ----------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["book", "sample_book"])
def test_ids_are_unique_in_the_whole_book(request, which):
    problems = id_problems(request.getfixturevalue(which))
    assert not problems, "\n".join(problems)


def test_duplicate_headings_are_renamed_and_links_follow(sample_book):
    second = sample_book.section("second")
    assert [h[1] for h in second.headings] == ["second", "second-overview"]
    hrefs = [a.get("href") for a in second.body.iter("a") if not a.get("class")]
    assert "#second-overview" in hrefs, "a link to the renamed heading is renamed too"
    assert "#first" in hrefs, "a link to another chapter keeps its target"


def test_author_ids_never_take_generated_anchors(tmp_path):
    # Headings whose automatic ids are those the build generates for notes, glossary
    # entries and its own pages: each must be renamed, or links land on the wrong element.
    config = MINIMAL_CONFIG.replace("contents:\n", "contents:\n  glossary: glossary.yaml\n")
    chapter = ("# Chapter One {#one}\n\nThe Soviet met.[^1]\n\n## Note 1\n\n## Noteref 1\n\n"
               "## Gloss Soviet\n\n## Notes\n\n## Contents\n\n## Notes One\n\n[^1]: A note.\n")
    write_book(tmp_path, config, chapter,
               {"glossary.yaml": "- term: Soviet\n  definition: A council.\n"})
    problems = id_problems(read_book(tmp_path, warn=lambda m: None))
    assert not problems, "\n".join(problems)


# --- notes --------------------------------------------------------------------------------

def noterefs(model: Book) -> list:
    return [a for s in model.sections if s.body is not None
            for a in s.body.iter("a") if a.get("class") == "noteref"]


@pytest.mark.parametrize("which", ["book", "sample_book"])
def test_notes_numbered_through_the_book_in_reading_order(request, which):
    model = request.getfixturevalue(which)
    numbers = [n.number for n in model.notes]
    assert numbers == list(range(1, len(numbers) + 1))
    order = [s.id for s in model.sections]
    positions = [order.index(n.section_id) for n in model.notes]
    assert positions == sorted(positions), "notes follow the order of the sections"
    refs = noterefs(model)
    assert [(a.get("id"), a.get("href"), a.text) for a in refs] == [
        (f"noteref-{n}", f"#note-{n}", str(n)) for n in numbers]


def test_sample_notes(sample_book):
    assert [n.section_id for n in sample_book.notes] == [
        "preface", "first", "first", "second", "second"]
    assert "first note of the book" in sample_book.notes[0].body.text_content()
    assert "last note of the book" in sample_book.notes[-1].body.text_content()
    assert not sample_book.section("first").body.xpath(".//*[@class='folio-noteref']"), \
        "no placeholder is left in the text"


# --- glossary links ---------------------------------------------------------------------

def entry(term, *aliases, entry_id=None):
    return GlossaryEntry(id=entry_id or re.sub(r"\W+", "-", term.lower()), term=term,
                         aliases=list(aliases), definition=fragment("<p>d</p>"), see=[], line=1)


def model_of(*chapters: str, glossary=(), front: tuple[str, ...] = ()) -> Book:
    """A Book model straight from HTML bodies, without pandoc."""
    config = BookConfig(root=Path("."), title="T", author="A", contents=Contents())
    sections = [Section(id=f"f{n}", kind=FRONT, title="F", body=fragment(html))
                for n, html in enumerate(front)]
    sections += [Section(id=f"c{n}", kind=CHAPTER, title="C", body=fragment(html))
                 for n, html in enumerate(chapters)]
    book = Book(config=config, sections=sections, glossary=list(glossary))
    make_ids_unique(book)
    link_glossary_terms(book)
    return book


def links(section: Section) -> list[tuple[str, str]]:
    """(href, text) of each glossary link in a section."""
    return [(a.get("href"), a.text) for a in section.body.iter("a")
            if "glossterm" in (a.get("class") or "")]


def test_first_use_in_each_chapter_is_linked():
    soviet = entry("Soviet", "Soviets")
    book = model_of('<h1 id="a">A</h1><p>The Soviet met. The Soviet voted.</p>',
                    '<h1 id="b">B</h1><p>Two soviets and one Soviet.</p>', glossary=[soviet])
    assert links(book.sections[0]) == [("#gloss-soviet", "Soviet")]
    assert links(book.sections[1]) == [("#gloss-soviet", "soviets")], \
        "aliases and any case count; the first use in each chapter is linked"
    assert [(p.section_id, p.anchor) for p in soviet.uses] == [
        ("a", book.sections[0].body.xpath(".//a[@class='glossterm']")[0].get("id")),
        ("b", book.sections[1].body.xpath(".//a[@class='glossterm']")[0].get("id"))]


def test_never_in_headings_links_or_code():
    book = model_of('<h1 id="a">The Soviet</h1><h2 id="s">Soviet power</h2>'
                    '<p><a href="https://example.org">a Soviet site</a>, <code>Soviet</code>,'
                    ' then the Soviet.</p>', glossary=[entry("Soviet")])
    body = book.sections[0].body
    assert links(book.sections[0]) == [("#gloss-soviet", "Soviet")]
    link = body.xpath(".//a[@class='glossterm']")[0]
    assert link.getparent().tag == "p" and link.tail == "."
    assert body.xpath("count(.//h1//a | .//h2//a | .//code//a | .//a//a)") == 0


def test_first_use_counts_text_inside_inline_markup():
    # Document order: the italic first use comes before the plain second one.
    book = model_of('<h1 id="a">A</h1><p><em>Soviet</em> power, then the Soviet again.</p>',
                    glossary=[entry("Soviet")])
    link = book.sections[0].body.xpath(".//a[@class='glossterm']")[0]
    assert link.getparent().tag == "em", "the first use (in italics) is the one linked"


def test_longest_term_wins_and_words_are_whole():
    book = model_of('<h1 id="a">A</h1><p>Sovietology aside, permanent revolution and '
                    'revolution.</p>',
                    glossary=[entry("Revolution"), entry("Permanent revolution"),
                              entry("Soviet")])
    assert links(book.sections[0]) == [("#gloss-permanent-revolution", "permanent revolution"),
                                       ("#gloss-revolution", "revolution")]


def test_front_matter_is_not_linked():
    book = model_of('<h1 id="a">A</h1><p>Soviet.</p>', front=('<h1 id="i">I</h1><p>Soviet.</p>',),
                    glossary=[entry("Soviet")])
    assert links(book.sections[0]) == []
    assert links(book.sections[1]) == [("#gloss-soviet", "Soviet")]


def eligible_runs(body, stop):
    """Text of *body* in document order, outside SKIP elements, up to element *stop*."""
    runs = []

    def walk(element, skipping):
        if element is stop:
            return True
        skipping = skipping or element.tag in SKIP
        if not skipping:
            runs.append(element.text or "")
        for child in element:
            if walk(child, skipping):
                return True
            if not skipping:
                runs.append(child.tail or "")
        return False

    walk(body, False)
    return "\n".join(runs)


@pytest.mark.parametrize("which", ["book", "sample_book"])
def test_glossary_links_in_the_books(request, which):
    model = request.getfixturevalue(which)
    entries = {g.anchor: g for g in model.glossary}
    forms = sorted(((f, g) for g in model.glossary for f in [g.term, *g.aliases]),
                   key=lambda fg: len(fg[0]), reverse=True)
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(re.escape(f) for f, _ in forms) + r")(?!\w)",
                         re.IGNORECASE)
    by_form = {}
    for form, g in forms:
        by_form.setdefault(form.casefold(), g)
    problems = []
    for section in model.chapters:
        linked = {}
        for a in section.body.xpath(".//a[contains(@class, 'glossterm')]"):
            target = entries.get(a.get("href", "")[1:])
            if target is None:
                problems.append(f"{section.id}: {a.get('href')} is no glossary entry")
                continue
            if target.id in linked:
                problems.append(f"{section.id}: {target.term!r} linked twice")
            linked[target.id] = a
            if any(anc.tag in SKIP for anc in a.iterancestors()):
                problems.append(f"{section.id}: {target.term!r} linked inside "
                                f"<{next(x.tag for x in a.iterancestors() if x.tag in SKIP)}>")
        for g in model.glossary:
            before = eligible_runs(section.body, linked.get(g.id))
            uses = [m[0] for m in pattern.finditer(before) if by_form[m[0].casefold()] is g]
            if uses:
                where = "before its link" if g.id in linked else "and is never linked"
                problems.append(f"{section.id}: {g.term!r} is used ({uses[0]!r}) {where}")
    assert not problems, "\n".join(problems)


# --- index --------------------------------------------------------------------------------

def test_index_sort_key_ignores_articles_case_accents_punctuation():
    headings = ["zebra", "The Soviet Union", "Theory", "an apple", "Éclair", "“Quoted”",
                "A Bolshevik", "lenin", "Marx", "Anarchism"]
    assert sorted(headings, key=sort_key) == [
        "Anarchism", "an apple", "A Bolshevik", "Éclair", "lenin", "Marx", "“Quoted”",
        "The Soviet Union", "Theory", "zebra"]


def test_sample_index(sample_book):
    assert [e.heading for e in sample_book.index] == [
        "an apple", "Bolsheviks", "Éclair", "Lenin, Vladimir", "Mensheviks",
        "The Soviet Union", "zebra"]
    soviet = sample_book.index[5]
    assert soviet.places == []
    assert [e.heading for e in soviet.subentries] == ["Kronstadt", "Soviets"]
    apple = sample_book.index[0]
    assert [p.section_id for p in apple.places] == ["first", "second"]
    [mensheviks] = sample_book.index[4].places
    assert (mensheviks.section_id, mensheviks.note) == ("first", 2), \
        "a mark inside a note is located by the note's number"


@pytest.mark.parametrize("which", ["book", "sample_book"])
def test_index_marks_and_order(request, which):
    model = request.getfixturevalue(which)
    headings = [e.heading for e in model.index]
    assert headings == sorted(headings, key=sort_key)
    marks = [m for s in model.sections if s.body is not None
             for m in s.body.xpath(".//span[contains(@class, 'index')]")]
    marks += [m for n in model.notes for m in n.body.xpath(".//span[contains(@class, 'index')]")]
    assert all(m.get("class") == "index-mark"
               and re.fullmatch(r"ixref-.+-\d+", m.get("id") or "")
               and m.get("data-term") is None for m in marks)

    def places(entries):
        return [p.anchor for e in entries for p in e.places] + \
            [a for e in entries for a in places(e.subentries)]

    assert sorted(places(model.index)) == sorted(m.get("id") for m in marks)
