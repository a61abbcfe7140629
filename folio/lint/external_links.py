"""``build.py check --external``: are the outside addresses the book cites still there?

Never part of a build or of the hermetic tests (it needs the network); a weekly
CI job runs it. HEAD first, GET where a server refuses HEAD; redirects are
followed and reported; a few requests at a time, each with a time limit."""

from __future__ import annotations

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from ..model import Book

USER_AGENT = "Folio link check (+https://pypi.org/)"


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: str  # "ok", "moved", "dead", "error"
    code: int | None = None
    final_url: str | None = None
    detail: str = ""

    def line(self) -> str:
        if self.status == "ok":
            return f"ok     {self.url}"
        if self.status == "moved":
            return f"moved  {self.url} -> {self.final_url}"
        return f"{self.status:<6} {self.url} ({self.detail or self.code})"


def external_urls(book: Book) -> list[str]:
    """Every http(s) address the book links to, once, in reading order."""
    roots = [s.body for s in book.sections if s.body is not None]
    roots += [n.body for n in book.notes] + [e.definition for e in book.glossary]
    roots += [e.text for e in book.chronology] + list(book.meta_html.values())
    urls: dict[str, None] = {}
    for root in roots:
        for href in root.xpath(".//a/@href"):
            if href.startswith(("http://", "https://")):
                urls.setdefault(href, None)
    if book.config.base_url:
        urls.setdefault(book.config.base_url, None)
    return list(urls)


def check_url(url: str, timeout: float = 10.0) -> LinkResult:
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method,
                                         headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                final = response.geturl()
                if final != url:
                    return LinkResult(url, "moved", response.status, final)
                return LinkResult(url, "ok", response.status)
        except urllib.error.HTTPError as error:
            if method == "HEAD" and error.code in (403, 405, 501):
                continue  # some servers refuse HEAD: ask again with GET
            return LinkResult(url, "dead", error.code, detail=f"HTTP {error.code}")
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            reason = getattr(error, "reason", error)
            return LinkResult(url, "error", detail=str(reason) or type(error).__name__)
    return LinkResult(url, "error", detail="no answer")


def check_urls(urls: list[str], workers: int = 4, timeout: float = 10.0) -> list[LinkResult]:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda url: check_url(url, timeout), urls))
