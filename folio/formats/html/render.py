"""The web book: a home page, one page per section and a single-page edition (``book.html``),
links rewritten across pages, fonts served as WOFF2 subsets, searched with Pagefind."""

from __future__ import annotations

import functools
import html as html_escape
import json
import re
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

from ...htmltree import drop, inner_html, text_of
from ...i18n import Strings, strings_of
from ...links import ids_in, rewrite_page
from ...model import Book, Section
from ...theme.context import render_context
from ...theme.fontfiles import FontFiles
from ...theme.fonts import FontPlan, plan_for_book, with_fallbacks
from ...theme.hyphenation import hyphenation_css
from ...theme.scripts import script_sheet
from ...theme.templates import Theme
from ...transforms.resources import image_bytes
from ..bidi import isolate_inserted_numbers
from .pagememo import Page, PageMemo, book_key, page_key
from .search import build_search_index

HOME = "index.html"
SINGLE = "book.html"  # the whole book on one page, for offline reading and printing
# Section pages may not take the names of the site's own pages.
RESERVED = {HOME: "book-index.html", SINGLE: "section-book.html"}
DESCRIPTION_LENGTH = 200

_TAG = re.compile(r"<[^<>]+>")
_GLOSS_LINK = re.compile(r'<a\s[^<>]*class="[^"]*\bglossterm\b[^"]*"[^<>]*>')
_GLOSS_HREF = re.compile(r'\shref="#(gloss-[^"]+)"')
_PAGE_HREF = re.compile(r'(\shref=")([^"#:/]+\.html)#([^"]+)"')
_IMG = re.compile(r"<img\s[^<>]*>")
# Left out of the search index and its excerpts: note numbers, chapter numbers, back-links.
_NOT_SEARCHED = re.compile(r'<(?:a|p)\s[^<>]*class="(?:[^"]*\s)?(?:noteref|backlink|chapter-number)'
                           r'(?:\s[^"]*)?"[^<>]*>')


def page_name(section: Section) -> str:
    """A section's page; it may not take the name of the home page or the single page."""
    name = f"{section.file}.html"
    return RESERVED.get(name, name)


@dataclass
class Site:
    """The web book in memory: *files*, each path relative to the site (``/``
    between folders) with its bytes, all but the fonts and the search index; the
    *fonts* to cut from *font_text*, the text of every page. *later* makes the
    single-page edition when it was left for later (see :func:`web_site`)."""

    files: dict[str, bytes]
    fonts: FontFiles
    font_text: str
    later: Callable[[], str] | None = None

    def add_single(self) -> None:
        """Make the single-page edition, if it was left for later."""
        if self.later is not None:
            markup, self.later = self.later(), None
            self.files[SINGLE] = markup.encode("utf-8")
            self.font_text += markup

    def font_files(self) -> dict[str, bytes]:
        """The fonts (``fonts/<name>``: bytes), cut to the characters the pages use."""
        return {f"{FONTS}/{name}": data for name, data in self.fonts.made(self.font_text).items()}


FONTS = "fonts"  # the folder of the site's font files


def render_html(book: Book, target: Path, cover: Path | None = None) -> None:
    """Write the web book into *target*; *cover*, a PNG or JPEG, becomes its og:image."""
    site = web_site(book, cover)
    target.mkdir(parents=True)
    write_files(target, site.files)
    write_files(target, site.font_files())
    build_search_index(target)


def write_files(target: Path, files: dict[str, bytes]) -> None:
    """Write *files* (path relative to *target*: bytes), making their folders."""
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def web_site(book: Book, cover: Path | None = None, memo: PageMemo | None = None,
             single_later: bool = False) -> Site:
    """Every page and asset of the web book, in memory (see :class:`Site`); *cover*, a
    PNG or JPEG, becomes its og:image. With a *memo* (``serve``), the pages whose
    inputs did not change since the last call are taken from it, and it is updated.
    With *single_later*, the single-page edition (the whole book: the slowest page)
    is made only by the Site's ``add_single``."""
    theme = Theme(book.config.root)
    names = {section.id: page_name(section) for section in book.sections}
    cover_name = f"cover{cover.suffix.lower()}" if cover is not None else None
    plan = plan_for_book(book, theme)
    fonts = web_fonts(theme, plan)
    context = render_context(book) | {
        "page_names": names, "home": HOME, "single": SINGLE,
        "og_image": (absolute(book, cover_name) or cover_name) if cover_name else None,
        "preload_fonts": fonts.preload,
        "search_messages": search_messages(strings_of(book.config)),
    }

    def render(template: str, name: str, title: str, description: str, **values) -> str:
        return theme.render(template, book, "html", page=name, page_title=title,
                            description=description, canonical=absolute(book, name),
                            **context, **values)

    definitions = {entry.anchor: text_of(entry.definition) for entry in book.glossary}
    tops = {names[s.id]: s.id for s in book.sections}
    # the key leaves out the second of the build (the pages show its day)
    shared = book_key(book, {k: v for k, v in context.items()
                             if not callable(v) and k != "build_timestamp"},
                      fonts.math_preload) if memo is not None else ""

    def home() -> str:
        return render("html/home.html", HOME, book.config.full_title,
                      book.config.description, current=None, previous=None,
                      next=book.sections[0], print_notes=[])

    def section_page(position: int, section: Section) -> str:
        previous = book.sections[position - 1] if position else None
        following = book.sections[position + 1] if position + 1 < len(book.sections) else None
        return render(
            "html/page.html", names[section.id], f"{section.title} · {book.config.title}",
            describe(book, section), section=section, current=section, previous=previous,
            next=following, print_notes=print_notes(book, section))

    makers = {HOME: ("", home)} | {
        names[section.id]: (page_key(section) if memo is not None else "",
                            functools.partial(section_page, position, section))
        for position, section in enumerate(book.sections)}
    kept: dict[str, Page] = {}
    titled: dict[str, str] = {}
    for name, (key, make) in makers.items():
        page = memo.kept(name, key, shared) if memo is not None else None
        if page is not None:
            kept[name] = page
            titled[name] = page.titled
        else:
            titled[name] = add_glossary_titles(make(), definitions)
    ids = {name: kept[name].ids if name in kept else ids_in(markup)
           for name, markup in titled.items()}
    anchors: dict[str, str] = {}
    for name, found in ids.items():
        for anchor in found:
            anchors.setdefault(anchor, name)
    moved = memo is None or anchors != memo.anchors

    def finished(name: str, markup: str) -> str:
        markup = not_searched(sized_images(book, link_pages_not_headings(
            rewrite_page(name, markup, anchors), tops)))
        return preload_math(markup, fonts.math_preload) if fonts.math_preload else markup

    pages = {name: kept[name].final if name in kept and not moved else finished(name, markup)
             for name, markup in titled.items()}
    if memo is not None:
        memo.made = [name for name in titled if name not in kept]
        memo.book_key, memo.anchors = shared, anchors
        memo.pages = {name: Page(makers[name][0], titled[name], ids[name], pages[name])
                      for name in titled}
    css = fonts.css("../fonts/") + stylesheets(theme, plan, book)
    whole = shared + "".join(key for key, _ in makers.values())

    def single() -> str:
        if memo is not None and memo.single is not None and memo.single[0] == whole:
            return memo.single[1]
        markup = sized_images(book, add_glossary_titles(render(
            "html/book.html", SINGLE, book.config.full_title, book.config.description,
            current=None, previous=None, next=None, print_notes=[],
            inline_css=fonts.css("fonts/") + stylesheets(theme, plan, book)), definitions))
        if book.config.direction == "rtl":
            markup = isolate_inserted_numbers(markup)
        if memo is not None:
            memo.single = (whole, markup)
        return markup

    if book.config.direction == "rtl":
        pages = {name: isolate_inserted_numbers(markup) for name, markup in pages.items()}

    files = {name: markup.encode("utf-8") for name, markup in pages.items()}
    files["css/web.css"] = css.encode("utf-8")
    files["js/search.js"] = theme.asset("html/search.js").read_bytes()
    files["favicon.svg"] = theme.asset("html/favicon.svg").read_bytes()
    for relative in sorted(book.resources):
        files[Path(relative).as_posix()] = image_bytes(book, relative)
    if cover is not None and cover_name is not None:
        files[cover_name] = cover.read_bytes()
    site = Site(files, fonts, "".join(pages.values()), single)
    if not single_later:
        site.add_single()
    return site


# --- page values ----------------------------------------------------------------------------

SEARCH_MESSAGES = ("search_none", "search_found", "search_first", "search_all",
                   "search_unavailable")


def search_messages(strings: Strings) -> str:
    """The search box's messages in the book's language, as JSON for the form's
    ``data-messages`` (js/search.js fills their placeholders and picks the plural
    form of a count with Intl.PluralRules, which follows the same CLDR rules)."""
    return json.dumps({key: strings.plural_forms(key) if key == "search_found"
                       else strings.message(key) for key in SEARCH_MESSAGES},
                      ensure_ascii=False, sort_keys=True)


_STYLESHEET_LINK = '<link rel="stylesheet" href="css/web.css">'


def preload_math(markup: str, href: str) -> str:
    """*markup* with the formulas' face preloaded when the page shows a formula: its
    faces are ``font-display: optional`` (no layout shift), so a face that has not
    arrived when the page is first drawn would be left out for the whole visit."""
    if "<math" not in markup or _STYLESHEET_LINK not in markup:
        return markup
    preload = f'<link rel="preload" href="{href}" as="font" type="font/woff2" crossorigin>'
    return markup.replace(_STYLESHEET_LINK, f"{preload}\n  {_STYLESHEET_LINK}", 1)


def absolute(book: Book, name: str) -> str | None:
    """The page's address under the book's ``base_url``; None when the book has none."""
    base = book.config.base_url.strip()
    if not base:
        return None
    return base.rstrip("/") + "/" + ("" if name == HOME else name)


def describe(book: Book, section: Section) -> str:
    """A page's description: the opening of its first paragraph, or the book's description."""
    if section.body is not None:
        for paragraph in section.body.iter("p"):
            if "chapter-number" in (paragraph.get("class") or ""):
                continue
            text = text_of(_without(paragraph, "a.noteref"))
            if text:
                return shorten(text, DESCRIPTION_LENGTH)
    joint = strings_of(book.config).text("subtitle_separator")
    return book.config.description or f"{section.title}{joint}{book.config.full_title}"


def shorten(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0].rstrip(",;:–— ")
    return cut + "…"


def print_notes(book: Book, section: Section) -> list[tuple[int, str]]:
    """The notes of a section for its printed page: (number, markup), without ids or
    back-links (the notes keep those on the Notes page)."""
    if section.body is None:
        return []
    notes = []
    for note in book.notes_of(section.id):
        body = _without(note.body, "a.backlink")
        for element in body.iter():
            if isinstance(element.tag, str):
                element.attrib.pop("id", None)
        notes.append((note.number, inner_html(body)))
    return notes


def _without(element, selector: str):
    """A copy of *element* without the descendants matching ``tag.class``."""
    tag, cls = selector.split(".")
    copy = deepcopy(element)
    for found in list(copy.iter(tag)):
        if cls in (found.get("class") or "").split():
            drop(found)
    return copy


# --- markup passes --------------------------------------------------------------------------

def add_glossary_titles(markup: str, definitions: dict[str, str]) -> str:
    """Give each glossary link the plain text of its definition as a ``title``: shown on
    hover, read as the link's description, shown on keyboard focus by the stylesheet."""

    def titled(match: re.Match[str]) -> str:
        tag = match[0]
        href = _GLOSS_HREF.search(tag)
        if " title=" in tag or href is None or href[1] not in definitions:
            return tag
        title = html_escape.escape(definitions[href[1]], quote=True)
        return f'{tag[:-1]} title="{title}">'

    return _GLOSS_LINK.sub(titled, markup)


def not_searched(markup: str) -> str:
    """Mark note numbers, chapter numbers and back-links ``data-pagefind-ignore``, so that
    search excerpts read "the nationalist Kuomintang (KMT) led", not "(KMT) 38 led"."""
    return _NOT_SEARCHED.sub(lambda m: m[0][:-1] + " data-pagefind-ignore>", markup)


def link_pages_not_headings(markup: str, tops: dict[str, str]) -> str:
    """``life.html#life`` becomes ``life.html``: a link to a section opens its page at the
    top (header and chapter number in view), not scrolled to its first heading."""

    def fix(match: re.Match[str]) -> str:
        if tops.get(match[2]) == match[3]:
            return f'{match[1]}{match[2]}"'
        return match[0]

    return _TAG.sub(lambda tag: _PAGE_HREF.sub(fix, tag[0]), markup)


def sized_images(book: Book, markup: str) -> str:
    """Give each image its intrinsic width and height, so that the page does not shift
    when it loads (the stylesheet scales it down to the column). The sizes are those
    the read stage measured when it verified each image: no file is opened here."""

    def sized(match: re.Match[str]) -> str:
        tag = match[0]
        src = re.search(r'\ssrc="([^"]+)"', tag)
        if " width=" in tag or src is None:
            return tag
        size = book.image_sizes.get(html_escape.unescape(src[1]))
        if size is None:
            return tag
        end = -2 if tag.endswith("/>") else -1
        return f'{tag[:end].rstrip()} width="{size[0]}" height="{size[1]}" loading="lazy">'

    return _IMG.sub(sized, markup)


# --- assets ---------------------------------------------------------------------------------

def stylesheets(theme: Theme, plan: FontPlan, book: Book) -> str:
    return with_fallbacks("\n".join([theme.env.get_template("css/book.css").render(),
                                     hyphenation_css(book),
                                     theme.env.get_template("css/web.css").render()])
                          + script_sheet(theme, book.config, "web"), plan)


def web_fonts(theme: Theme, plan: FontPlan) -> FontFiles:
    """The web book's fonts: WOFF2, subset to the characters the site uses."""
    return FontFiles(theme, plan, flavor="woff2", display="optional")
