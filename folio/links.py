"""Cross-file links: every anchor lives in one file; ``#id`` links are pointed at it."""

from __future__ import annotations

import re

_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'href="#([^"]+)"')


def anchors_by_file(files: dict[str, str]) -> dict[str, str]:
    anchors: dict[str, str] = {}
    for name, text in files.items():
        for anchor in _ID.findall(text):
            anchors.setdefault(anchor, name)
    return anchors


def rewrite_links(files: dict[str, str]) -> dict[str, str]:
    """Point each ``href="#id"`` at the file that holds ``id`` (paths relative to one folder).

    An id found in the linking file itself stays local (each web page has its own ``#main``).
    """
    anchors = anchors_by_file(files)
    local = {name: set(_ID.findall(text)) for name, text in files.items()}

    def fix(name: str, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            if match[1] in local[name]:
                return match[0]
            target = anchors.get(match[1], name)
            return match[0] if target == name else f'href="{target}#{match[1]}"'

        return _HREF.sub(replace, text)

    return {name: fix(name, text) for name, text in files.items()}
