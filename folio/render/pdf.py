"""PDF through WeasyPrint: the whole book as one HTML document with print CSS.

The index is the one part that needs the finished layout (merged page ranges
such as 4–5), so it is laid out a second time, alone, with the real page
numbers, and its pages replace the first draft's. It comes last in the book,
so nothing before it moves."""

from __future__ import annotations

from pathlib import Path

import pydyf
from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration

from ..errors import BuildError
from ..model import Book, IndexEntry
from ..sandbox import ProjectFetcher
from .context import render_context
from .glyphs import check_glyphs
from .paper import length, page_size, pt
from .printready import make_print_variant
from .theme import Theme


def stylesheet(theme: Theme, book: Book) -> str:
    font_url = theme.asset("fonts/LinLibertine_R.otf").parent.as_uri() + "/"
    parts = [
        theme.env.get_template("css/fonts.css").render(font_url=font_url),
        theme.env.get_template("css/book.css").render(),
        theme.env.get_template("css/pdf.css").render(
            trim=book.config.trim, book_title=book.config.title.replace('"', "'")),
    ]
    return "\n".join(parts)


SPINE_TEXT_MINIMUM = 0.25 * 72  # points; narrower spines carry no lettering


class Folios:
    """The printed page number of each page: roman before the first chapter, then arabic."""

    def __init__(self, document: Document, book: Book):
        first = book.chapters[0].id
        self.start = next((i for i, page in enumerate(document.pages) if first in page.anchors),
                          0)
        self.page_of: dict[str, int] = {}
        for number, page in enumerate(document.pages):
            for anchor in page.anchors:
                # An element split across pages is found where it begins.
                self.page_of.setdefault(anchor, number)

    def number(self, anchor: str) -> int | None:
        """The arabic folio of the page holding *anchor*, None in the front matter."""
        page = self.page_of.get(anchor)
        return None if page is None or page < self.start else page - self.start + 1

    def ranges(self, entry: IndexEntry) -> list[tuple[str, str]]:
        """An index entry's pages, merged: ``[("ixref-3", "4–5"), ("ixref-9", "12")]``."""
        first_anchor: dict[int, str] = {}
        for place in entry.places:
            page = self.number(place.anchor)
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


def output_files(target: Path) -> dict[str, Path]:
    """The PDF files made beside *target* (the screen edition)."""
    stem = target.stem
    return {"screen": target, "print": target.with_name(f"{stem}-print.pdf"),
            "cover": target.with_name(f"{stem}-cover.pdf")}


def render_pdf(book: Book, target: Path) -> None:
    """Write the screen edition (cover first, hyperlinked), the print interior
    (bleed and crop marks) and the print wrap cover (spine from the page count)."""
    theme = Theme(book.config.root)
    check_glyphs(book, theme.asset("fonts/LinLibertine_R.otf"))
    context = render_context(book)
    fetcher = ProjectFetcher([book.config.root, *theme.folders])
    fonts = FontConfiguration()
    css = CSS(string=stylesheet(theme, book), url_fetcher=fetcher, font_config=fonts)

    def layout(template: str, extra_css: str = "", sheets=None, **extra) -> Document:
        markup = theme.render(template, book, "pdf", **context, **extra)
        sheets = list(sheets or [css])
        if extra_css:
            sheets.append(CSS(string=extra_css, font_config=fonts))
        return HTML(string=markup, base_url=str(book.config.root) + "/",
                    url_fetcher=fetcher).render(stylesheets=sheets, font_config=fonts)

    interior = layout("pdf/book.html", index_ranges=None)
    folios = Folios(interior, book)
    if book.index:
        interior = _with_final_index(interior, folios, book, layout)
    fetcher.raise_refusals()
    files = output_files(target)
    config = book.config
    make_print_variant(interior.write_pdf(pdf_tags=True, finisher=finisher(folios.start)),
                       files["print"], length(config.bleed))

    def cover(wrap: bool) -> Document:
        sheet = cover_stylesheet(theme, book, wrap, len(interior.pages))
        return layout("cover/cover.html", wrap=wrap, spine_text=sheet[1],
                      sheets=[CSS(string=sheet[0], url_fetcher=fetcher, font_config=fonts)])

    screen = interior.copy([cover(wrap=False).pages[0], *interior.pages])
    screen.write_pdf(target, pdf_tags=True, finisher=finisher(folios.start + 1, cover=True))
    cover(wrap=True).write_pdf(files["cover"])


def cover_stylesheet(theme: Theme, book: Book, wrap: bool, pages: int) -> tuple[str, bool]:
    """The cover's CSS at its real size, and whether the spine is wide enough for text.

    The wrap cover is back + spine + front with bleed all round; the spine is as
    thick as the interior's leaves (two pages a leaf) times the paper's caliper."""
    width, height = page_size(book.config.trim)
    bleed = length(book.config.bleed) if wrap else 0.0
    spine = (pages + 1) // 2 * length(book.config.caliper) if wrap else 0.0
    total = 2 * width + spine if wrap else width
    font_url = theme.asset("fonts/LinLibertine_R.otf").parent.as_uri() + "/"
    sheet = theme.env.get_template("css/fonts.css").render(font_url=font_url)
    sheet += theme.env.get_template("css/cover.css").render(
        width=pt(total), height=pt(height), front_width=pt(width), spine=pt(spine),
        bleed=pt(bleed))
    return sheet, spine >= SPINE_TEXT_MINIMUM


def _with_final_index(document: Document, folios: Folios, book: Book, layout) -> Document:
    section = book.section("index")
    first_page = folios.page_of["index"]
    restart = f"@page :nth(1 of main) {{ counter-set: page {first_page - folios.start + 1}; }}"
    index = layout("pdf/index.html", extra_css=restart, section=section,
                   index_ranges=folios.ranges)
    return document.copy(document.pages[:first_page] + index.pages)


def finisher(start: int, cover: bool = False, font_family_prefix: str = "Folio"):
    """Last touches on the PDF before it is written:

    - page labels that match the printed folios (roman up to the first chapter, then
      arabic from 1), so a viewer's page box shows the number printed on the page;
    - viewers show the document title, not the file name;
    - a font other than the theme's (a system font WeasyPrint fell back to for a
      missing glyph) is an error, not a silent change of typeface.
    """

    def finish(_document, pdf: pydyf.PDF) -> None:
        ranges = [0, pydyf.Dictionary({"P": pydyf.String("Cover")})] if cover else []
        if start > len(ranges) // 2:
            ranges += [len(ranges) // 2, pydyf.Dictionary({"S": "/r"})]
        ranges += [start, pydyf.Dictionary({"S": "/D"})]
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": pydyf.Array(ranges)})
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        foreign = sorted({
            str(obj["BaseFont"]).lstrip("/").split("+")[-1]
            for obj in pdf.objects
            if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Font"
            and "BaseFont" in obj and font_family_prefix not in str(obj["BaseFont"])
        })
        if foreign:
            raise BuildError(f"the PDF needed fonts outside the theme ({', '.join(foreign)}): "
                             "some characters are missing from the book's typeface")

    return finish
