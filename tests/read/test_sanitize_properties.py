"""Property-based: whatever raw HTML and Markdown a manuscript holds, what the read
stage yields (and the web book shows) has no script, no event handler, no
``javascript:``, ``vbscript:`` or ``data:`` URL, no frame and no ``<meta http-equiv>``;
the cleaning is idempotent and its result is well-formed XHTML for the EPUB."""

from __future__ import annotations

import tempfile
from pathlib import Path

from helpers import MINIMAL_CONFIG, write_book
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from unsafe import unsafe_markup, unsafe_outputs

from folio.build import build
from folio.errors import BuildError
from folio.htmltree import fragment, inner_html
from folio.read import read_book
from folio.read.sanitize import sanitize_html

FAST = settings(max_examples=200, deadline=None, derandomize=True)
SLOW = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

TAGS = ["script", "SCRIPT", "a", "img", "iframe", "object", "embed", "meta", "svg", "math",
        "style", "div", "p", "span", "table", "td", "ul", "li", "dl", "dd", "figure",
        "form", "input", "button", "base", "link", "noscript", "template", "textarea",
        "title", "font", "video", "details", "b", "x-y", "foreignObject", "animate", "set"]
ATTRIBUTES = ["href", "src", "onclick", "ONLOAD", "onerror", "style", "class", "id",
              "data-x", "http-equiv", "content", "xlink:href", "formaction", "action",
              "srcset", "background", "align", "type", "name", "to", "values", "lang"]
SCHEMES = ["javascript:", "JaVaScRiPt:", " javascript:", "java\tscript:", "jav&#x09;ascript:",
           "&#106;avascript:", "&#x6A;avascript:", "vbscript:", "data:", "DATA:",
           "data:text/html;base64,PHNjcmlwdD4=", "file:", "http://x/", "#", "", "mailto:a@b"]
text = st.text(alphabet="ab <>&\"'=/;:()!-`\n\t", max_size=12)
value = st.one_of(text, st.builds(lambda s, t: s + t, st.sampled_from(SCHEMES), text))
attribute = st.builds(lambda n, v, q: f' {n}={q}{v}{q}', st.sampled_from(ATTRIBUTES), value,
                      st.sampled_from(['"', "'", ""]))


@st.composite
def raw_html(draw, depth: int = 0) -> str:
    """A piece of raw HTML, well or badly formed."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.integers(0, 9))
        if kind < 5 and depth < 3:
            tag = draw(st.sampled_from(TAGS))
            attrs = "".join(draw(st.lists(attribute, max_size=3)))
            separator = draw(st.sampled_from(["", "\n", " /"]))
            inner = draw(raw_html(depth + 1))
            close = draw(st.sampled_from([f"</{tag}>", "", f"</{tag}"]))
            parts.append(f"<{tag}{separator}{attrs}>{inner}{close}")
        elif kind == 5:
            parts.append(draw(st.sampled_from(["<!-- c -->", "<!--[if IE]><script>x</script>"
                                               "<![endif]-->", "<![CDATA[<script>]]>",
                                               "<?php x ?>", "</p>", "<", "&lt;script&gt;"])))
        else:
            parts.append(draw(text))
    return "".join(parts)


@st.composite
def markdown(draw) -> str:
    """Markdown carrying raw HTML and URLs in every place pandoc reads them."""
    html = raw_html()
    url = st.builds(lambda s, t: s + t, st.sampled_from(SCHEMES), text.filter(
        lambda t: not any(c in t for c in "()\n<> ")))
    block = st.one_of(
        html,
        st.builds(lambda h: f"```{{=html}}\n{h}\n```", html),
        st.builds(lambda h: f"Some `x`{{=html}} text {h} and more.", html),
        st.builds(lambda u: f"A [link]({u}) and ![image]({u}).", url),
        st.builds(lambda n, v: f"A [span]{{{n}=\"{v}\"}} here.",
                  st.sampled_from(["onclick", "style", "data-x", "href"]),
                  st.sampled_from(["alert(1)", "background:url(x)", "javascript:x"])),
        st.builds(lambda h: f"- item {h}\n- item", html),
        st.builds(lambda h: f"> {h}", html),
        st.builds(lambda h: f"| a | b |\n|---|---|\n| {h.replace('|', '')} | x |", html),
    )
    return "\n\n".join(draw(st.lists(block, min_size=1, max_size=4)))


def _assert_safe(markup: str) -> None:
    found = unsafe_markup(f"<div>{markup}</div>")
    assert found == [], found


@FAST
@given(raw_html())
def test_cleaned_html_is_safe_idempotent_and_well_formed_xhtml(markup):
    cleaned, _ = sanitize_html(markup)
    _assert_safe(cleaned)
    again, changes = sanitize_html(cleaned)
    assert changes == [] and again == cleaned
    etree.fromstring(f'<div xmlns="http://www.w3.org/1999/xhtml">'
                     f'{inner_html(fragment(cleaned), xml=True)}</div>')


@FAST
@given(raw_html())
def test_each_thing_removed_is_reported(markup):
    cleaned, changes = sanitize_html(markup)
    before = unsafe_markup(f"<div>{markup}</div>")
    if before and not unsafe_markup(f"<div>{cleaned}</div>"):
        assert changes, f"removed {before} without a word"


@SLOW
@given(markdown(), markdown())
def test_the_read_stage_yields_no_script(chapter, definition):
    with tempfile.TemporaryDirectory() as scratch:
        config = MINIMAL_CONFIG.replace("contents:\n", "contents:\n  glossary: glossary.yaml\n")
        root = write_book(Path(scratch), config, f"# One {{#one}}\n\nText.\n\n{chapter}\n",
                          {"glossary.yaml": ""})
        (root / "glossary.yaml").write_text(
            "- term: Word\n  definition: |\n" +
            "".join(f"    {line}\n" for line in definition.splitlines()), encoding="utf-8")
        try:
            book = read_book(root)
        except BuildError:
            return  # refused with a message: nothing reaches a reader
        fragments = [s.body for s in book.sections if s.body is not None]
        fragments += [n.body for n in book.notes] + [e.definition for e in book.glossary]
        for element in fragments:
            _assert_safe(etree.tostring(element, encoding="unicode"))


@settings(max_examples=6, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(markdown())
def test_the_web_book_shows_no_script(chapter):
    with tempfile.TemporaryDirectory() as scratch:
        root = write_book(Path(scratch) / "book", MINIMAL_CONFIG,
                          f"# One {{#one}}\n\nText.\n\n{chapter}\n")
        (root / "book.yaml").write_text(MINIMAL_CONFIG + "lint:\n  ignore: [S001, S002, "
                                        "S003, S004, X001, X002, L001, L002, L003, T001, "
                                        "T003, H001, N001, R001, R002, R003]\n",
                                        encoding="utf-8")
        try:
            made = build(root, Path(scratch) / "output", ["html"])
        except BuildError:
            return
        assert unsafe_outputs(made) == []
