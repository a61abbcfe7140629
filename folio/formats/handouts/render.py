"""Study handouts: what a reading group prints for a meeting.

For each chapter, ``<target>/<NN>-<chapter-file>.pdf`` (NN: its place among the chapters):
a header naming the book, its author and the chapter; the chapter's page range
in the print edition; the chapter's text; the discussion questions, when the
book has a file ``questions/<chapter-id>.md`` (one Markdown list); the glossary
entries for the terms the chapter uses; the chronology events linked to the
chapter or one of its sections; and the chapter's endnotes, numbered as in the
book. For the apparatus, ``<target>/chronology.pdf`` and ``<target>/glossary.pdf``,
whole, in two columns, with the print edition's page numbers.

Handouts are set on A4 or US Letter, for printing: black text, no link colours,
the address of every link that leaves the book printed after it, "n of N" page
numbers. A link inside a handout leads to something in the same handout (a note,
a glossary entry, a section); a cross-reference to anything else (another
chapter, an entry left out) is set as plain text. Every handout is a tagged PDF
in the theme's fonts only, like the book.

With ``booklet=True`` each handout is *also* made as a folded booklet, in
``<target>/booklet/<same name>.pdf``: laid out again on half sheets (A5 for A4,
5.5 × 8.5 in for Letter, so the type keeps its size), padded with blank pages to a
multiple of 4 and imposed two pages to a side of an A4 or Letter landscape sheet
in saddle-stitch order (see :mod:`folio.typeset.imposition`). Print it duplex,
flipping on the short edge, fold the stack in half and staple on the fold.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html as lxml_html
from weasyprint import CSS, Document

from ...dates import PartialDate
from ...errors import BuildError
from ...htmltree import HtmlElement, text_of
from ...i18n import strings_of
from ...model import Book, GlossaryEntry, Questions, Section
from ...theme.fonts import with_fallbacks
from ...theme.hyphenation import hyphenation_css
from ...theme.scripts import script_sheet
from ...typeset.imposition import impose_booklet
from ...typeset.pagelabels import finisher
from ...typeset.paper import page_size, pt
from ...typeset.typesetter import Typesetter, font_sheet
from . import PAPERS

APPARATUS = ("chronology", "glossary")
# Ids the handout templates give their own parts.
PART_IDS = {"handout-questions", "handout-glossary", "handout-chronology", "handout-notes"}


@dataclass
class Ref:
    """A reference printed in a handout: a link when *href* is set, else plain text."""

    text: str
    href: str | None = None
    page: str = ""  # the page in the print edition, when it helps to say it


@dataclass
class Term:
    anchor: str
    term: str
    definition: HtmlElement
    see: list[Ref] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)  # print edition pages it is used on

    @property
    def inline(self) -> HtmlElement | None:
        """The definition's one paragraph, for a run-in entry; None if it has more."""
        return _single_paragraph(self.definition)


@dataclass
class Event:
    date: PartialDate
    end: PartialDate | None
    text: HtmlElement
    refs: list[Ref] = field(default_factory=list)

    @property
    def inline(self) -> HtmlElement | None:
        """The event's one paragraph, for a run-in entry; None if it has more."""
        return _single_paragraph(self.text)


@dataclass
class Handout:
    name: str  # the file name, without .pdf
    template: str
    title: str  # the PDF's title
    part: str  # what the handout holds: "Chapter 3", "Glossary" …
    running: str  # the running header's right-hand side
    context: dict = field(default_factory=dict)
    apparatus: bool = False  # a reference sheet: the whole glossary or chronology


def render_handouts(book: Book, target: Path, typesetter: Typesetter, paper: str = "a4",
                    booklet: bool = False, chapters: list[str] | None = None) -> list[Path]:
    """Write handout PDFs into the folder *target* (created if need be); return the files.

    *chapters* chooses handouts by chapter id or number, or ``chronology`` and
    ``glossary`` for the apparatus; None makes them all."""
    paper = paper.lower()
    if paper not in PAPERS:
        raise BuildError(f"unknown paper size '{paper}' (choose {' or '.join(PAPERS)})")
    wanted = _select(book, chapters)
    maker = _Maker(book, typesetter)
    handouts = [maker.chapter(s, book.questions.get(s.id)) for s in book.chapters if s.id in wanted]
    if "chronology" in wanted:
        handouts.append(maker.chronology())
    if "glossary" in wanted:
        handouts.append(maker.glossary())

    target.mkdir(parents=True, exist_ok=True)
    width, height = page_size(paper)
    made = []
    for handout in handouts:
        path = target / f"{handout.name}.pdf"
        path.write_bytes(maker.pdf(handout, (width, height), booklet=False))
        made.append(path)
    if booklet:
        (target / "booklet").mkdir(exist_ok=True)
        for handout in handouts:
            pages = maker.pdf(handout, (height / 2, width), booklet=True)
            path = target / "booklet" / f"{handout.name}.pdf"
            path.write_bytes(impose_booklet(pages, (height, width),
                                            right_to_left=book.config.direction == "rtl"))
            made.append(path)
    return made


def _select(book: Book, chosen: list[str] | None) -> set[str]:
    ids = [s.id for s in book.chapters]
    apparatus = [name for name in APPARATUS if getattr(book, name)]
    if chosen is None:
        return {*ids, *apparatus}
    by_number = {s.label: s.id for s in book.chapters if s.label}
    wanted, unknown = set(), []
    for name in chosen:
        name = name.strip()
        if name in ids or name in apparatus:
            wanted.add(name)
        elif name.lstrip("0") in by_number:
            wanted.add(by_number[name.lstrip("0")])
        else:
            unknown.append(name)
    if unknown:
        raise BuildError(f"no chapter '{', '.join(unknown)}' for a handout (choose a chapter "
                         f"id or number: {', '.join(ids + apparatus)})")
    return wanted


# --- the handouts -------------------------------------------------------------------------

class _Maker:
    def __init__(self, book: Book, typesetter: Typesetter):
        self.book = book
        self.typesetter = typesetter
        self.interior = typesetter.interior
        self.folios = self.interior.folios
        self.anchor_label = typesetter.context["anchor_label"]
        self.by_id = {entry.id: entry for entry in book.glossary}
        self.sheets: dict[tuple, CSS] = {}
        self.strings = strings_of(book.config)

    # The print edition's pages.

    def page(self, anchor: str) -> str:
        index = self.folios.page_of.get(anchor)
        return self.folios.label(index) if index is not None else ""

    def print_pages(self, section: Section) -> tuple[str, str]:
        """The folios of the first and last page of *section* in the print edition: from
        the page of its heading to the page before the next section's (a blank page
        left before a section that opens on a right-hand page counts with the section
        before it, as in a printed table of contents)."""
        page_of = self.folios.page_of
        first = page_of[section.id]
        following = self.book.sections[self.book.sections.index(section) + 1:]
        last = next((page_of[s.id] - 1 for s in following if s.id in page_of),
                    self.interior.pages - 1)
        return self.folios.label(first), self.folios.label(max(first, last))

    def pages_text(self, section: Section) -> str:
        first, last = self.print_pages(section)
        return self.strings.text("pages_range", 1 if first == last else 2,
                                 pages=first if first == last else f"{first}–{last}")

    # The three kinds of handout.

    def chapter(self, section: Section, questions: Questions | None) -> Handout:
        book = self.book
        anchors = {section.id, *(h[1] for h in section.headings)}
        notes = book.notes_of(section.id)
        entries = [e for e in book.glossary if any(p.section_id == section.id for p in e.uses)]
        events = [e for e in book.chronology if anchors & set(e.chapters)]
        body = copy.deepcopy(section.body)
        ids = _ids(body) | PART_IDS | {n.id for n in notes} | {e.anchor for e in entries}
        for item in [*(n.body for n in notes), *(e.definition for e in entries),
                     *(e.text for e in events)]:
            ids |= _ids(item)
        terms = [self.term(entry, ids, pages=False) for entry in entries]
        timeline = [self.event(event, ids, leave_out=anchors) for event in events]
        position = book.chapters.index(section) + 1
        say = self.strings.text
        number = say("handout_chapter", n=section.label) if section.label else section.title
        heading = (say("handout_heading", number=number, title=section.title)
                   if section.label else section.title)
        return Handout(
            name=f"{position:02d}-{section.file}", template="handouts/chapter.html",
            title=say("handout_title", book=book.config.title, part=heading),
            part=number, running=(say("handout_running", number=number, title=section.title)
                                  if section.label else number),
            context={"section": section, "body": _localise(body, ids),
                     "print_pages": self.pages_text(section),
                     "questions": [_labelled(_localise(q, ids), f"{number}.") for number, q
                                   in enumerate(questions.items if questions else [], start=1)],
                     "notes": [(n, _labelled(_localise(n.body, ids), f"{n.number}."))
                               for n in notes],
                     "terms": terms, "events": timeline})

    def glossary(self) -> Handout:
        ids = {e.anchor for e in self.book.glossary} | PART_IDS
        for entry in self.book.glossary:
            ids |= _ids(entry.definition)
        title = self.book.section("glossary").title
        return Handout(
            name="glossary", template="handouts/glossary.html",
            title=self.strings.text("handout_title", book=self.book.config.title, part=title),
            part=title,
            running=title, apparatus=True,
            context={"terms": [self.term(e, ids, pages=True) for e in self.book.glossary]})

    def chronology(self) -> Handout:
        ids = set(PART_IDS)
        for event in self.book.chronology:
            ids |= _ids(event.text)
        title = self.book.section("chronology").title
        return Handout(
            name="chronology", template="handouts/chronology.html",
            title=self.strings.text("handout_title", book=self.book.config.title, part=title),
            part=title,
            running=title, apparatus=True,
            context={"events": [self.event(e, ids) for e in self.book.chronology]})

    def term(self, entry: GlossaryEntry, ids: set[str], pages: bool) -> Term:
        see = []
        for other in (self.by_id[i] for i in entry.see if i in self.by_id):
            see.append(Ref(other.term, f"#{other.anchor}" if other.anchor in ids else None))
        used = []
        if pages:
            order = sorted({self.folios.page_of[p.anchor] for p in entry.uses
                            if p.anchor in self.folios.page_of})
            used = [self.folios.label(index) for index in order]
        return Term(entry.anchor, entry.term, _localise(entry.definition, ids), see, used)

    def event(self, event, ids: set[str], leave_out: set[str] = frozenset()) -> Event:
        refs = [Ref(self.anchor_label(anchor), f"#{anchor}" if anchor in ids else None,
                    self.page(anchor))
                for anchor in event.chapters if anchor not in leave_out]
        return Event(event.date, event.end, _localise(event.text, ids), refs)

    # Layout.

    def stylesheet(self, size: tuple[float, float], booklet: bool) -> CSS:
        key = (round(size[0], 2), round(size[1], 2), booklet)
        if key not in self.sheets:
            theme, plan = self.typesetter.theme, self.typesetter.font_plan
            text = "\n".join([
                font_sheet(theme, plan),
                with_fallbacks(theme.env.get_template("css/book.css").render(), plan),
                hyphenation_css(self.book),
                with_fallbacks(theme.env.get_template("css/handouts.css").render(
                    width=pt(size[0]), height=pt(size[1]), booklet=booklet,
                    page_of_pages=self.strings.css_content(
                        "page_of_pages", page="counter(page)", pages="counter(pages)"))
                    + script_sheet(theme, self.book.config, "handouts"), plan),
            ])
            self.sheets[key] = CSS(string=text, url_fetcher=self.typesetter.fetcher,
                                   font_config=self.typesetter.fonts)
        return self.sheets[key]

    def layout(self, handout: Handout, size: tuple[float, float], booklet: bool) -> Document:
        document = self.typesetter.layout(
            handout.template, sheets=[self.stylesheet(size, booklet)], handout=handout,
            booklet=booklet, **handout.context)
        anchors = {anchor for page in document.pages for anchor in page.anchors}
        dead = sorted({target for page in document.pages for kind, target, *_ in page.links
                       if kind == "internal" and target not in anchors})
        if dead:  # a template links to something it does not hold
            raise BuildError(f"the handout {handout.name} links to {', '.join(dead)}, which it "
                             f"does not contain ({handout.template})")
        return document

    def pdf(self, handout: Handout, size: tuple[float, float], booklet: bool) -> bytes:
        document = self.layout(handout, size, booklet)
        return document.write_pdf(pdf_tags=True, finisher=finisher(0))


def _single_paragraph(element: HtmlElement) -> HtmlElement | None:
    blocks = [child for child in element if isinstance(child.tag, str)]
    if len(blocks) == 1 and blocks[0].tag == "p" and not (element.text or "").strip() \
            and not (blocks[0].tail or "").strip():
        return blocks[0]
    return None


# --- links ----------------------------------------------------------------------------------

def _ids(element: HtmlElement) -> set[str]:
    return {e.get("id") for e in element.iter() if isinstance(e.tag, str) and e.get("id")}


def _localise(element: HtmlElement, ids: set[str]) -> HtmlElement:
    """A copy of *element* fit for a handout holding the anchors *ids*: a link to an
    anchor elsewhere in the book becomes plain text; a link out of the book whose text
    is its own address is marked, so that the address is not printed twice."""
    element = copy.deepcopy(element)
    # Index marks mean nothing without the index.
    for mark in element.xpath(".//span[@class='index-mark']"):
        mark.drop_tag()
    _glue_note_references(element)
    for link in element.iter("a"):
        href = link.get("href")
        if href is None:
            continue
        if href.startswith("#"):
            if href[1:] not in ids:
                link.tag = "span"
                for name in ("href", "role", "data-epub-type", "class", "aria-label"):
                    link.attrib.pop(name, None)
                link.set("class", "xref")
        elif _bare(text_of(link), href):
            link.set("class", " ".join([*(link.get("class") or "").split(), "url"]))
    return element


def _labelled(element: HtmlElement, label: str) -> HtmlElement:
    """*element* with *label* (a note's or a question's number) at the start of its
    first paragraph, as text: drawn and read in its place, where a list marker or a
    floated number would be painted apart from the text it numbers."""
    first = next((p for p in element.iter("p")), element)
    number = lxml_html.Element("span", {"class": "label"})
    number.text, number.tail = label, first.text
    first.text = None
    first.insert(0, number)
    return element


def _glue_note_references(element: HtmlElement) -> None:
    """Keep each note reference on the line of the word it follows. Line-breaking
    rules allow a break between punctuation and a digit ("participation,|44"), which
    would set a superscript number at the start of a line."""
    for ref in element.xpath(".//a[contains(concat(' ', @class, ' '), ' noteref ')]"):
        parent, previous = ref.getparent(), ref.getprevious()
        text = (previous.tail if previous is not None else parent.text) or ""
        word = re.search(r"\S+$", text)
        if word is None:
            continue
        if previous is not None:
            previous.tail = text[:word.start()]
        else:
            parent.text = text[:word.start()]
        glue = lxml_html.Element("span", {"class": "nobreak"})
        glue.text, glue.tail, ref.tail = word.group(), ref.tail, None
        parent.replace(ref, glue)
        glue.append(ref)


def _bare(text: str, href: str) -> bool:
    def plain(value: str) -> str:
        return re.sub(r"^(https?://|mailto:)", "", value.strip()).rstrip("/").casefold()

    return plain(text) == plain(href)
