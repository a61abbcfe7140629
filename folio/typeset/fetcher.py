"""What a renderer may read: files inside the book and the theme, nothing else.

WeasyPrint would otherwise follow any ``file://`` or ``http://`` URL a
manuscript names (and hang for ever on ``/dev/urandom``)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlparse

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import BuildError, find_line, raise_all
from ..files import allowed_file, read_bytes

MAX_DATA_URL = 2 * 1024 * 1024


class ProjectFetcher(URLFetcher):
    """Serves files inside *roots*; the files named in *replaced* (resolved paths) with
    the bytes given there instead (cleaned SVG images)."""

    def __init__(self, roots: list[Path], replaced: dict[Path, bytes] | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.roots = roots
        self.replaced = replaced or {}
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None):
        parsed = urlparse(url)
        if parsed.scheme == "file":
            path = Path(unquote(parsed.path))
            if path.resolve() in self.replaced:  # bytes already read by the rule, or made
                return URLFetcherResponse(url, body=self.replaced[path.resolve()])
            if allowed_file(path, self.roots):
                return URLFetcherResponse(url, body=read_bytes(path, self.roots))
        elif parsed.scheme == "data" and len(url) <= MAX_DATA_URL:
            return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"refused to load {url}: only files inside the book may be used")

    def raise_refusals(self, sources: list[Path] = ()) -> None:
        """Report the refused URLs, each at the manuscript line that names it when found."""
        if not self.refused:
            return
        errors = []
        for url in sorted(set(self.refused)):
            path, line = _locate(url, sources)
            errors.append(BuildError(f"'{url}' is outside the book: the build loads only the "
                                     "book's own files", path, line))
        raise_all(errors)


def _locate(url: str, sources: list[Path]) -> tuple[Path | None, int | None]:
    parsed = urlparse(url)
    needles = [url, unquote(parsed.path), Path(unquote(parsed.path)).name]
    for needle in filter(None, needles):
        for source in sources:
            line = find_line(source, re.escape(needle))
            if line:
                return source, line
    return None, None
