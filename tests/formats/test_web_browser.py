"""The web book in a real browser (headless Chromium through Playwright), served by a
local web server: every page loads cleanly in both colour schemes and passes axe-core,
search finds a chapter (as it is typed and with its button), notes and glossary links
work, phones get no sideways scroll and a stacked chronology that is still a table,
JavaScript off still reads, printing gives a handout; book.html opened from disk
(file://) logs nothing and offers no search. Screenshots go to tests/artifacts/.

Nothing here is skipped: a missing Playwright, Chromium, axe-core or Pagefind fails."""

from __future__ import annotations

import functools
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browsers import CHROMIUM_ARGS, chromium_path
from helpers import ROOT

from folio.htmltree import text_of

ARTIFACTS = ROOT / "tests" / "artifacts"
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
SCHEMES = ("light", "dark")
SEARCH_TERM = "Kuomintang"

pytestmark = pytest.mark.slow


# --- the site on a local web server ------------------------------------------------------

class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site; says nothing on the console."""

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, ".wasm": "application/wasm",
                      ".woff2": "font/woff2", ".svg": "image/svg+xml",
                      ".js": "text/javascript"}

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site(html_dir):
    """The built web book at http://127.0.0.1:PORT/ (a free port), for the session."""
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 functools.partial(QuietHandler, directory=str(html_dir)))
    thread = threading.Thread(target=server.serve_forever, name="web-book", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def pages(html_dir) -> list[str]:
    names = sorted(p.name for p in html_dir.glob("*.html"))
    assert "index.html" in names and "book.html" in names, names
    return names


@pytest.fixture(scope="session")
def axe():
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        pytest.fail("axe-core for Playwright is missing: pip install axe-playwright-python",
                    pytrace=False)
    return Axe()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


class Visit:
    """A browser context that records what goes wrong: console errors, script errors,
    failed or refused requests, HTTP errors, and any request for another host (refused)."""

    def __init__(self, browser, site: str, **options):
        self.site = site
        self.problems: list[str] = []
        self.context = browser.new_context(**options)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(10_000)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"script error: {error}"))
        self.page.on("requestfailed", lambda request: self.problems.append(
            f"request failed: {request.url} ({request.failure})"))
        self.page.on("response", lambda response: response.status >= 400
                     and self.problems.append(f"HTTP {response.status}: {response.url}"))

    def _route(self, route):
        url = route.request.url
        if url.startswith(self.site) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.problems.append(f"request leaves the site: {url}")
            route.abort()

    def _console(self, message):
        if message.type == "error":
            self.problems.append(f"console error: {message.text} ({message.location})")

    def open(self, name: str, wait_fonts: bool = True):
        # "networkidle": every request (fonts, icon) has finished before the test moves
        # on, so that leaving the page cannot abort one and count it as a failure.
        self.page.goto(self.site + name, wait_until="networkidle")
        if wait_fonts:
            self.settle()
        return self.page

    def settle(self) -> None:
        """Wait for the fonts that what is shown now asks for: a click that shows new
        text (a bold link in the opened menu) starts a font request after the page's
        network went idle, and leaving the page would abort it."""
        self.page.evaluate("() => { document.body.getBoundingClientRect();"
                           " return document.fonts.ready.then(() => true); }")
        self.page.wait_for_load_state("networkidle")

    def take_problems(self, where: str) -> list[str]:
        found = [f"{where}: {p}" for p in self.problems]
        self.problems.clear()
        return found

    def close(self):
        self.context.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def violation_report(results) -> str:
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"][:5]:
            lines.append(f"{violation['id']} ({violation['impact']}): {node['target']} "
                         f"{node.get('failureSummary', '')[:300]}")
    return "\n".join(lines)


def chapter_with(book, predicate) -> tuple[str, object]:
    from folio.formats.html.render import page_name

    for section in book.chapters:
        if predicate(section):
            return page_name(section), section
    raise AssertionError("no chapter fits the test")


# --- every page ---------------------------------------------------------------------------

def check_pages_in_scheme(site: str, pages: list[str], axe, scheme: str) -> list[str]:
    """Load every page in one colour scheme and run axe-core on it; returns the problems.
    Runs in a thread of its own, with its own Playwright and browser."""
    from playwright.sync_api import sync_playwright

    problems = []
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(),
                                              args=CHROMIUM_ARGS)
        try:
            with Visit(chromium, site, color_scheme=scheme, viewport=DESKTOP) as visit:
                for name in pages:
                    page = visit.open(name)
                    seen = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                    if seen != (scheme == "dark"):
                        problems.append(f"{name}: the page does not see the {scheme} scheme")
                    results = axe.run(page)
                    if results.violations_count:
                        problems.append(f"{name} ({scheme}): {results.violations_count} axe "
                                        f"violation(s)\n{violation_report(results)}")
                    problems += visit.take_problems(f"{name} ({scheme})")
        finally:
            chromium.close()
    return problems


def test_every_page_loads_cleanly_and_passes_axe_in_both_schemes(site, pages, axe):
    # The two schemes in parallel (a browser each): axe-core is slow on the long pages.
    with ThreadPoolExecutor(max_workers=len(SCHEMES)) as pool:
        found = list(pool.map(lambda scheme: check_pages_in_scheme(site, pages, axe, scheme),
                              SCHEMES))
    problems = [p for scheme in found for p in scheme]
    assert not problems, f"{len(problems)} problem(s) on {len(pages)} pages x " \
                         f"{len(SCHEMES)} schemes:\n" + "\n".join(problems)


def test_dark_scheme_changes_the_colours(browser, site):
    colours = {}
    for scheme in SCHEMES:
        with Visit(browser, site, color_scheme=scheme, viewport=DESKTOP) as visit:
            page = visit.open("index.html")
            colours[scheme] = page.evaluate(
                "[getComputedStyle(document.documentElement).backgroundColor,"
                " getComputedStyle(document.documentElement).color]")
    assert colours["light"] != colours["dark"], colours


def test_fonts_come_from_the_site(browser, site, html_dir):
    with Visit(browser, site, viewport=DESKTOP) as visit:
        fonts = []
        visit.page.on("request", lambda r: r.resource_type == "font" and fonts.append(r.url))
        page = visit.open("index.html")
        assert page.evaluate("document.fonts.check('1em \"Folio Serif\"')")
        loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded')"
                               ".map(f => f.family)")
        problems = visit.take_problems("index.html")
    assert fonts and all(url.startswith(site + "fonts/") for url in fonts), fonts
    assert any("Folio Serif" in family for family in loaded), loaded
    assert not problems, "\n".join(problems)


def test_no_layout_shift_while_loading(browser, site, book):
    name, _ = chapter_with(book, lambda s: True)
    problems = []
    for viewport in (PHONE, DESKTOP):
        with Visit(browser, site, viewport=viewport) as visit:
            page = visit.open(name)
            page.wait_for_timeout(300)
            shift = page.evaluate("""() => new Promise(resolve => {
                let total = 0;
                new PerformanceObserver(list => {
                  for (const entry of list.getEntries())
                    if (!entry.hadRecentInput) total += entry.value;
                }).observe({type: 'layout-shift', buffered: true});
                setTimeout(() => resolve(total), 100);
            })""")
            if shift > 0.01:
                problems.append(f"{name} at {viewport['width']} px: layout shift {shift:.3f}")
            problems += visit.take_problems(name)
    assert not problems, "\n".join(problems)


# --- search ------------------------------------------------------------------------------

def test_search_box_finds_the_chapter_that_uses_a_glossary_term(browser, site, book):
    from playwright.sync_api import expect

    from folio.formats.html.render import page_name

    entry = next(e for e in book.glossary if e.term == SEARCH_TERM)
    using = {page_name(book.section(p.section_id)) for p in entry.uses
             if book.section(p.section_id).kind == "chapter"}
    assert using, f"no chapter uses {SEARCH_TERM}"
    with Visit(browser, site, viewport=DESKTOP) as visit:
        page = visit.open("index.html")
        box = page.get_by_role("searchbox", name="Search the book")
        box.click()
        box.press_sequentially(SEARCH_TERM.lower(), delay=20)
        # The results of the whole word, not of a prefix typed on the way: the status
        # line and the list change together.
        expect(page.locator("[role=status]")).to_contain_text(f"“{SEARCH_TERM.lower()}”")
        page.locator(".search-result a").first.wait_for(state="visible")
        found = [urlsplit(h).path.rsplit("/", 1)[-1] for h in
                 page.eval_on_selector_all(".search-result a", "as => as.map(a => a.href)")]
        assert using & set(found), f"search for {SEARCH_TERM!r} found {found}, not {using}"
        assert "book.html" not in found and "index.html" not in found, found
        excerpt = page.locator(".search-result mark").first.text_content()
        assert excerpt.lower().startswith(SEARCH_TERM.lower()), excerpt
        target = next(n for n in found if n in using)
        page.locator(f'.search-result a[href$="/{target}"]').first.click()
        page.wait_for_url(f"**/{target}")
        assert page.locator("h1").first.is_visible()
        page.keyboard.press("Escape")
        problems = visit.take_problems("search")
    assert not problems, "\n".join(problems)


def test_search_results_pass_axe_on_a_phone_in_both_schemes(browser, site, axe, artifacts):
    problems = []
    for scheme in SCHEMES:
        with Visit(browser, site, viewport=PHONE, color_scheme=scheme) as visit:
            page = visit.open("index.html")
            page.get_by_role("searchbox").fill("revolution")
            page.locator(".search-result a").first.wait_for(state="visible")
            page.screenshot(path=str(artifacts / f"search-360-{scheme}.png"))
            results = axe.run(page)
            if results.violations_count:
                problems.append(f"search ({scheme}): {violation_report(results)}")
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                problems.append(f"search results at 360 px: page is {width} px wide")
            problems += visit.take_problems(f"search ({scheme})")
    assert not problems, "\n".join(problems)


# --- notes and glossary ------------------------------------------------------------------

def in_view(page, selector: str) -> bool:
    return page.eval_on_selector(selector, """e => { const r = e.getBoundingClientRect();
        return r.bottom > 0 && r.top < innerHeight; }""")


def test_note_reference_and_back_link(browser, site, book):
    name, chapter = chapter_with(book, lambda s: len(book.notes_of(s.id)) >= 2)
    note = book.notes_of(chapter.id)[-1]  # the last note: far down both pages
    with Visit(browser, site, viewport=DESKTOP) as visit:
        page = visit.open(name)
        page.locator(f"#{note.ref_id}").click()
        page.wait_for_url(f"**/notes.html#{note.id}")
        assert page.evaluate("document.querySelector(':target')?.id") == note.id
        assert in_view(page, f"#{note.id}"), "the note is not scrolled into view"
        page.locator(f"#{note.id} a.backlink").click()
        page.wait_for_url(f"**/{name}#{note.ref_id}")
        assert page.evaluate("document.querySelector(':target')?.id") == note.ref_id
        assert in_view(page, f"#{note.ref_id}"), "the reference is not scrolled into view"
        problems = visit.take_problems("notes")
    assert not problems, "\n".join(problems)


def test_glossary_link_shows_its_definition_on_hover_and_focus(browser, site, book,
                                                                  artifacts):
    from playwright.sync_api import expect

    name, chapter = chapter_with(book, lambda s: s.body is not None and
                                 s.body.xpath(".//a[contains(@class, 'glossterm')]"))
    with Visit(browser, site, viewport=PHONE) as visit:
        page = visit.open(name)
        link = page.locator("main a.glossterm").first
        anchor = link.get_attribute("href").rsplit("#", 1)[-1]
        entry = next(e for e in book.glossary if e.anchor == anchor)
        definition = text_of(entry.definition)
        assert link.get_attribute("title") == definition  # the tooltip on hover
        expect(link).to_have_accessible_description(definition)
        link.hover()
        page.keyboard.press("Tab")  # a keyboard user: focus shows the definition panel
        link.focus()
        shown = link.evaluate("""e => { const s = getComputedStyle(e, '::after');
            return {content: s.content, position: s.position,
                    visible: e.matches(':focus-visible')}; }""")
        assert shown["visible"] and shown["position"] == "fixed", shown
        assert definition[:40] in shown["content"], shown
        page.screenshot(path=str(artifacts / "glossary-focus-360.png"))
        link.click()
        page.wait_for_url(f"**/glossary.html#{anchor}")
        assert page.evaluate("document.querySelector(':target')?.tagName") == "DT"
        assert in_view(page, f"#{anchor}")
        problems = visit.take_problems("glossary")
    assert not problems, "\n".join(problems)


# --- phones, screenshots, JavaScript off, print --------------------------------------------

def test_no_horizontal_scroll_at_360_px(browser, site, pages):
    problems = []
    with Visit(browser, site, viewport=PHONE) as visit:
        for name in pages:
            page = visit.open(name, wait_fonts=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                wide = page.evaluate("""w => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > w + 1)
                    .slice(0, 5).map(e => e.tagName + '.' + e.className)""", PHONE["width"])
                problems.append(f"{name}: {width} px wide at 360 px ({wide})")
            if name != "book.html":
                menu = page.locator("details.menu")
                assert menu.is_visible() and not page.locator(".contents-sidebar").is_visible()
                menu.locator("summary").click()
                assert page.locator(".contents-menu a[href='index.html']").is_visible()
                visit.settle()
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    problems.append(f"{name}: the open menu makes the page {width} px wide")
            problems += visit.take_problems(name)
    assert not problems, "\n".join(problems)


def test_phone_menu_passes_axe(browser, site, axe, book, artifacts):
    name, _ = chapter_with(book, lambda s: True)
    problems = []
    for scheme in SCHEMES:
        with Visit(browser, site, viewport=PHONE, color_scheme=scheme) as visit:
            page = visit.open(name)
            page.locator("details.menu summary").click()
            visit.settle()
            page.screenshot(path=str(artifacts / f"menu-360-{scheme}.png"))
            results = axe.run(page)
            if results.violations_count:
                problems.append(f"menu ({scheme}): {violation_report(results)}")
            problems += visit.take_problems(f"menu ({scheme})")
    assert not problems, "\n".join(problems)


def test_screenshots_of_a_chapter(browser, site, book, artifacts):
    name, chapter = chapter_with(book, lambda s: len(book.notes_of(s.id)) >= 2)
    made = []
    for scheme in SCHEMES:
        for viewport in (PHONE, DESKTOP):
            with Visit(browser, site, viewport=viewport, color_scheme=scheme) as visit:
                page = visit.open(name)
                path = artifacts / f"chapter-{viewport['width']}-{scheme}.png"
                page.screenshot(path=str(path))
                made.append(path)
                assert not visit.take_problems(name)
    assert all(p.stat().st_size > 10_000 for p in made), made


def test_reads_with_javascript_off(browser, site, book):
    name, _ = chapter_with(book, lambda s: True)
    with Visit(browser, site, viewport=PHONE, java_script_enabled=False) as visit:
        page = visit.open(name, wait_fonts=False)
        assert not page.locator("form.search").is_visible(), "a search box that cannot work"
        assert page.locator("main h1").is_visible()
        page.locator("details.menu summary").click()
        link = page.locator(".contents-menu a").nth(3)
        target = link.get_attribute("href")
        link.click()
        page.wait_for_url(f"**/{target}")
        problems = visit.take_problems("no JavaScript")
    assert not problems, "\n".join(problems)


def test_printing_a_chapter_gives_a_handout(browser, site, book, artifacts):
    name, chapter = chapter_with(book, lambda s: len(book.notes_of(s.id)) >= 1)
    with Visit(browser, site, viewport=DESKTOP, color_scheme="dark") as visit:
        page = visit.open(name)
        page.emulate_media(media="print")
        style = page.evaluate("""() => {
            const shown = s => [...document.querySelectorAll(s)]
                .some(e => getComputedStyle(e).display !== 'none');
            return {
              nav: shown('nav.contents') || shown('.site-header') || shown('.pager'),
              notes: shown('.print-notes'),
              text: getComputedStyle(document.querySelector('main p')).color,
              background: getComputedStyle(document.documentElement).backgroundColor,
            }; }""")
        assert not style["nav"], "navigation is printed"
        assert style["notes"], "the chapter's notes are not printed"
        assert style["text"] == "rgb(0, 0, 0)", style
        assert style["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), style
        numbers = page.eval_on_selector_all(".print-notes li", "ls => ls.map(l => l.value)")
        assert numbers == [n.number for n in book.notes_of(chapter.id)]
        page.pdf(path=str(artifacts / "chapter-print.pdf"), format="A4")
        assert not visit.take_problems("print")


def test_printed_links_leaving_the_book_show_their_address(browser, site, sample_built):
    """The sample book links to https://example.org/: printed, the address follows."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(
        QuietHandler, directory=str(sample_built["html"])))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        sample = f"http://127.0.0.1:{server.server_port}/"
        with Visit(browser, sample, viewport=DESKTOP) as visit:
            page = visit.open("first.html")
            page.emulate_media(media="print")
            outside = page.eval_on_selector(
                "main a[href^='https:']", "a => getComputedStyle(a, '::after').content")
            inside = page.eval_on_selector(
                "main a.noteref", "a => getComputedStyle(a, '::after').content")
            assert "https://example.org/" in outside, outside
            assert inside in ("none", "normal"), inside
            assert not visit.take_problems("sample")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_single_page_edition_stays_on_its_page(browser, site, book):
    with Visit(browser, site, viewport=DESKTOP) as visit:
        page = visit.open("book.html")
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
        elsewhere = [h for h in links if not h.startswith("#") and not re.match(r"https?:", h)]
        assert not elsewhere, elsewhere[:10]
        headings = page.eval_on_selector_all("main h1[id]", "hs => hs.map(h => h.id)")
        assert [s.id for s in book.sections if s.id in headings] == [s.id for s in book.sections]
        note = book.notes[0]
        page.locator(f"#{note.ref_id}").click()
        assert page.evaluate("location.hash") == f"#{note.id}"
        assert page.evaluate("location.pathname").endswith("/book.html")
        assert in_view(page, f"#{note.id}")
        assert not visit.take_problems("book.html")


# --- read from disk, and on a phone ---------------------------------------------------

def open_from_disk(browser, path, viewport) -> tuple[object, list[str]]:
    """*path* opened as a file:// page; the console messages, failed requests and
    script errors it gave, as text."""
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}")
            if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(f"script error: {e}"))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.goto(path.as_uri())
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(300)  # late preload warnings
    return page, problems


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_book_html_from_disk_is_clean(browser, html_dir, viewport):
    page, problems = open_from_disk(browser, html_dir / "book.html", viewport)
    try:
        assert problems == []
        assert page.locator("form, input[type=search]").count() == 0, \
            "book.html offers no search it cannot do"
        loaded = page.evaluate("[...document.fonts].filter(f => f.status === 'loaded')"
                               ".map(f => f.family)")
        assert "Folio Serif" in loaded, "the theme's fonts load from disk"
        assert page.locator("#chronology").is_visible()
    finally:
        page.context.close()


def test_section_page_from_disk_shows_no_search_box(browser, html_dir):
    page, _ = open_from_disk(browser, html_dir / "index.html", PHONE)
    try:
        assert page.locator("form.search").count() == 1
        assert not page.locator("form.search").is_visible(), "a search box that cannot work"
        assert page.locator("main h1, main .book-title").first.is_visible()
    finally:
        page.context.close()


def test_chronology_stacks_on_a_phone_and_stays_a_table(browser, site, axe, book):
    with Visit(browser, site, viewport=PHONE) as visit:
        page = visit.open("chronology.html")
        boxes = page.eval_on_selector_all(".chronology-table tbody tr", """rows => rows.map(r => {
            const date = r.querySelector('th').getBoundingClientRect();
            const event = r.querySelector('td').getBoundingClientRect();
            return [date.bottom, event.top, event.width]; })""")
        assert len(boxes) == len(book.chronology)
        width = page.evaluate("document.documentElement.clientWidth")
        for date_bottom, event_top, event_width in boxes:
            assert date_bottom <= event_top + 0.5, "the date stands above its event"
            assert event_width >= 0.85 * width - 40, f"the event is {event_width} px wide"
        roles: dict[str, int] = {}
        tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
        for node in tree["nodes"]:
            role = node.get("role", {}).get("value")
            roles[role] = roles.get(role, 0) + 1
        events = len(book.chronology)
        assert roles.get("table") == 1
        assert (roles.get("rowheader"), roles.get("cell"), roles.get("columnheader")) == \
            (events, events, 2), roles
        results = axe.run(page)
        assert results.violations_count == 0, violation_report(results)
        assert not visit.take_problems("chronology")


def test_search_button_runs_the_search(browser, site):
    with Visit(browser, site, viewport=DESKTOP) as visit:
        page = visit.open("index.html")
        button = page.get_by_role("button", name="Search")
        assert button.is_visible()
        # The words put in the box without typing (no input event): only the button searches.
        page.eval_on_selector(".search-input", "(box, term) => { box.value = term; }",
                              SEARCH_TERM)
        button.click()
        page.locator(".search-result a").first.wait_for(state="visible")
        assert SEARCH_TERM in page.locator("[role=status]").text_content()
        assert not visit.take_problems("search button")
