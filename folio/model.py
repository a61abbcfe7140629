"""The Book model: what every renderer reads, built once per build."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import html as lxml_html

from .dates import PartialDate

if TYPE_CHECKING:  # the model is read's product: read imports it, not the reverse
    from .read.config import BookConfig
    from .read.inventory import Inventory
    from .read.removals import Removal

# Section kinds, in reading order (a part opens before the chapters it holds).
FRONT, PART, CHAPTER, APPENDIX, BACK = "front", "part", "chapter", "appendix", "back"


@dataclass
class Section:
    """A unit of the book that opens on a new page and gets its own file in the
    EPUB and the web book. Authored sections carry a parsed body; generated
    back matter (notes, glossary, chronology, index) is rendered from the model
    by a template named after its ``role``."""

    id: str
    kind: str
    title: str
    source: Path | None = None
    body: lxml_html.HtmlElement | None = None
    role: str = ""  # "notes", "glossary", "chronology", "index" for generated sections
    number: int | None = None  # chapter number (None: an unnumbered chapter)
    label: str = ""  # the number printed before the title: "3", "B" (appendix), or none
    part: str | None = None  # the id of the part the section belongs to
    headings: list[tuple[int, str, str]] = field(default_factory=list)  # (level, id, text)
    file: str = ""  # the file's stem in the EPUB and the web book (transforms.filenames)
    line: int = 1  # the line of its heading in *source* (a file may hold several sections)

    @property
    def generated(self) -> bool:
        return self.body is None

    @property
    def numbered_title(self) -> str:
        """The title as the contents and the navigation show it: "3. Title", "B. Title"."""
        return f"{self.label}. {self.title}" if self.label else self.title

    def outline(self, depth: int) -> list[dict]:
        """The section's headings of levels 2 to *depth*, nested:
        ``[{"id", "text", "children": [...]}, ...]``."""
        root: list[dict] = []
        stack: list[tuple[int, list[dict]]] = [(1, root)]
        for level, anchor, text in self.headings:
            if not 2 <= level <= depth:
                continue
            while stack[-1][0] >= level:
                stack.pop()
            entry = {"id": anchor, "text": text, "children": []}
            stack[-1][1].append(entry)
            stack.append((level, entry["children"]))
        return root


@dataclass
class Note:
    number: int
    id: str
    ref_id: str
    section_id: str
    body: lxml_html.HtmlElement


@dataclass
class Place:
    """Where in the text something is used: an anchor inside a section."""

    anchor: str
    section_id: str
    note: int | None = None  # the endnote's number, when the place is inside one


@dataclass
class GlossaryEntry:
    id: str
    term: str
    aliases: list[str]
    definition: lxml_html.HtmlElement
    see: list[str]
    line: int
    uses: list[Place] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"gloss-{self.id}"


@dataclass
class ChronologyEvent:
    date: PartialDate
    end: PartialDate | None
    text: lxml_html.HtmlElement
    chapters: list[str]
    line: int


@dataclass
class IndexEntry:
    heading: str
    key: str = ""  # unique in the book, for finding the entry again in each format
    places: list[Place] = field(default_factory=list)
    subentries: list[IndexEntry] = field(default_factory=list)
    sort_as: str | None = None  # the author's sort key (``sort="…"`` on a mark), if any

    @property
    def sort_text(self) -> str:
        """What the entry is sorted and grouped by: the author's key, else the heading."""
        return self.sort_as or self.heading


@dataclass
class IndexGroup:
    """A letter group of the index (folio/collation.py): its heading as printed (``A``,
    ``Ä``, ``Ziffern``), its kind (``letter``, ``symbols``, ``digits``, ``other``), a
    name for its id (``index-group-a``) and its top-level entries in order."""

    label: str
    kind: str
    slug: str
    entries: list[IndexEntry]


@dataclass
class BibEntry:
    """A work of the bibliography: its anchor (``ref-KEY``, what citations link to), its
    key, and the style's words for it (a ``<div>``)."""

    id: str
    key: str
    body: lxml_html.HtmlElement


@dataclass
class Bibliography:
    """The works cited, in the style's order, under *title*; *style* is the style's
    class, ``note`` or ``in-text``."""

    title: str
    entries: list[BibEntry]
    style: str


@dataclass
class Questions:
    """A chapter's discussion questions: each an ``<li>`` element."""

    source: Path
    items: list[lxml_html.HtmlElement]


@dataclass
class Target:
    """What a cross-reference may name (``{#fig:x}``, ``{#tbl:x}``, ``{#eq:x}``,
    ``{#sec:x}``): its *kind* (the label's prefix), its number as printed ("3.2",
    "A.1"; a section's is its chapter's label or none), its caption or title as
    text, and the section that holds it."""

    label: str
    kind: str
    number: str
    caption: str
    section_id: str


@dataclass
class TextFault:
    """A fault the read stage found in the text that does not stop the reading (a
    cross-reference to no label, a formula the converter cannot read): the lint
    code, where (file and line, when known) and what."""

    code: str
    path: Path | None
    line: int | None
    message: str


@dataclass
class Book:
    config: BookConfig
    sections: list[Section]
    notes: list[Note] = field(default_factory=list)
    glossary: list[GlossaryEntry] = field(default_factory=list)
    chronology: list[ChronologyEvent] = field(default_factory=list)
    index: list[IndexEntry] = field(default_factory=list)
    index_groups: list[IndexGroup] = field(default_factory=list)  # the index cut by letter
    meta_html: dict[str, lxml_html.HtmlElement] = field(default_factory=dict)
    resources: set[str] = field(default_factory=set)  # images, by the name the formats give them
    image_files: dict[str, str] = field(default_factory=dict)  # that name -> path in the book
    # The cleaned content of the images whose files had to be cleaned (SVG), by path;
    # every format uses these bytes instead of the file's.
    cleaned_images: dict[str, bytes] = field(default_factory=dict)
    image_sizes: dict[str, tuple[int, int] | None] = field(default_factory=dict)  # px; SVG None
    questions: dict[str, Questions] = field(default_factory=dict)  # by chapter id
    # What the cleaning of its HTML and SVG images removed, each at its source's place.
    sanitized: list[Removal] = field(default_factory=list)
    # Every cross-reference target, by label, in reading order (transforms.crossrefs).
    targets: dict[str, Target] = field(default_factory=dict)
    # Faults in the text the lint reports (cross-references, formulas).
    reading_findings: list[TextFault] = field(default_factory=list)
    bibliography: Bibliography | None = None  # the works cited (read.citations)
    # What the lint rules need of pandoc's reading of each Markdown file, in reading order.
    inventories: list[Inventory] = field(default_factory=list)
    # Each manuscript file's anchors: {source: {id as written: id in the book}}, kept by
    # transforms.ids, so that a link to ``two.md#part`` finds its target once ids change.
    anchors_by_source: dict[Path, dict[str, str]] = field(default_factory=dict)

    def texts(self) -> list[lxml_html.HtmlElement]:
        """Every parsed text of the book a transform may mark: the sections' bodies,
        the notes, glossary definitions, chronology events, discussion questions and
        the entries of the bibliography."""
        roots = [s.body for s in self.sections if s.body is not None]
        roots += [note.body for note in self.notes]
        roots += [entry.definition for entry in self.glossary]
        roots += [event.text for event in self.chronology]
        roots += [item for questions in self.questions.values() for item in questions.items]
        roots += [entry.body for entry in (self.bibliography.entries if self.bibliography
                                           else [])]
        return roots

    def section(self, section_id: str) -> Section:
        return next(s for s in self.sections if s.id == section_id)

    def sections_by_id(self) -> dict[str, Section]:
        """Each section by its id, as the sections are now (a transform may change them):
        for a loop that would otherwise call :meth:`section` for each note."""
        return {section.id: section for section in self.sections}

    def of_kind(self, kind: str) -> list[Section]:
        return [s for s in self.sections if s.kind == kind]

    @property
    def chapters(self) -> list[Section]:
        return self.of_kind(CHAPTER)

    def targets_of(self, kind: str) -> list[Target]:
        """The numbered targets of one *kind* ("fig", "tbl", "eq"), in reading order."""
        return [t for t in self.targets.values() if t.kind == kind and t.number]

    def notes_of(self, section_id: str) -> list[Note]:
        return [n for n in self.notes if n.section_id == section_id]

    def notes_by_section(self) -> dict[str, list[Note]]:
        """Each section's notes by the section's id, in order, as the notes are now: for
        a loop over the sections that would otherwise call :meth:`notes_of` for each."""
        found: dict[str, list[Note]] = {}
        for note in self.notes:
            found.setdefault(note.section_id, []).append(note)
        return found
