"""The web book kept up to date in place, for ``build.py serve``: after a save, only
the files whose bytes changed are written, the slower parts afterwards.

A save is taken in two steps:

1. :meth:`LiveSite.update` reads the book again (pandoc only for the Markdown files
   whose text changed: their readings are kept in memory by content), makes the
   pages whose inputs changed (``formats.html.pagememo``) and writes only the files
   whose bytes differ from the site's (each by an atomic rename: a page is never
   served half written), and removes the files the book no longer has. The browser
   can reload as soon as it returns.
2. :meth:`LiveSite.settle` brings the rest up to date: the single-page edition
   (``book.html``, the whole book: the slowest page), the fonts (cut again only
   when the set of characters the pages use changed), the search index (made by
   Pagefind beside the site and moved in when whole), and the up-to-date record, so
   that a later ``build.py html`` of the same manuscript has nothing to do.

Once settled, ``output/html/`` holds the very bytes a full ``build.py html`` of the
manuscript makes. Everything is written inside the output folder."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from . import cache, memo
from .build import WARNINGS
from .check import checked_book, loaded_config, stored_warnings
from .formats.html.pagememo import PageMemo
from .formats.html.render import FONTS, SINGLE, Site, web_site
from .formats.html.search import BUNDLE, build_search_index
from .output import locked
from .read.pandoc import reading_setting
from .read.parsecache import FOLDER as PARSED
from .read.parsecache import ParseCache

SITE = "html"  # the web book's folder in the output folder, as `build.py html` names it
# The search index being made, inside the output folder, until it replaces the old one.
NEW_INDEX = ".folio-search-new"
OLD_INDEX = ".folio-search-old"
# What a build with no options records as its settings (``build._plan``).
_SETTINGS = json.dumps({}, sort_keys=True)


class LiveSite:
    """The web book in *output*/html of the book in *root*, updated save by save."""

    def __init__(self, root: Path, output: Path,
                 progress: Callable[[str], None] = lambda message: None):
        self.root, self.output, self.progress = root, output, progress
        self.site = output / SITE
        self.parsed = ParseCache(output / PARSED, reading_setting())
        self.known: dict[str, bytes] | None = None  # the site's files as last written
        self.pending: Site | None = None  # made by update, for settle
        self.key = ""  # the fingerprint of the manuscript pending was made from
        self.warnings: list = []
        self.font_key: str | None = None
        self.memo = PageMemo()  # the pages made last time, and what from
        memo.keep()  # the reading's pure steps, kept from save to save

    def update(self) -> list[str]:
        """Read the book and write the files of the site that changed; returns their
        paths (relative to the site, sorted). Raises BuildError on bad input, leaving
        the site as it was."""
        key = cache.fingerprint(self.root, self.output, _SETTINGS)
        config = loaded_config(self.root)
        checked = checked_book(config, self.progress, self.parsed)
        site = web_site(checked.book, checked.book.config.cover, self.memo, single_later=True)
        memo.sweep()  # the whole book was read: what it did not take is out of date
        known = self._known()
        changed = sorted(name for name, data in site.files.items() if known.get(name) != data)
        gone = sorted(set(known) - set(site.files) - {SINGLE})
        with locked(self.output):  # not while a build writes there (BuildError)
            if changed or gone:
                self._forget_record()
            for name in changed:
                _replace(self.site / name, site.files[name])
            for name in gone:
                (self.site / name).unlink(missing_ok=True)
        self.known = {**dict(site.files), SINGLE: known.get(SINGLE, b"")}
        self.pending, self.key, self.warnings = site, key, checked.warnings
        return changed + gone

    def settle(self) -> list[str]:
        """Bring the single-page edition, the fonts, the search index and the
        up-to-date record in line with the last update; returns the paths of the
        pages and fonts written (the search index aside). Raises BuildError when
        Pagefind fails."""
        with locked(self.output):  # not while a build writes there (BuildError)
            return self._settle()

    def _settle(self) -> list[str]:
        site, self.pending = self.pending, None
        if site is None:
            return []
        written = []
        site.add_single()
        if self._known().get(SINGLE) != site.files[SINGLE]:
            _replace(self.site / SINGLE, site.files[SINGLE])
            self._known()[SINGLE] = site.files[SINGLE]
            written.append(SINGLE)
        font_key = _font_key(site)
        if font_key != self.font_key:
            fonts = site.font_files()
            for name, data in fonts.items():
                if _read(self.site / name) != data:
                    _replace(self.site / name, data)
                    written.append(name)
            for path in sorted((self.site / FONTS).glob("*")):
                if f"{FONTS}/{path.name}" not in fonts:
                    path.unlink()
            self.font_key = font_key
        self._index()
        self._keep_readings()
        record = cache.load(self.output)
        record[SITE] = self.key
        record[WARNINGS] = {"key": self.key,
                            "warnings": stored_warnings(self.warnings, self.root)}
        cache.save(self.output, record)
        return written

    def _index(self) -> None:
        """Pagefind's index of the pages as they are now, made aside and moved in."""
        new, old = self.output / NEW_INDEX, self.output / OLD_INDEX
        for leftover in (new, old):
            shutil.rmtree(leftover, ignore_errors=True)
        build_search_index(self.site, bundle=new)
        current = self.site / BUNDLE
        if current.exists():
            current.rename(old)
        new.rename(current)
        shutil.rmtree(old, ignore_errors=True)

    def _keep_readings(self) -> None:
        """Pandoc's readings made since the last, kept in the output folder for the
        next build (which drops those it does not use)."""
        folder = self.output / PARSED
        folder.mkdir(parents=True, exist_ok=True)
        for key, record in self.parsed.used.items():
            path = folder / f"{key}.json"
            if not path.exists():
                _replace(path, json.dumps(record).encode("utf-8"))

    def _known(self) -> dict[str, bytes]:
        """The site's files as they are (but the fonts and the search index, which
        settle looks after): read from disk the first time."""
        if self.known is None:
            self.known = {}
            for path in sorted(self.site.rglob("*")) if self.site.is_dir() else []:
                name = path.relative_to(self.site).as_posix()
                if path.is_file() and not name.startswith((f"{BUNDLE}/", f"{FONTS}/")):
                    self.known[name] = path.read_bytes()
        return self.known

    def _forget_record(self) -> None:
        """The web book is about to differ from what the up-to-date record says it was
        made from: drop its entry, so that a build stopped before settle rebuilds it."""
        record = cache.load(self.output)
        if SITE in record:
            del record[SITE]
            cache.save(self.output, record)


def _font_key(site: Site) -> str:
    """What the fonts are cut from: the characters of the pages and the font faces the
    stylesheet names."""
    digest = hashlib.sha256("".join(sorted(set(site.font_text))).encode())
    digest.update(site.files.get("css/web.css", b""))
    return digest.hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _replace(path: Path, data: bytes) -> None:
    """Write *data* at *path* by an atomic rename, so a reader never sees half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.folio-new")
    temporary.write_bytes(data)
    os.replace(temporary, path)
