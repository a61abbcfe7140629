"""EPUB 3 through ebooklib: one XHTML file per section, nav with landmarks and the
print edition's page list, NCX, cover image and accessibility metadata."""

from __future__ import annotations

import re
import tempfile
from io import BytesIO
from pathlib import Path

import pypdfium2
from ebooklib import epub

from ...htmltree import text_of
from ...i18n import Strings, strings_of
from ...links import rewrite_links
from ...model import PART, Book
from ...theme.context import build_time
from ...theme.fontfiles import FontFiles
from ...theme.fonts import with_fallbacks
from ...theme.hyphenation import hyphenation_css
from ...theme.scripts import script_sheet
from ...transforms.resources import MEDIA_TYPES, image_bytes
from ...typeset.typesetter import Typesetter
from ...zips import repack_deterministic
from ..bidi import isolate_inserted_numbers
from .metadata import certifier_metadata, identifiers, package_metadata
from .pagelist import insert_page_breaks, page_list_nav

# Landmarks for the generated sections (EPUB 3 structural semantics).
LANDMARKS = {"notes": "endnotes", "glossary": "glossary", "bibliography": "bibliography",
             "index": "index"}
COVER_IMAGE = "images/cover.png"  # the cover made from the title page's design
OWN_COVER = "images/book-cover"  # the book's own cover image, with its suffix
COVER_WIDTH = 1600  # pixels: what stores ask for
FONT_TYPES = {".otf": "font/otf", ".ttf": "font/ttf"}  # EPUB 3.3 core media types


def render_epub(book: Book, target: Path, typesetter: Typesetter | None = None) -> None:
    typesetter = typesetter or Typesetter(book)
    theme, meta = typesetter.theme, book.config
    cover_name = (f"{OWN_COVER}{meta.cover.suffix.lower()}" if meta.cover else COVER_IMAGE)
    strings = strings_of(meta)

    def page(title: str, **extra) -> str:
        return theme.render("epub/page.xhtml", book, "epub", title=title,
                            cover_image=cover_name, **typesetter.context, **extra)

    pages = {"cover.xhtml": page(strings.text("cover"), partial="cover"),
             "titlepage.xhtml": page(meta.title, partial="titlepage"),
             "imprint.xhtml": page(strings.text("imprint"), partial="imprint"),
             "contents.xhtml": page(strings.text("contents"), partial="toc")}
    for section in book.sections:
        pages[f"{section.file}.xhtml"] = page(section.title, section=section)
    pages, page_list = insert_page_breaks(rewrite_links(pages), typesetter.interior.starts)
    if meta.direction == "rtl":
        pages = {name: isolate_inserted_numbers(markup) for name, markup in pages.items()}

    ebook = epub.EpubBook()
    ebook.set_title(meta.full_title)
    ebook.set_language(meta.language)
    # A right-to-left book: dir="rtl" on each content document (ebooklib writes the
    # <html> and <body> itself) and the spine's page-progression-direction="rtl".
    direction = meta.direction if meta.direction == "rtl" else None
    if direction:
        ebook.set_direction(direction)
    ebook.set_identifier(identifiers(meta)[0])
    for namespace, name, value, attributes in package_metadata(meta):
        ebook.add_metadata(namespace, name, value, attributes)
    rights = book.meta_html.get("rights")  # its text, not its Markdown
    for name, value in (("publisher", meta.publisher), ("description", meta.description),
                        ("rights", text_of(rights) if rights is not None else ""),
                        ("date", meta.date)):
        if value:
            ebook.add_metadata("DC", name, value)
    for subject in meta.subjects:
        ebook.add_metadata("DC", "subject", subject)
    for prop, value in accessibility_metadata(book, bool(page_list), strings):
        ebook.add_metadata(None, "meta", value, {"property": prop})
    for namespace, name, value, attributes in certifier_metadata(meta):
        ebook.add_metadata(namespace, name, value, attributes)

    plan = typesetter.font_plan
    fonts = FontFiles(theme, plan, flavor="sfnt") if meta.epub["embed_fonts"] else None
    css = epub.EpubItem(uid="style", file_name="css/epub.css", media_type="text/css",
                        content=(fonts.css("../fonts/") if fonts else "") + with_fallbacks(
                            theme.env.get_template("css/book.css").render()
                            + hyphenation_css(book)
                            + theme.env.get_template("css/epub.css").render()
                            + script_sheet(theme, meta, "epub"), plan))
    ebook.add_item(css)
    if fonts is not None:
        for number, (name, data) in enumerate(sorted(fonts.made("".join(pages.values())).items()),
                                              start=1):
            ebook.add_item(epub.EpubItem(uid=f"font-{number}", file_name=f"fonts/{name}",
                                         media_type=FONT_TYPES[Path(name).suffix],
                                         content=data))
    ebook.set_cover(cover_name, meta.cover.read_bytes() if meta.cover else cover_png(typesetter),
                    create_page=False)
    for number, relative in enumerate(sorted(book.resources), start=1):
        ebook.add_item(epub.EpubItem(
            uid=f"image-{number}", file_name=relative,
            media_type=MEDIA_TYPES[Path(relative).suffix.lower()],
            content=image_bytes(book, relative)))

    items: dict[str, epub.EpubHtml] = {}
    for name, markup in pages.items():
        item = epub.EpubHtml(file_name=name, title=_title_of(markup), lang=meta.language,
                             uid=name.removesuffix(".xhtml"), direction=direction)
        item.content = markup
        if "<math" in markup:  # EPUB 3: a content document with MathML says so
            item.properties.append("mathml")
        item.add_item(css)
        ebook.add_item(item)
        items[name] = item

    ebook.add_item(epub.EpubNav(title=strings.text("contents"), direction=direction))
    ebook.add_item(epub.EpubNcx())
    ebook.toc = _navigation(book)
    ebook.spine = [items[name] for name in pages]
    first_chapter = book.chapters[0]
    ebook.guide = [
        {"type": "cover", "title": strings.text("cover"), "href": "cover.xhtml"},
        {"type": "titlepage", "title": strings.text("title_page"), "href": "titlepage.xhtml"},
        {"type": "toc", "title": strings.text("contents"), "href": "contents.xhtml"},
        {"type": "bodymatter", "title": strings.text("start_of_text"),
         "href": f"{first_chapter.file}.xhtml"},
    ] + [{"type": LANDMARKS[s.role], "title": s.title, "href": f"{s.file}.xhtml"}
         for s in book.sections if s.role in LANDMARKS]

    def add_page_list(nav: bytes) -> bytes:
        return nav.replace(b"</body>", page_list_nav(page_list, strings.text("page_list"))
                           .encode("utf-8") + b"</body>")

    def add_package_language(opf: bytes) -> bytes:
        # The package's own language, which ebooklib leaves out and checkers ask for.
        return opf.replace(b"<package ", f'<package xml:lang="{meta.language}" '.encode(), 1)

    def add_nav_direction(nav: bytes) -> bytes:
        # ebooklib writes the navigation document's <html> itself, without dir.
        return nav.replace(b"<html ", b'<html dir="rtl" ', 1) if direction else nav

    rewrite = {"EPUB/content.opf": add_package_language}
    if page_list or direction:
        rewrite["EPUB/nav.xhtml"] = lambda nav: add_nav_direction(
            add_page_list(nav) if page_list else nav)

    with tempfile.TemporaryDirectory() as scratch:
        draft = Path(scratch) / "draft.epub"
        epub.write_epub(str(draft), ebook, {"epub3_pages": False, "epub2_guide": False,
                                             "landmark_title": strings.text("landmarks"),
                                             "mtime": build_time(), "raise_exceptions": True})
        repack_deterministic(draft, target, build_time(), rewrite)


def accessibility_metadata(book: Book, has_page_list: bool,
                           strings: Strings | None = None) -> list[tuple[str, str]]:
    """EPUB Accessibility 1.1 discovery metadata (schema.org terms); the summary and
    the page-break source in the book's language (*strings*, the book's own when
    None)."""
    strings = strings or strings_of(book.config)
    features = ["structuralNavigation", "tableOfContents", "readingOrder", "index",
                "alternativeText", "displayTransformability"]
    if has_page_list:
        features.append("printPageNumbers")
    summary = strings.text("accessibility_summary_pages" if has_page_list
                           else "accessibility_summary")
    metadata = [("schema:accessMode", "textual"), ("schema:accessMode", "visual"),
                ("schema:accessModeSufficient", "textual")]
    metadata += [("schema:accessibilityFeature", feature) for feature in features]
    metadata += [("schema:accessibilityHazard", "none"),
                 ("schema:accessibilitySummary", summary),
                 ("dcterms:conformsTo", "EPUB Accessibility 1.1 - WCAG 2.2 Level AA")]
    if has_page_list:
        metadata.append(("pageBreakSource",
                         strings.text("page_break_source", title=book.config.full_title,
                                      version=book.config.version)))
    return metadata


def cover_png(typesetter: Typesetter) -> bytes:
    """The front cover, rendered from the same template as the PDF's, as a PNG."""
    pdf = pypdfium2.PdfDocument(typesetter.cover_part().pdf)
    page = pdf[0]
    image = page.render(scale=COVER_WIDTH / page.get_width()).to_pil()
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _navigation(book: Book) -> list:
    """The EPUB's table of contents: each section with its headings down to
    ``toc.depth``, and the chapters of a part nested under it."""
    depth = book.config.toc_depth
    entries: list = []
    for section in book.sections:
        entry = _toc_entry(section, depth)
        if section.part is not None and entries and isinstance(entries[-1], tuple) \
                and entries[-1][0].href == f"{book.section(section.part).file}.xhtml":
            entries[-1][1].append(entry)
        elif section.kind == PART:
            entries.append((epub.Section(section.numbered_title, f"{section.file}.xhtml"), []))
        else:
            entries.append(entry)
    return entries


def _toc_entry(section, depth: int):
    page = f"{section.file}.xhtml"
    numbers = iter(range(1, 1000))

    def nested(items: list[dict]) -> list:
        # NCX ids must be XML names: the section's file name, numbered, not a heading id.
        made = []
        for item in items:
            href, uid = f"{page}#{item['id']}", f"{section.file}-{next(numbers)}"
            made.append((epub.Section(item["text"], href), nested(item["children"]))
                        if item["children"] else epub.Link(href, item["text"], uid))
        return made

    subs = nested(section.outline(depth))
    if not subs:
        return epub.Link(page, section.numbered_title, section.file)
    return (epub.Section(section.numbered_title, page), subs)


def _title_of(markup: str) -> str:
    match = re.search(r"<title>(.*?)</title>", markup, re.S)
    return match[1].strip() if match else ""
