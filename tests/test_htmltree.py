"""folio.htmltree: wrap_matches finds every match a walk of the text finds, wherever
the text sits (an element's text, a tail after an element, a comment or a mark), and
none inside the elements it skips."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from folio.htmltree import fragment, inner_html, wrap_matches

ACRONYM = re.compile(r"(?<![\w-])[A-Z]{3,}(?![\w-])")


def _wrapped(markup: str, skip: set[str] | None = None) -> str:
    root = fragment(markup)
    wrap_matches(root, ACRONYM, skip or {"code"},
                 lambda match: lxml_html.Element("abbr"))
    return inner_html(root)


@pytest.mark.parametrize(("markup", "expected"), [
    ("the NKVD came", "the <abbr>NKVD</abbr> came"),
    # the match alone in an element, after a letter the element's edge separates from it
    ("x<b>NKVD</b>", "x<b><abbr>NKVD</abbr></b>"),
    ("<b>x</b>USSR y", "<b>x</b><abbr>USSR</abbr> y"),
    ("a<!-- note -->NKVD", "a<!-- note --><abbr>NKVD</abbr>"),
    ("<i>a <b>b</b></i> tail NKVD", "<i>a <b>b</b></i> tail <abbr>NKVD</abbr>"),
    # inside a skipped element: left alone, and so is the whole root when that is all
    ("<code>NKVD</code>", "<code>NKVD</code>"),
    ("<code>NKVD</code> and USSR", "<code>NKVD</code> and <abbr>USSR</abbr>"),
    # each run of text is matched alone: an element's edge ends a word
    ("N<b>KVD</b>", "N<b><abbr>KVD</abbr></b>"),
    # no match: nothing changes
    ("Nk VD and x-KVD", "Nk VD and x-KVD"),
])
def test_every_match_is_wrapped_where_it_stands(markup, expected):
    assert _wrapped(markup) == expected


def test_a_refused_match_leaves_the_later_ones_to_be_wrapped():
    root = fragment("<p>NKVD and GPU and OGPU</p>")
    wrap_matches(root, ACRONYM, set(),
                 lambda match: None if match.group(0) == "NKVD"
                 else lxml_html.Element("abbr"))
    assert inner_html(root) == "<p>NKVD and <abbr>GPU</abbr> and <abbr>OGPU</abbr></p>"
