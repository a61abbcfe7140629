"""Typesetting with WeasyPrint: the book's interior and its cover, laid out once per
build and shared by every output that needs the layout (the PDFs, the EPUB's
print page numbers and cover image).

The interior is laid out a section at a time, each from a right-hand page: first
the main matter (chapters, then notes, glossary, chronology, index), then the front
matter. A section of the main matter is laid out without its folios, which are
drawn afterwards as a layer of their own (``folio_layer``), so it does not depend on
where it starts: the sections are laid out side by side, one a core (``pool``). A
section that prints page numbers of other sections (a note's "p. 12", the index's
merged "4–5", a cross-reference's "on p. 47") waits until the sections before it
that hold those pages are laid out, and sets them as plain text. A page it names
that is not known before its own layout (in itself or later in the book) is taken
from the layout before: the main matter is laid out again, with those numbers, until
they hold. Each section is written to a PDF of its own, kept between builds
(``parts``), and the PDFs are joined into the book with their folio layers
(``join``).
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path

import weasyprint
from weasyprint import CSS, HTML, Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration

from ..errors import BuildError
from ..files import allowed_file
from ..i18n import strings_of
from ..lint.findings import Finding
from ..model import FRONT, Book, IndexEntry
from ..theme.context import render_context
from ..theme.fonts import FontPlan, font_faces, plan_for_book, with_fallbacks
from ..theme.hyphenation import hyphenation_css
from ..theme.scripts import script_sheet
from ..theme.templates import PRINT_BREAK, Theme
from ..transforms.crossref_words import words_for
from ..transforms.resources import image_bytes
from . import pdfwriter  # noqa: F401 - fixes the PDF writer on import
from .fetcher import ProjectFetcher
from .fit import LEVELS, mark_tables, overflowing_tables, table_location
from .folio_layer import LayerMaker, recording
from .fontcheck import theme_fonts_only
from .margins import Margins, margin_rules
from .paper import page_size, pt
from .parts import Part, PartStore, commit, environment_digest
from .pool import LayoutPool
from .printers import points, preset_for
from .spine import spine_rotation
from .svgfonts import themed_svg
from .tagging import describe_links, finish_tags, finishers
from .wrap import SPINE_TYPE_MAX, WrapGeometry, wrap_geometry
from .wrapcover import barcode_markup, wrap_cover
from .xrefpages import with_xref_pages

_TOOLCHAIN = Path(__file__).resolve().parents[1]
PROGRESS_EVERY = 2.0  # seconds between progress messages during a long layout
FORWARD_PLACEHOLDER = "00"  # a page not yet laid out, in a first layout
_IDS = re.compile(r'\sid="([^"]+)"')
SETTLING_LAYOUTS = 3  # at most, before page numbers that do not settle are an error
MAIN_NUMBERS = "main-matter-pages"  # the last layout's pages, the next build's guesses


def font_sheet(theme: Theme, plan: FontPlan) -> str:
    """The theme's ``@font-face`` rules and the fallback faces *plan* needs, by file URL."""
    font_url = theme.asset("fonts/LinLibertine_R.otf").parent.as_uri() + "/"
    return (theme.env.get_template("css/fonts.css").render(font_url=font_url)
            + "\n" + font_faces(plan, lambda path: path.as_uri(), math=False))


def stylesheet(theme: Theme, book: Book, plan: FontPlan) -> str:
    parts = [
        font_sheet(theme, plan),
        with_fallbacks(theme.env.get_template("css/book.css").render(), plan),
        hyphenation_css(book),
        with_fallbacks(theme.env.get_template("css/pdf.css").render(
            trim=book.config.trim, book_title=book.config.title.replace('"', "'"),
            toc_depth=book.config.toc_depth)
            + script_sheet(theme, book.config, "pdf"), plan),
    ]
    return "\n".join(parts)


class Folios:
    """The printed page number of each page: roman before the first chapter, then arabic."""

    def __init__(self, page_of: dict[str, int], book: Book):
        self.page_of = page_of  # anchor -> page (counted from 0) it begins on
        self.start = page_of.get(book.chapters[0].id, 0)

    def label(self, page: int) -> str:
        """The folio printed on page *page* (counted from 0): ``xii``, ``1``, ``2`` …"""
        return str(page - self.start + 1) if page >= self.start else _roman(page + 1)


@dataclass
class Interior:
    """The book's pages (no cover) as parts in reading order, with their folios and
    where each printed page begins."""

    parts: list[Part]
    folios: Folios
    starts: list[PageStart]
    nested: list[bool] = field(default_factory=list)  # a part's bookmarks under the last
    layers: list[Part | None] = field(default_factory=list)  # each part's folio layer

    @property
    def pages(self) -> int:
        return sum(part.pages for part in self.parts)

    @property
    def front(self) -> Part:
        return self.parts[0]


class PageNumbers:
    backlink_text = "(p.\u00a0{page})"  # a note's back-link in print (catalogue: page_backlink)
    """The page numbers known so far, for the sections laid out after: the arabic
    numbers of the main matter's anchors and the roman ones of the front matter's
    (from its draft). An unknown anchor gets *placeholder*, or None. A
    cross-reference to an anchor later in the book gets its number in *earlier*
    (a previous layout of the main matter: anchor -> number), or FORWARD_PLACEHOLDER."""

    def __init__(self, front: Part | None = None, placeholder: str | None = None,
                 earlier: dict[str, int] | None = None) -> None:
        self.number_of: dict[str, int] = {}
        self.placeholder = placeholder
        self.front_label_of = _roman_labels(front)
        self.front_asked: set[str] = set()
        self.earlier = earlier
        self.forward_asked: dict[str, int | None] = {}  # anchor -> number printed for it
        self.missing: set[str] = set()  # anchors asked for and not known, since cleared

    def set_front(self, front: Part) -> None:
        """The front matter's roman labels, from its laid-out draft *front*."""
        self.front_label_of = _roman_labels(front)

    def known(self, anchor: str) -> bool:
        """Whether the page of *anchor* is known (main matter or front matter)."""
        return anchor in self.number_of or anchor in self.front_label_of

    def add(self, part: Part, first: int) -> None:
        for anchor, offset in part.anchors.items():
            self.number_of.setdefault(anchor, first + offset)

    def number(self, anchor: str) -> int | None:
        return self.number_of.get(anchor)

    def label(self, anchor: str) -> str | None:
        number = self.number_of.get(anchor)
        if number is not None:
            return str(number)
        if anchor in self.front_label_of:
            self.front_asked.add(anchor)
            return self.front_label_of[anchor]
        self.missing.add(anchor)
        return self.placeholder

    def forward_label(self, anchor: str) -> str:
        """The page a cross-reference prints for *anchor*: known, or (an anchor later in
        the book) the previous layout's guess, kept for ``forward_labels_hold``."""
        known = self.label(anchor)
        if known is not None:
            return known
        guess = self.earlier.get(anchor) if self.earlier is not None else None
        self.forward_asked[anchor] = guess
        return str(guess) if guess is not None else FORWARD_PLACEHOLDER

    def forward_labels_hold(self) -> bool:
        """Whether every page printed for an anchor later in the book is the page the
        anchor got in this layout (a first layout, which could only guess, holds only
        when it had nothing to guess)."""
        if self.earlier is None:
            return not self.forward_asked
        return all(self.number_of.get(a) == n for a, n in self.forward_asked.items())

    def front_labels_hold(self, front: Part) -> bool:
        """Whether the final front matter has the anchors the main matter named where
        its draft had them."""
        final = _roman_labels(front)
        return all(final.get(a) == self.front_label_of[a] for a in self.front_asked)

    def ranges(self, entry: IndexEntry) -> list[tuple[str, str]]:
        """An index entry's pages, merged:
        ``[("ixref-first-3", "4–5"), ("ixref-second-1", "12")]``."""
        first_anchor: dict[int, str] = {}
        for place in entry.places:
            page = self.number(place.anchor)
            if page is None:
                self.missing.add(place.anchor)
            if page is not None:
                first_anchor.setdefault(page, place.anchor)
        pages = sorted(first_anchor)
        merged: list[list[int]] = []
        for page in pages:
            if merged and page == merged[-1][-1] + 1:
                merged[-1].append(page)
            else:
                merged.append([page])
        return [(first_anchor[run[0]], f"{run[0]}–{run[-1]}" if len(run) > 1 else str(run[0]))
                for run in merged]

    def with_page_backlink(self, body):
        """A note's body with its back-link naming the page of the note's reference."""
        link = next(iter(body.iterfind(".//a[@class='backlink']")), None)
        label = self.label(link.get("href", "").lstrip("#")) if link is not None else None
        if label is None:
            return body
        body = copy.deepcopy(body)
        link = next(body.iterfind(".//a[@class='backlink']"))
        link.text = self.backlink_text.format(page=label)
        return body

    def context(self) -> dict:
        return {"page_label": self.label, "index_ranges": self.ranges,
                "page_backlinked": self.with_page_backlink}


def _roman_labels(front: Part | None) -> dict[str, str]:
    anchors = front.anchors if front is not None else {}
    return {anchor: _roman(page + 1) for anchor, page in anchors.items()}


class Typesetter:
    """Lays out the book (once) and its covers with the theme's templates and CSS."""

    def __init__(self, book: Book, parts: PartStore | None = None,
                 progress: Callable[[str], None] | None = None):
        self.book = book
        self.progress = progress or (lambda message: None)
        self.warnings: list[Finding] = []  # what the layout found, each reported once
        self.theme = Theme(book.config.root)
        self.font_plan = plan_for_book(book, self.theme)
        self.context = render_context(book)
        fallback_files = [path for face in self.font_plan.fallbacks for path in face.files]
        # Every image is served from the model, by the name the formats give it: cleaned
        # (SVG), converted (PDF figures), its SVG text set in the theme's faces.
        served = {name: image_bytes(book, name) for name in book.resources}
        self.fetcher = ProjectFetcher(
            [book.config.root, *self.theme.folders, *fallback_files],
            {(book.config.root / name).resolve():
             themed_svg(data, self.font_plan) if name.lower().endswith(".svg") else data
             for name, data in served.items()})
        self.fonts = FontConfiguration()
        self.parts = parts or PartStore()
        self.printer = preset_for(book.config)[0]
        self.workers = 0  # processes forked to lay out sections (none: all laid out here)
        self.fronts_ahead: set[str] = set()  # keys of front matters laid out ahead of need
        self._set_stylesheet(stylesheet(self.theme, book, self.font_plan))

    def _set_stylesheet(self, sheet: str) -> None:
        """Lay out with *sheet* from now on (the parts' key changes with it)."""
        book = self.book
        self.stylesheet = sheet
        self.css = CSS(string=sheet, url_fetcher=self.fetcher, font_config=self.fonts)
        self.parts.environment = environment_digest(
            [*zip(self.theme.folders, self.theme.roots, strict=True), (_TOOLCHAIN, _TOOLCHAIN)],
            [(book.config.root / book.image_files.get(name, name), book.config.root)
             for name in sorted(book.resources)]
            + ([(book.config.cover, book.config.root)] if book.config.cover else []),
            weasyprint.__version__, sheet)

    @cached_property
    def font_files(self) -> list[Path]:
        """The theme's font files (a book's own first), those the rule of ``folio.files``
        lets be read, then the files of the fallback faces the book needs."""
        theme = [path for folder, root in zip(self.theme.folders, self.theme.roots, strict=True)
                 for path in sorted((folder / "fonts").glob("*.[ot]tf"))
                 if allowed_file(path, [root])]
        return theme + [path for face in self.font_plan.fallbacks for path in face.files]

    def layout(self, template: str, extra_css: str = "", sheets=None, **extra) -> Document:
        markup = self.theme.render(template, self.book, "pdf", **self.context, **extra)
        return self._lay_out(markup, extra_css, sheets)

    def _lay_out(self, markup: str, extra_css: str = "", sheets=None) -> Document:
        document, squeezed, _ = self._fitted(markup, extra_css, sheets)
        self.report_tables(squeezed)
        return document

    def _fitted(self, markup: str, extra_css: str = "", sheets=None,
                record: bool = False) -> tuple[Document, list[str], dict | None]:
        """*markup* laid out, the tables too wide for the measure even in smaller
        type, and (*record*: laid out without its folio boxes) what its folio layer
        needs, None when it prints no folio. A table that runs past the page's
        content area is laid out again in smaller type, then with its values broken
        anywhere (``fit``)."""
        sheets = list(sheets or [self.css])
        if extra_css:
            sheets.append(CSS(string=extra_css, font_config=self.fonts))
        levels: dict[str, int] = {}
        while True:
            with recording(record) as kept:
                document = HTML(string=mark_tables(markup, levels),
                                base_url=str(self.book.config.root) + "/",
                                url_fetcher=self.fetcher).render(stylesheets=sheets,
                                                                 font_config=self.fonts)
            self.fetcher.raise_refusals([s.source for s in self.book.sections if s.source])
            wider = [key for key in overflowing_tables(document)
                     if levels.get(key, -1) < len(LEVELS) - 1]
            if not wider:
                break
            for key in wider:
                levels[key] = levels.get(key, -1) + 1
        squeezed = sorted(key for key, level in levels.items() if level == len(LEVELS) - 1)
        return document, squeezed, kept.meta() if record and kept.folios else None

    def report_tables(self, keys: list[str]) -> None:
        """A warning (W001) for each table in *keys* that is too wide even in smaller
        type, at its line, once a build; silenced as any finding is (``lint: ignore``)."""
        from ..lint import reported

        for key in keys:
            path, line = table_location(self.book, key)
            finding = Finding(path, line, None, "W001",
                              "this table is too wide for the print edition's text block "
                              "even in smaller type: its values are broken wherever a line "
                              "must end (fewer or narrower columns would read better)")
            if finding in self.warnings:
                continue
            self.warnings.append(finding)
            for shown in reported([finding], self.book.config):
                self.progress(f"warning: {shown.format(Path.cwd())}")

    def part(self, template: str, extra_css: str = "", sheet: str | None = None,
             **extra) -> Part:
        """*template* laid out and written as a part, or the same part from before;
        *sheet* is CSS that replaces the book's stylesheet."""
        markup = self.theme.render(template, self.book, "pdf", **{**self.context, **extra})
        return self.part_of(template, markup, extra_css, sheet)

    def part_of(self, template: str, markup: str, extra_css: str = "",
                sheet: str | None = None) -> Part:
        """*markup* (rendered from *template*) laid out and written as a part, or the
        same part from before."""
        key = self.parts.key(template, markup, extra_css, sheet or "")
        found = self.parts.get(key)
        if found is None:
            sheets = None
            if sheet is not None:
                sheets = [CSS(string=sheet, url_fetcher=self.fetcher, font_config=self.fonts)]
            document, squeezed, _ = self._fitted(markup, extra_css, sheets)
            found = self.parts.put(key, *_written(document), squeezed=squeezed)
        self.report_tables(found.squeezed)
        return found

    def _section_part(self, job: tuple[str, str, bool]) -> dict:
        """A section of the main matter or the front matter (*job*: its part's key,
        markup, and whether it is laid out without its folios, as the main matter's
        sections are) laid out and written; its part's description (``Part.meta``)."""
        key, markup, without_folios = job
        document, squeezed, layer = self._fitted(markup, record=without_folios)
        write, pages, anchors, starts = _written(document)
        part = Part(self.parts.path(key), pages, anchors, starts, squeezed, layer)
        write(part.pdf)
        commit(part)
        return part.meta()

    @cached_property
    def interior(self) -> Interior:
        """The book's pages (no cover) in parts, and their folios."""
        return self._interior_in_margins()

    def _interior_in_margins(self) -> Interior:
        """The interior laid out with at least the printer's inside margin (gutter) for
        its page count and its outside margin (``margins``): laid out again with wider
        margins while the page count calls for a wider gutter, until it settles."""
        printer = self.printer
        if not printer.min_outside_margin and not any(m for _, m in printer.gutter):
            return self._interior()
        theme_sheet = self.stylesheet
        theme = self._theme_margins(theme_sheet)
        pages = printer.min_pages
        for _attempt in range(SETTLING_LAYOUTS):
            wanted = margin_rules(theme, points(printer.inside_margin(pages)),
                                  points(printer.min_outside_margin))
            if theme_sheet + wanted != self.stylesheet:
                self._set_stylesheet(theme_sheet + wanted)
            interior = self._interior()
            printed = printer.printed_pages(interior.pages)
            if printer.inside_margin(printed) == printer.inside_margin(pages):
                return interior
            pages = printed
        raise BuildError(  # pragma: no cover - a gutter band that moves the count back
            f"the page count does not settle with {printer.title}'s gutter for it in "
            f"{SETTLING_LAYOUTS} layouts", self.book.config.path,
            self.book.config.line_of("print"))

    def _theme_margins(self, sheet: str) -> Margins:
        """The smallest inside and outside margins, in points, of the front and main
        matter's right and left pages as *sheet* sets them."""
        markup = ('<html><body><div class="frontmatter"><p>a</p><p style="break-before: '
                  'page">b</p></div><div class="mainmatter"><p>c</p><p style="break-before: '
                  'page">d</p></div></body></html>')
        css = CSS(string=sheet, url_fetcher=self.fetcher, font_config=self.fonts)
        document = HTML(string=markup, url_fetcher=self.fetcher).render(
            stylesheets=[css], font_config=self.fonts)
        inside, outside = [], []
        for page in document.pages:
            box = page._page_box
            right = box.page_type.side == "right"
            # WeasyPrint measures in CSS pixels, 0.75 pt each.
            left_margin, right_margin = box.margin_left * 0.75, box.margin_right * 0.75
            inside.append(left_margin if right else right_margin)
            outside.append(right_margin if right else left_margin)
        return Margins(min(inside), min(outside))

    def _interior(self) -> Interior:
        # A first draft of the front matter (its contents page shows the main
        # matter's numbers as placeholders) tells where its anchors fall, for a note
        # or glossary entry that names a page of the introduction; it is laid out
        # beside the first sections of the main matter.
        front: Part | str = self.front_markup(PageNumbers(placeholder="00"))
        for _attempt in range(SETTLING_LAYOUTS):
            numbers, main, nested = self._settled_main_matter(front)
            markup = self.front_markup(numbers)
            final = self.part_of("pdf/front.html", markup)
            if numbers.front_labels_hold(final):
                break
            front = final
        else:  # pragma: no cover - needs a front matter that never settles
            raise BuildError("the front matter's page numbers do not settle")
        for key in self.fronts_ahead - {self.parts.key("pdf/front.html", markup, "", "")}:
            self.parts.discard(key)
        opening = [final, *([self.blank_page] if final.pages % 2 else [])]
        parts = [*opening, *main]
        page_of: dict[str, int] = {}
        lines: list[list[str] | None] = []
        for part in parts:
            for anchor, page in part.anchors.items():
                page_of.setdefault(anchor, len(lines) + page)
            lines += part.starts
        folios = Folios(page_of, self.book)
        starts = [PageStart(folios.label(number), *line)
                  for number, line in enumerate(lines) if line is not None]
        layers = [None] * len(opening) + self._folio_layers(main, len(lines))
        return Interior(parts, folios, starts, [False] * len(opening) + nested, layers)

    def _folio_layers(self, main: list[Part], total: int) -> list[Part | None]:
        """Each part of the main matter's folio layer (None: it prints no folio), its
        page counter starting at the part's first page of the main matter, ``pages``
        at *total*; kept between builds as parts are, those to make made side by
        side (``pool``)."""
        config = self.book.config
        self._layer_maker = LayerMaker(self.css, self.fonts, config.language,
                                       config.direction)
        layers: dict[int, Part] = {}
        first = 1
        with LayoutPool(self._folio_layer) as pool:
            for number, part in enumerate(main):
                if part.layer is not None:
                    key = self.parts.key("folio-layer", json.dumps(part.layer, sort_keys=True),
                                         str(first), str(total))
                    found = self.parts.get(key, counted=False)
                    if found is not None:
                        layers[number] = found
                    else:
                        pool.submit(number, (key, part.layer, first, total, part.pages))
                first += part.pages
            while pool.busy:
                number, (key, meta) = pool.next_result()
                layers[number] = self.parts.adopt(key, meta, counted=False)
        return [layers.get(number) for number in range(len(main))]

    def _folio_layer(self, job: tuple[str, dict, int, int, int]) -> tuple[str, dict]:
        """A folio layer (*job*: its key, the part's ``layer``, its first page, the
        book's page count and the part's) written; its key and description."""
        key, layer, first, total, pages = job
        layer_part = Part(self.parts.path(key), pages, {}, [None] * pages)
        self._layer_maker.write(layer_part.pdf, layer, first, total)
        commit(layer_part)
        return key, layer_part.meta()

    def _settled_main_matter(self, front: Part | str
                             ) -> tuple[PageNumbers, list[Part], list[bool]]:
        """The main matter laid out (``_main_matter``) until every page number a
        section printed before its target was laid out (a cross-reference's page in
        itself or later in the book) is the page its target got: guessed first from
        the previous build's layout, then from the layout before, only when a guess
        was wrong (the parts cache keeps every section whose markup is unchanged).
        *front* is the front matter's draft, laid out or (its markup) to lay out.
        Raises BuildError when they do not settle in SETTLING_LAYOUTS layouts."""
        earlier = self.parts.recall(MAIN_NUMBERS)
        for _attempt in range(SETTLING_LAYOUTS):
            numbers = PageNumbers(earlier=earlier)
            main, nested, front = self._main_matter(numbers, front)
            if numbers.forward_labels_hold():
                self.parts.remember(MAIN_NUMBERS, numbers.number_of)
                return numbers, main, nested
            earlier = numbers.number_of
        raise BuildError(  # pragma: no cover - needs references that move their targets
            f"the page numbers of cross-references do not settle in {SETTLING_LAYOUTS} "
            "layouts (set crossrefs.page_numbers: false, or move a reference that pushes "
            "its own target to another page)", self.book.config.root / "book.yaml")

    def _page_context(self, numbers: PageNumbers, sections: set[str],
                      roman: bool = False) -> dict:
        """The template context of one part's page numbers; *sections* are the ids of
        the sections whose pages the part counts itself (the front matter, *roman*;
        a section of the main matter, laid out from page 1, counts none)."""
        numbers.backlink_text = strings_of(self.book.config).message("page_backlink")
        context = numbers.context()
        if self.book.config.crossrefs["page_numbers"]:
            local = {target.label for target in self.book.targets.values()
                     if target.section_id in sections}
            on_page = words_for(strings_of(self.book.config)).on_page
            context["xref_pages"] = partial(with_xref_pages, numbers=numbers, local=local,
                                            on_page=on_page, roman=roman)
        return context

    def _front_context(self, numbers: PageNumbers) -> dict:
        front = {section.id for section in self.book.sections if section.kind == FRONT}
        return self._page_context(numbers, front, roman=True)

    def front_markup(self, numbers: PageNumbers) -> str:
        """The front matter's markup, with the page numbers *numbers* knows."""
        return self.theme.render("pdf/front.html", self.book, "pdf",
                                 **{**self.context, **self._front_context(numbers)})

    def _main_matter(self, numbers: PageNumbers, front: Part | str
                     ) -> tuple[list[Part], list[bool], Part]:
        """The main matter's parts, a section each, each from a right-hand page, and
        for each whether its section belongs to a part of the book (its bookmarks
        nest under the part's), and the front matter's draft (*front*: laid out, or
        its markup, laid out here). Sections are laid out side by side (``pool``);
        one that names pages of sections before it waits for them (``_MainMatter``)."""
        sections = [s for s in self.book.sections if s.kind != FRONT]
        with LayoutPool(self._section_part) as pool:
            plan = _MainMatter(self, sections, numbers, pool, front)
            plan.lay_out()
        self.workers = max(self.workers, pool.forked)
        main: list[Part] = []
        nested: list[bool] = []
        pages = 0
        for section, part in zip(sections, plan.parts, strict=True):
            if pages % 2:
                main.append(self.blank_page)
                nested.append(False)
                pages += 1
            main.append(part)
            nested.append(section.part is not None)
            pages += part.pages
        return main, nested, plan.front

    def section_markup(self, section, numbers: PageNumbers) -> str:
        """*section*'s markup for its part, with the page numbers *numbers* knows."""
        return self.theme.render("pdf/part.html", self.book, "pdf", **{
            **self.context, "section": section,
            **self._page_context(numbers, set())})

    @cached_property
    def blank_page(self) -> Part:
        """An empty page of the book's size: the left-hand page before a section that
        would otherwise open on one."""
        sheet = CSS(string=f"@page {{ size: {self.book.config.trim}; margin: 0; }}",
                    font_config=self.fonts)
        direction = ' dir="rtl"' if self.book.config.direction == "rtl" else ""
        markup = (f'<!DOCTYPE html><html lang="{self.book.config.language}"{direction}>'
                  '<body></body></html>')
        key = self.parts.key("blank", markup, self.book.config.trim)
        return self.parts.get(key) or self.parts.put(
            key, *_written(HTML(string=markup).render(stylesheets=[sheet],
                                                      font_config=self.fonts)))

    def cover(self, wrap: bool, pages: int | None = None) -> Document:
        """The front cover at trim size, or (*wrap*) back, spine and front with bleed,
        for an interior of *pages* pages (default: the print interior's).

        Raises BuildError at book.yaml when the back cover's text runs into the
        barcode's box (``wrapcover``)."""
        if not wrap:
            sheet = self._cover_stylesheet(None)
            return self.layout("cover/cover.html", wrap=False, spine_text="",
                               barcode="", sheets=[self._sheet(sheet)],
                               cover_image=self.cover_image)
        config = self.book.config
        geometry = wrap_geometry(config, self.interior.pages if pages is None else pages)
        barcode = barcode_markup(config.isbn.get("print", ""), config.isbn_price,
                                 self.font_plan)
        sheet = self._sheet(self._cover_stylesheet(geometry, geometry.spine_type))

        def lay_out(spine_text: str) -> Document:
            return self.layout("cover/cover.html", wrap=True, spine_text=spine_text,
                               barcode=barcode, sheets=[sheet], cover_image=self.cover_image)

        return wrap_cover(config, geometry, lay_out)

    def _sheet(self, css: str) -> CSS:
        return CSS(string=css, url_fetcher=self.fetcher, font_config=self.fonts)

    def cover_part(self) -> Part:
        """The front cover as a part, to open the screen edition."""
        sheet = self._cover_stylesheet(None)
        return self.part("cover/cover.html", sheet=sheet, wrap=False, spine_text="",
                         barcode="", cover_image=self.cover_image)

    @property
    def cover_image(self) -> str:
        """The book's own front cover, relative to the book's folder ("" when the cover
        is made from the title and author)."""
        cover = self.book.config.cover
        return cover.relative_to(self.book.config.root).as_posix() if cover else ""

    def _cover_stylesheet(self, geometry: WrapGeometry | None,
                          spine_type: float | None = None) -> str:
        """The cover's CSS at its real size: the front alone at trim size (*geometry*
        None), or the wrap of *geometry* with its spine lettering at *spine_type*
        points."""
        config, theme = self.book.config, self.theme
        width, height = page_size(config.trim)
        total, spine, bleed = width, 0.0, 0.0
        if geometry is not None:
            total, spine, bleed = (points(geometry.width), points(geometry.spine),
                                   points(geometry.bleed))
        sheet = font_sheet(theme, self.font_plan)
        sheet += with_fallbacks(theme.env.get_template("css/cover.css").render(
            width=pt(total), height=pt(height), front_width=pt(width), spine=pt(spine),
            bleed=pt(bleed), spine_type=pt(spine_type or SPINE_TYPE_MAX),
            spine_rotation=spine_rotation(config.language))
            + script_sheet(theme, config, "cover"), self.font_plan)
        return sheet


@dataclass(frozen=True)
class PageStart:
    """Where a printed page begins: its folio, the block it begins in (a ``data-pos``
    key or an id) and the first words printed on it."""

    folio: str
    key: str
    words: str


# Block elements whose id can stand for a position when they carry no data-pos.
_KEYED_TAGS = {"p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "div", "tr", "nav"}


def _written(document: Document) -> tuple:
    """A laid-out part: how to write its PDF, and what the book needs to know of it. A link to
    an anchor in another part gets a stand-in destination on the part's first page,
    so that WeasyPrint writes it (by name); joining the parts replaces it."""
    anchors: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            anchors.setdefault(anchor, number)
    links_out = sorted({target for page in document.pages
                        for kind, target, *_ in page.links
                        if kind == "internal" and target not in anchors})
    if links_out:
        document.pages[0].anchors.update({name: (0, 0, 0, 0) for name in links_out})
    starts = [list(found) if (found := _first_line(page._page_box, None)) else None
              for page in document.pages]

    def write(target: Path) -> None:
        document.write_pdf(target, pdf_tags=True,
                           finisher=finishers(theme_fonts_only(), describe_links))
        finish_tags(target)

    return write, len(document.pages), anchors, starts


def _first_line(box, key: str | None) -> tuple[str, str] | None:
    if isinstance(box, boxes.MarginBox):
        return None
    element = getattr(box, "element", None)
    if element is not None and box.element_tag in _KEYED_TAGS | {"td", "th", "pre"}:
        own = element.get("data-pos") or (element.get("id")
                                          if box.element_tag in _KEYED_TAGS else None)
        key = own or key
    if isinstance(box, boxes.LineBox):
        text = "".join(t.text for t in box.descendants() if isinstance(t, boxes.TextBox))
        text = text.replace(PRINT_BREAK, "")
        return (key, " ".join(text.split())) if key and text.strip() else None
    for child in getattr(box, "children", []):
        found = _first_line(child, key)
        if found is not None:
            return found
    return None


def _roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    result = ""
    for value, letters in numerals:
        while number >= value:
            result += letters
            number -= value
    return result


_DRAFT, _FRONT = "front-draft", "front"  # the pool's tags of the front matter's jobs
_FRONT_OWNER = -1  # the owner of the front matter's anchors, before every section


class _MainMatter:
    """One layout of the main matter: every section's markup, and its part once laid
    out, in the order of the book; and the front matter's draft.

    A section is laid out (submitted to the pool, or found among the parts kept) as
    soon as its markup names no page of a section before it that is not known yet;
    a page is known once every section up to its own is laid out (the pages before
    a section fix its first page). Anchors are placed by the ids in each section's
    markup; a page in the section itself or after it is not waited for (the
    typesetter's next layout, if the guess was wrong). The front matter's draft is
    laid out first, beside the sections; a page it holds is known once it is laid
    out. While the last section is laid out, the front matter is laid out beside it
    with the pages known then and the last section's heading on its first page: the
    final front matter, when those pages hold (the parts kept find it again)."""

    def __init__(self, typesetter: Typesetter, sections: list, numbers: PageNumbers,
                 pool: LayoutPool, front: Part | str):
        self.typesetter, self.sections, self.numbers, self.pool = (
            typesetter, sections, numbers, pool)
        self.parts: list[Part | None] = [None] * len(sections)
        self.keys: dict[int | str, str] = {}
        self.waiting: dict[int, set[str]] = {}
        self.owner: dict[str, int] = {}
        self.known = 0  # sections whose pages are known: those before this index
        self.pages = 0  # pages of the main matter before section ``known``
        self.front: Part | None = front if isinstance(front, Part) else None
        self.draft_markup = front if isinstance(front, str) else ""
        self.speculated = False

    def lay_out(self) -> None:
        if self.front is None:
            self._lay_out_draft()
        else:
            self.numbers.set_front(self.front)
        markups = [self._markup(number) for number in range(len(self.sections))]
        for number, (markup, _, _) in enumerate(markups):
            for anchor in _IDS.findall(markup):
                self.owner.setdefault(anchor, number)
        for number, made in enumerate(markups):
            self._offer(number, *made)
        reported = time.monotonic()
        while self.known < len(self.sections):
            if (self.parts[self.known] is None and self.known in self.waiting
                    and self.front is not None):
                # Every section before it is known: what it still misses is not placed
                # before it (an id no page holds); lay it out with what there is.
                del self.waiting[self.known]
                self._offer(self.known, *self._markup(self.known), force=True)
            if self.parts[self.known] is None:
                self._receive()
                if time.monotonic() - reported > PROGRESS_EVERY:
                    reported = time.monotonic()
                    done = sum(p is not None for p in self.parts)
                    self.typesetter.progress(
                        f"laid out {done} of {len(self.sections)} sections")
            self._advance()
        while self.pool.busy:  # the front matter's jobs
            self._receive()

    def _lay_out_draft(self) -> None:
        for anchor in _IDS.findall(self.draft_markup):
            self.owner.setdefault(anchor, _FRONT_OWNER)
        parts = self.typesetter.parts
        key = self.keys[_DRAFT] = parts.key("pdf/front.html", self.draft_markup, "", "")
        found = parts.get(key)
        if found is not None:
            self._drafted(found)
        else:
            self.pool.submit(_DRAFT, (key, self.draft_markup, False))

    def _drafted(self, front: Part) -> None:
        self.typesetter.report_tables(front.squeezed)
        self.front = front
        self.numbers.set_front(front)

    def _receive(self) -> None:
        """The next part the pool hands back, taken in."""
        tag, meta = self.pool.next_result()
        part = self.typesetter.parts.adopt(self.keys[tag], meta)
        if tag == _DRAFT:
            self._drafted(part)
            self._offer_ready()
        elif tag != _FRONT:
            self.typesetter.report_tables(part.squeezed)
            self.parts[tag] = part

    def _markup(self, number: int) -> tuple[str, set[str], dict[str, int | None]]:
        """Section *number*'s markup, the anchors it named whose pages are not known,
        and the guesses it printed for them (``PageNumbers.forward_asked``)."""
        return self._rendered(partial(self.typesetter.section_markup, self.sections[number]))

    def _rendered(self, render: Callable[[PageNumbers], str]
                  ) -> tuple[str, set[str], dict[str, int | None]]:
        numbers = self.numbers
        numbers.missing, guessed, numbers.forward_asked = set(), numbers.forward_asked, {}
        try:
            markup = render(numbers)
        finally:
            numbers.forward_asked, guesses = guessed, numbers.forward_asked
        return markup, numbers.missing, guesses

    def _offer(self, number: int, markup: str, missing: set[str],
               guesses: dict[str, int | None], force: bool = False) -> None:
        before = {a for a in missing if self.owner.get(a, number) < number}
        if before and not force:
            self.waiting[number] = before
            return
        self.numbers.forward_asked.update(guesses)
        parts = self.typesetter.parts
        key = self.keys[number] = parts.key("pdf/part.html", markup, "", "")
        found = parts.get(key)
        if found is not None:
            self.typesetter.report_tables(found.squeezed)
            self.parts[number] = found
        else:
            self.pool.submit(number, (key, markup, True))

    def _advance(self) -> None:
        """Count in the sections laid out from ``known`` on, and offer again those
        waiting for pages now known."""
        moved = False
        while self.known < len(self.sections) and self.parts[self.known] is not None:
            part = self.parts[self.known]
            self.pages += self.pages % 2  # a blank left-hand page before a right-hand one
            self.numbers.add(part, self.pages + 1)
            self.pages += part.pages
            self.known += 1
            moved = True
        if moved:
            self._offer_ready()
            self._speculate_front()

    def _offer_ready(self) -> None:
        for number in sorted(self.waiting):
            if all(self.numbers.known(a) for a in self.waiting[number]):
                del self.waiting[number]
                self._offer(number, *self._markup(number))

    def _speculate_front(self) -> None:
        """The final front matter laid out beside the last section, when every page
        it prints is known but that section's first (``_MainMatter``)."""
        last = len(self.sections) - 1
        if (self.speculated or self.known != last or self.front is None
                or not self.pool.parallel or self.parts[last] is not None):
            return
        self.speculated = True
        heading = self.sections[last].id
        numbers = self.numbers
        if heading in numbers.number_of:
            return
        numbers.number_of[heading] = self._first_page_ahead()
        try:
            markup, missing, guesses = self._rendered(self.typesetter.front_markup)
        finally:
            del numbers.number_of[heading]
        if missing or guesses:
            return
        parts = self.typesetter.parts
        key = self.keys[_FRONT] = parts.key("pdf/front.html", markup, "", "")
        if parts.get(key) is None:
            self.typesetter.fronts_ahead.add(key)
            self.pool.submit(_FRONT, (key, markup, False))

    def _first_page_ahead(self) -> int:
        """The page the section ``known`` opens on: the right-hand page after the
        sections before it."""
        return self.pages + self.pages % 2 + 1
