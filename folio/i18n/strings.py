"""The words Folio writes into one book: its language's catalogue, English where the
catalogue lacks a message, and the book's own ``strings`` from book.yaml on top;
plural forms, dates and numbers by the CLDR data of its locale (Babel)."""

from __future__ import annotations

import datetime as dt
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from .catalogue import ENGLISH, Message, load_catalogue, resolve, subtags
from .cldr import Locale, UnknownLocaleError, format_date, format_decimal, format_skeleton

if TYPE_CHECKING:
    from ..dates import PartialDate
    from ..read.config import BookConfig


@dataclass
class Strings:
    """Folio's words for a book in *language* (a BCP 47 tag).

    ``catalogue`` is the catalogue used (None: none serves the language, and every
    word is English); ``missing`` the ids the catalogue lacks and the book does not
    give (English is used for them)."""

    language: str
    overrides: dict[str, Message] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.catalogue = resolve(self.language)
        english_locale, english = load_catalogue(ENGLISH)
        own_locale, own = load_catalogue(self.catalogue) if self.catalogue else (None, {})
        self.messages: dict[str, Message] = {**english, **own, **self.overrides}
        self.missing = sorted(k for k in english
                              if k not in own and k not in self.overrides) if own_locale else []
        self.locale = _locale(self.language, own_locale or english_locale)

    # Messages.

    def message(self, key: str, count: int | None = None) -> str:
        """The text of message *key*; for a plural message, the form CLDR's rules of
        the locale give *count* (``other`` when the catalogue lacks that form).
        Raises KeyError for an id no catalogue has (a fault of Folio's own)."""
        message = self.messages[key]
        if isinstance(message, dict):
            form = self.locale.plural_form(count if count is not None else 1)
            return str(message.get(form, message["other"]))
        return message

    def text(self, key: str, count: int | None = None, /, **values: object) -> str:
        """Message *key* as plain text, its placeholders filled with *values*."""
        return self.message(key, count).format(**values)

    def markup(self, key: str, count: int | None = None, /, **values: object) -> Markup:
        """Message *key* as HTML: its text escaped, *values* escaped unless they are
        Markup already (links, page references)."""
        return escape(self.message(key, count)).format(**values)

    def css_content(self, key: str, **expressions: str) -> str:
        """Message *key* as the value of a CSS ``content`` property: its text as CSS
        strings, each placeholder replaced by a CSS expression from *expressions*
        (``page="counter(page)"``): "{page} of {pages}" → ``counter(page) " of "
        counter(pages)``."""
        pieces = []
        for text, name, _, _ in string.Formatter().parse(self.message(key)):
            if text:
                escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
                pieces.append(f'"{escaped}"')
            if name:
                pieces.append(expressions[name])
        return " ".join(pieces) or '""'

    def plural_forms(self, key: str) -> dict[str, str]:
        """Every form of plural message *key*, for a script that chooses among them."""
        message = self.messages[key]
        return dict(message) if isinstance(message, dict) else {"other": message}

    # Dates and numbers.

    def date(self, date: PartialDate) -> str:
        """A chronology's date as the locale writes it: "7 novembre 1917", "7. November
        1917", "1917年11月7日"; a month ("novembre 1917") or a year alone likewise.
        Years before 1 (which Python's dates do not hold) are written as numbers."""
        if date.year < 1:
            return str(date.year)
        if date.day and date.month:
            return format_date(dt.date(date.year, date.month, date.day), "long",
                               locale=self.locale)
        if date.month:
            return format_skeleton("yMMMM", dt.date(date.year, date.month, 1),
                                   locale=self.locale)
        return format_skeleton("y", dt.date(date.year, 1, 1), locale=self.locale)

    def number(self, value: int | float) -> str:
        """*value* with the locale's digits and separators: 1,234 / 1 234 / 1.234."""
        return format_decimal(value, locale=self.locale)


def _locale(tag: str, catalogue_locale: str) -> Locale:
    """The CLDR locale of *tag*: the catalogue's own when the tag names only a
    language the catalogue serves, else the tag's (English's when CLDR has none)."""
    language, script, region = subtags(tag)
    if script is None and region is None:
        try:
            own = Locale.parse(catalogue_locale)
            if own.language == language or resolve(tag) is not None:
                return own
        except (UnknownLocaleError, ValueError):
            pass
    try:
        return Locale.parse(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(load_catalogue(ENGLISH)[0])


_CACHE: dict[tuple, Strings] = {}


def strings_of(config: BookConfig) -> Strings:
    """The Strings of the book whose configuration is *config* (made once)."""
    overrides = getattr(config, "strings", {}) or {}
    key = (config.language, repr(sorted(overrides.items())))
    if key not in _CACHE:
        _CACHE[key] = Strings(config.language, dict(overrides))
    return _CACHE[key]
