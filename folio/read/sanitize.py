"""The one allow-list for the HTML of a book: every fragment pandoc writes (chapters,
front matter, notes, glossary definitions, chronology events, book.yaml's Markdown
fields, discussion questions) is cleaned here, after pandoc and before any transform
or renderer, by nh3 (the binding to the Rust crate ammonia, an HTML5 parser and
sanitizer).

What the allow-list keeps is HTML that is valid both as XHTML in an EPUB 3 and as
HTML in the web book: no script, no event handler, no URL other than http, https,
mailto, tel or a relative one (no ``javascript:``, ``vbscript:``, ``data:``), no
frame, object or embed, no page-level markup (``<meta>``, ``<link>``, ``<base>``,
``<style>``), no form but the task list's check box, no obsolete element or
attribute (``<font>``, ``<center>``, ``align=``), no inline SVG or MathML (pandoc
writes neither as Folio runs it: images are files, mathematics is text), and in
``style`` attributes only typographic properties, none of which can name a URL.

Every element and attribute the cleaning removes or changes is reported, as a
:class:`Change` saying what and why; :mod:`folio.read.removals` finds its line.
Folio's own markers (``data-epub-type``, ``data-pos``, roles) are added by the
transforms, after this, so a manuscript cannot forge them."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache

import nh3
from lxml import etree
from lxml import html as lxml_html

from ..htmltree import drop
from ..memo import Table

# Elements: HTML5 text-level and grouping content, tables, figures, sectioning, the
# task list's check box. Anything else is removed; its text stays unless the element
# is in DROPPED_WITH_CONTENT.
TAGS = frozenset({
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "blockquote", "br",
    "caption", "cite", "code", "col", "colgroup", "data", "dd", "del", "details", "dfn",
    "div", "dl", "dt", "em", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4",
    "h5", "h6", "header", "hr", "i", "img", "input", "ins", "kbd", "label", "li", "mark",
    "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "section", "small", "span",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var", "wbr",
})
# Removed with everything inside: what would run, load or draw something, or whose
# text means nothing without it.
DROPPED_WITH_CONTENT = frozenset({
    "script", "style", "noscript", "template", "iframe", "frame", "frameset", "noframes",
    "noembed", "xmp", "svg", "math", "textarea", "select", "title", "head",
})
ATTRIBUTES = {
    "*": {"id", "class", "lang", "dir", "title", "style", "aria-label", "aria-labelledby",
          "aria-describedby", "aria-hidden"},
    "a": {"href", "hreflang", "tabindex"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan", "headers"},
    "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "time": {"datetime"},
    "data": {"value"},
    "del": {"datetime"},
    "ins": {"datetime"},
    "details": {"open"},
    "input": {"checked", "disabled"},
}
# Only the check box of pandoc's task lists.
ATTRIBUTE_VALUES = {"input": {"type": {"checkbox"}}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
# Properties a ``style`` attribute may keep: typography and box sizes (pandoc writes
# text-align, width, height and counter-reset); none takes a URL.
STYLE_PROPERTIES = frozenset({
    "text-align", "vertical-align", "text-indent", "text-decoration", "text-transform",
    "white-space", "letter-spacing", "word-spacing", "color", "background-color",
    "font-style", "font-weight", "font-variant", "font-size", "width", "height",
    "min-width", "max-width", "min-height", "max-height", "counter-reset",
    "list-style-type",
})
# data-* attributes the transforms set; a manuscript's own would be taken for Folio's.
RESERVED_DATA = frozenset({"data-epub-type", "data-pos", "data-title"})
_DATA_NAME = re.compile(r"^data-[a-z0-9_.-]+$")  # XML-compatible, as HTML asks
_NUMBER = {"width", "height", "colspan", "rowspan", "span", "start", "value"}
_CHOICES = {"dir": {"ltr", "rtl", "auto"}, "aria-hidden": {"true", "false"},
            "scope": {"row", "col", "rowgroup", "colgroup"},
            "type": {"1", "a", "A", "i", "I"}}
_MARK = "data-folio-k"  # numbers each element while it is cleaned, to compare before/after

_WHY_ELEMENT = [
    ({"script", "noscript", "template"}, "it would run script"),
    ({"iframe", "frame", "frameset", "noframes", "object", "embed", "applet", "param",
      "noembed", "portal"}, "embedded frames and objects load other content"),
    ({"meta", "link", "base", "style", "title", "head", "html", "body"},
     "page-level markup does not belong in the text (styles go in the theme's CSS)"),
    ({"form", "button", "select", "option", "optgroup", "textarea", "fieldset", "legend",
      "output", "datalist", "input"}, "forms do not work in a book"),
    ({"svg", "math"}, "inline SVG and MathML are not supported: use an image file"),
    ({"font", "center", "big", "tt", "strike", "acronym", "marquee", "blink", "nobr",
      "basefont", "dir", "menu", "xmp", "listing", "plaintext"},
     "it is obsolete in HTML5: style the text in the theme's CSS"),
    ({"audio", "video", "source", "track", "canvas", "picture", "map", "area"},
     "media and canvas are not supported: use an image file"),
]


@dataclass(frozen=True)
class Change:
    """One thing the cleaning removed or changed: *message* says what and why;
    *needles* are strings that may be found on its line of the source, best first."""

    message: str
    needles: tuple[str, ...]


def sanitize_html(markup: str, notes: int = 0,
                  cites: Collection[int] = ()) -> tuple[str, list[Change]]:
    """*markup* (an HTML fragment) cleaned to the allow-list, and every change made.

    The fragment is parsed once (lxml) to number its elements, cleaned by nh3, and
    parsed again to tell what went; an ``<img>`` left without a source and an
    ``<input>`` that is no check box go too. *notes* is the number of note markers
    (``<span class="folio-noteref" data-note="N">``) pandoc's reading put in it: any
    other such marker was written by hand, and goes; so do the citation markers
    (``<span class="folio-cite" data-cite="N">``) but those numbered in *cites*."""
    if not markup.strip():
        return markup, []
    key = (markup, notes, tuple(cites))
    kept = _CLEANED.get(key)
    if kept is None:
        kept = _cleaned(markup, notes, cites)
        _CLEANED.put(key, kept)
    return kept


_CLEANED = Table(50_000)  # serve: each fragment's cleaning, by fragment (folio.memo)


def _cleaned(markup: str, notes: int, cites: Collection[int]) -> tuple[str, list[Change]]:
    before = lxml_html.fragment_fromstring(markup, create_parent="div")
    originals: dict[str, tuple[etree._Element, dict[str, str]]] = {}
    for number, element in enumerate(_elements(before), start=1):
        originals[str(number)] = (element, dict(element.attrib))
        element.set(_MARK, str(number))
    cleaned = _cleaner().clean(_inner(before))
    after = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    for element in list(_elements(after)):
        if (element.tag == "img" and not element.get("src")) or (
                element.tag == "input" and element.get("type") != "checkbox"):
            drop(element)
    kept: dict[str, etree._Element] = {}
    for element in _elements(after):
        number = element.attrib.pop(_MARK, None)
        if number is not None:
            kept.setdefault(number, element)
    changes = [*_changes(originals, kept), *_repair_lists(after), *_repair_figures(after),
               *_forged_note_markers(after, notes),
               *_forged_cite_markers(after, {str(n) for n in cites})]
    return _inner(after), changes


def _changes(originals: dict[str, tuple[etree._Element, dict[str, str]]],
             kept: dict[str, etree._Element]) -> Iterator[Change]:
    removed = {element for number, (element, _) in originals.items() if number not in kept}
    for number, (element, attributes) in originals.items():
        tag = element.tag
        if element in removed:
            if not any(a in removed and a.tag in DROPPED_WITH_CONTENT
                       for a in element.iterancestors()):
                yield _element_change(tag, attributes)
            continue
        now = kept[number].attrib
        for name, value in attributes.items():
            if name == _MARK:
                continue
            if name == "style" and name in now:
                gone = _properties(value) - _properties(now[name])
                if gone:
                    yield Change(f"<{tag} style>: {', '.join(sorted(gone))} removed (only "
                                 "typographic properties are kept in the text)",
                                 (value, *sorted(gone)))
            elif name not in now:
                yield _attribute_change(tag, name, value)


def _repair_lists(root: etree._Element) -> Iterator[Change]:
    """Lists as HTML's content model wants them, which no parser enforces: in ``<ul>``
    and ``<ol>`` only items (anything else goes into an item of its own), items only in
    lists (a run of stray ones gets a ``<ul>``), and a ``<dl>`` only of terms followed by
    their definitions (one that is not becomes a ``<div>``, its parts ``<div>`` too)."""
    for element in list(_elements(root)):
        parent = element.getparent()
        if element.tag in ("ul", "ol"):
            yield from _items_only(element)
        elif element.tag == "li" and parent.tag not in ("ul", "ol", "menu"):
            wrapper = lxml_html.Element("ul")
            element.addprevious(wrapper)
            while element is not None and element.tag == "li":
                following = element.getnext()
                wrapper.append(element)
                wrapper.tail, element.tail = element.tail, None
                element = following if not (wrapper[-1].tail or "").strip() else None
            yield Change("an item (<li>) outside any list put in a <ul>", ("<li",))
        elif element.tag == "dl" and not _paired(element):
            element.tag = "div"
            for child in element:
                if isinstance(child.tag, str) and child.tag in ("dt", "dd"):
                    child.tag = "div"
            yield Change("<dl> made a <div>: a description list holds terms (<dt>) each "
                         "followed by their descriptions (<dd>)", ("<dl", "<dd", "<dt"))
        elif element.tag in ("dt", "dd") and not (parent.tag == "dl" or (
                parent.tag == "div" and parent.getparent() is not None
                and parent.getparent().tag == "dl")):
            tag, element.tag = element.tag, "div"
            yield Change(f"<{tag}> outside a description list made a <div>", (f"<{tag}",))


def _items_only(parent: etree._Element) -> Iterator[Change]:
    """Put whatever stands in the list *parent* outside its items into items of its own."""
    stray = (parent.text or "").strip() or any(
        not (isinstance(c.tag, str) and c.tag == "li") or (c.tail or "").strip()
        for c in parent)
    if not stray:
        return
    ordered: list[etree._Element] = []
    current: list[etree._Element | None] = [None]

    def item() -> etree._Element:
        if current[0] is None:
            current[0] = lxml_html.Element("li")
            ordered.append(current[0])
        return current[0]

    def add_text(text: str) -> None:
        holder = item()
        if len(holder):
            holder[-1].tail = (holder[-1].tail or "") + text
        else:
            holder.text = (holder.text or "") + text

    text, parent.text = parent.text, None
    if text and text.strip():
        add_text(text)
        yield Change(f"text inside <{parent.tag}> put in an item (<li>): a list holds only "
                     "items", (f"<{parent.tag}",))
    for child in list(parent):
        tail, child.tail = child.tail, None
        parent.remove(child)
        if isinstance(child.tag, str) and child.tag == "li":
            current[0] = None
            ordered.append(child)
        else:
            item().append(child)
            yield Change(f"<{child.tag}> inside <{parent.tag}> put in an item (<li>): a list "
                         "holds only items", (f"<{child.tag}",))
        if tail and tail.strip():
            add_text(tail)
            yield Change(f"text inside <{parent.tag}> put in an item (<li>): a list holds "
                         "only items", (f"<{parent.tag}",))
        elif tail:
            ordered[-1].tail = tail
    parent.extend(ordered)


def _forged_note_markers(root: etree._Element, notes: int) -> Iterator[Change]:
    """Remove the note markers pandoc's reading did not make: each of 1…*notes* once."""
    seen: set[str] = set()
    for marker in list(root.iter("span")):
        if marker.get("class") != "folio-noteref":
            continue
        number = marker.get("data-note", "")
        if number.isdigit() and 1 <= int(number) <= notes and number not in seen \
                and not len(marker) and not marker.text:
            seen.add(number)
            continue
        marker.attrib.pop("class")
        marker.attrib.pop("data-note", None)
        yield Change('raw HTML <span class="folio-noteref"> unmarked: it is Folio\'s own '
                     "marker of a note; write a note as [^label]", ("folio-noteref",))


def _forged_cite_markers(root: etree._Element, allowed: set[str]) -> Iterator[Change]:
    """Remove the citation markers pandoc's reading did not make: each of *allowed* once."""
    for marker in list(root.iter("span")):
        if marker.get("class") != "folio-cite":
            continue
        number = marker.get("data-cite", "")
        if number in allowed and not len(marker) and not marker.text:
            allowed.discard(number)
            continue
        marker.attrib.pop("class")
        marker.attrib.pop("data-cite", None)
        yield Change('raw HTML <span class="folio-cite"> unmarked: it is Folio\'s own '
                     "marker of a citation; write a citation as [@key]", ("folio-cite",))


def _paired(dl: etree._Element) -> bool:
    """Whether *dl*'s children are terms each followed by descriptions (HTML5)."""
    tags = [c.tag for c in dl if isinstance(c.tag, str)]
    if not tags or tags[0] != "dt" or tags[-1] != "dd" or set(tags) - {"dt", "dd"}:
        return False
    return not ((dl.text or "").strip() or any((c.tail or "").strip() for c in dl))


def _repair_figures(root: etree._Element) -> Iterator[Change]:
    """A ``<figure>`` as the EPUB's schema wants it: one ``<figcaption>``, its first or
    last child. Line breaks after the caption (``<br><br>`` to make room) go; other
    content after it moves before it; a second caption becomes a ``<div>``."""
    for figure in list(root.iter("figure")):
        captions = [child for child in figure if child.tag == "figcaption"]
        for extra in captions[1:]:
            extra.tag = "div"
            yield Change("a second <figcaption> in a <figure> made a <div>", ("<figcaption",))
        if not captions or captions[0] is figure[0]:
            continue
        caption = captions[0]
        after = list(caption.itersiblings())
        if not after and not (caption.tail or "").strip():
            continue
        if all(e.tag == "br" and not (e.tail or "").strip() for e in after) \
                and not (caption.tail or "").strip():
            for element in after:
                figure.remove(element)
            yield Change("<br> after a figure's caption removed", ("<br",))
            continue
        figure.remove(caption)
        caption.tail = None
        figure.append(caption)
        yield Change("a figure's caption moved after the rest of the figure", ("<figcaption",))


def _element_change(tag: str, attributes: dict[str, str]) -> Change:
    why = next((why for tags, why in _WHY_ELEMENT if tag in tags),
               "it is not allowed in a book's HTML, or not where it stands")
    if tag == "img":
        source = attributes.get("src", "")
        why = (f"images must be files of the book, not '{_short(source)}'" if source
               else "it has no source")
    elif tag == "input":
        why = "only the check boxes of task lists are kept"
    values = tuple(v for v in attributes.values() if len(v) > 2 and v != "")
    return Change(f"raw HTML <{tag}> removed: {why}", (f"<{tag}", *values))


def _attribute_change(tag: str, name: str, value: str) -> Change:
    needles = (value, name) if len(value) > 2 else (name,)
    if name.startswith("on"):
        why = "it would run script"
        needles = (name, value)
    elif name in ("href", "src"):
        why = ("only http, https, mailto and tel links and links inside the book are "
               "kept" if tag != "img" else "images must be files of the book")
        return Change(f"<{tag}> {name} '{_short(value)}' removed: {why}",
                      (value, *_scheme(value), name))
    elif name in RESERVED_DATA:
        why = "Folio sets it itself"
    elif name.startswith("data-"):
        why = "data-* names are lower-case letters, digits, '-', '_' and '.'"
    elif name in _NUMBER or name in _CHOICES:
        why = f"'{_short(value)}' is not a valid value (HTML5)"
        needles = (f"{name}=", value)
    elif name == "name" and tag == "a":
        why = "obsolete in HTML5: give the anchor an id instead"
    else:
        why = (f"it is not among the attributes kept on <{tag}> (HTML valid in an EPUB 3 "
               "and a web page; style it in the theme's CSS)")
    return Change(f"<{tag}> attribute '{name}' removed: {why}", needles)


@cache
def _cleaner() -> nh3.Cleaner:
    return nh3.Cleaner(
        tags=set(TAGS), clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
        tag_attribute_values={tag: {n: set(v) for n, v in values.items()}
                              for tag, values in ATTRIBUTE_VALUES.items()},
        attribute_filter=_filter_attribute, generic_attribute_prefixes={"data-"},
        url_schemes=set(URL_SCHEMES), filter_style_properties=set(STYLE_PROPERTIES),
        link_rel=None, strip_comments=True)


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    """What nh3 keeps of an allowed attribute (None: nothing). Called by nh3, after
    its own checks (URL schemes among them)."""
    if name.startswith("data-"):
        return value if name == _MARK or (
            _DATA_NAME.match(name) and name not in RESERVED_DATA) else None
    if name in _NUMBER and not (value.isascii() and value.strip().lstrip("-").isdigit()):
        return None
    if name == "tabindex" and not re.fullmatch(r"-?\d+", value.strip()):
        return None
    if name == "type" and tag != "ol":
        return value  # the check box's, which nh3 has checked
    if name in _CHOICES and value.strip() not in _CHOICES[name]:
        return None
    return value


def _elements(root: etree._Element) -> Iterator[etree._Element]:
    """The elements under *root* (not *root*), in document order; no comments."""
    return (e for e in root.iterdescendants() if isinstance(e.tag, str))


def _inner(root: etree._Element) -> str:
    text = (root.text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text + "".join(etree.tostring(child, method="html", encoding="unicode",
                                         with_tail=True) for child in root)


def _properties(style: str) -> set[str]:
    return {d.split(":", 1)[0].strip().lower() for d in style.split(";") if ":" in d}


def _scheme(url: str) -> tuple[str, ...]:
    match = re.match(r"\s*([a-zA-Z][a-zA-Z0-9+.-]*):", url)
    return (match[1] + ":",) if match else ()


def _short(value: str, length: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= length else value[: length - 1] + "…"
