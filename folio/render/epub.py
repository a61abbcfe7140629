"""EPUB 3 through ebooklib: one XHTML file per section, nav, landmarks and NCX."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from ebooklib import epub

from ..links import rewrite_links
from ..model import Book
from ..transforms.resources import MEDIA_TYPES
from ..zips import repack_deterministic
from .context import build_time, render_context
from .theme import Theme

# Landmarks for the generated sections (EPUB 3 structural semantics).
LANDMARKS = {"notes": "endnotes", "glossary": "glossary", "index": "index"}


def render_epub(book: Book, target: Path) -> None:
    theme = Theme(book.config.root)
    context = render_context(book)
    meta = book.config

    def page(title: str, **extra) -> str:
        return theme.render("epub/page.xhtml", book, "epub", title=title, **context, **extra)

    pages = {"titlepage.xhtml": page(meta.title, partial="titlepage"),
             "imprint.xhtml": page("Imprint", partial="imprint"),
             "contents.xhtml": page("Contents", partial="toc")}
    for section in book.sections:
        pages[f"{section.id}.xhtml"] = page(section.title, section=section)
    pages = rewrite_links(pages)

    ebook = epub.EpubBook()
    ebook.set_identifier(meta.identifier)
    ebook.set_title(meta.full_title)
    ebook.set_language(meta.language)
    ebook.add_author(meta.author)
    for name, value in (("publisher", meta.publisher), ("description", meta.description),
                        ("rights", meta.rights), ("date", meta.date)):
        if value:
            ebook.add_metadata("DC", name, value)
    for subject in meta.subjects:
        ebook.add_metadata("DC", "subject", subject)

    css = epub.EpubItem(uid="style", file_name="css/epub.css", media_type="text/css",
                        content=theme.env.get_template("css/book.css").render()
                        + theme.env.get_template("css/epub.css").render())
    ebook.add_item(css)

    for number, relative in enumerate(sorted(book.resources), start=1):
        ebook.add_item(epub.EpubItem(
            uid=f"image-{number}", file_name=relative,
            media_type=MEDIA_TYPES[Path(relative).suffix.lower()],
            content=(book.config.root / relative).read_bytes()))

    items: dict[str, epub.EpubHtml] = {}
    for name, markup in pages.items():
        item = epub.EpubHtml(file_name=name, title=_title_of(markup), lang=meta.language,
                             uid=name.removesuffix(".xhtml"))
        item.content = markup
        item.add_item(css)
        ebook.add_item(item)
        items[name] = item

    nav = epub.EpubNav(title="Contents")
    ebook.add_item(nav)
    ebook.add_item(epub.EpubNcx())
    ebook.toc = [_toc_entry(section) for section in book.sections]
    ebook.spine = [items["titlepage.xhtml"], items["imprint.xhtml"], items["contents.xhtml"]]
    ebook.spine += [items[f"{s.id}.xhtml"] for s in book.sections]
    first_chapter = book.chapters[0]
    ebook.guide = [
        {"type": "titlepage", "title": "Title page", "href": "titlepage.xhtml"},
        {"type": "toc", "title": "Contents", "href": "contents.xhtml"},
        {"type": "bodymatter", "title": "Start of the text", "href": f"{first_chapter.id}.xhtml"},
    ] + [{"type": LANDMARKS[s.role], "title": s.title, "href": f"{s.id}.xhtml"}
         for s in book.sections if s.role in LANDMARKS]

    with tempfile.TemporaryDirectory() as scratch:
        draft = Path(scratch) / "draft.epub"
        epub.write_epub(str(draft), ebook, {"epub3_pages": False, "epub2_guide": False,
                                             "mtime": build_time(), "raise_exceptions": True})
        repack_deterministic(draft, target, build_time())


def _toc_entry(section):
    link = epub.Link(f"{section.id}.xhtml", _label(section), section.id)
    subs = [h for h in section.headings if h[0] == 2]
    if not subs:
        return link
    return (epub.Section(_label(section), f"{section.id}.xhtml"),
            [epub.Link(f"{section.id}.xhtml#{hid}", text, hid) for _, hid, text in subs])


def _label(section) -> str:
    return f"{section.number}. {section.title}" if section.number else section.title


def _title_of(markup: str) -> str:
    match = re.search(r"<title>(.*?)</title>", markup, re.S)
    return match[1].strip() if match else ""
