"""Cross-file links: every anchor lives in one file; ``#id`` links are pointed at it.

Only markup is read and rewritten: a tag is ``<…>`` (text has ``<`` escaped), so
an ``href="#x"`` shown as text in a code sample is left alone."""

from __future__ import annotations

import re
from urllib.parse import unquote

_TAG = re.compile(r"<[^<>]+>")
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'(\shref=)"#([^"]+)"')


def ids_in(markup: str) -> list[str]:
    return [anchor for tag in _TAG.findall(markup) for anchor in _ID.findall(tag)]


def anchors_by_file(files: dict[str, str]) -> dict[str, str]:
    anchors: dict[str, str] = {}
    for name, text in files.items():
        for anchor in ids_in(text):
            anchors.setdefault(anchor, name)
    return anchors


def rewrite_links(files: dict[str, str]) -> dict[str, str]:
    """Point each ``href="#id"`` at the file that holds ``id`` (paths relative to one folder).

    An id found in the linking file itself stays local (each web page has its own ``#main``).
    """
    anchors = anchors_by_file(files)
    return {name: rewrite_page(name, text, anchors) for name, text in files.items()}


def rewrite_page(name: str, text: str, anchors: dict[str, str]) -> str:
    """The page *name* with each ``href="#id"`` pointed at the file *anchors* gives
    ``id`` (:func:`anchors_by_file` of every page); an id of the page itself stays local."""
    local = set(ids_in(text))

    def href(match: re.Match[str]) -> str:
        anchor = unquote(match[2])  # lxml writes a non-ASCII id's link %-encoded
        target = anchors.get(anchor, name)
        if anchor in local or target == name:
            return match[0]
        return f'{match[1]}"{target}#{match[2]}"'

    return _TAG.sub(lambda tag: _HREF.sub(href, tag[0]), text)
