"""Folio's own words in the book's language: message catalogues (one YAML file a
language in ``folio/i18n/catalogues/``), the book's overrides (``strings`` in
book.yaml), CLDR plural rules, dates and numbers (Babel)."""

from .catalogue import CATALOGUES, available, load_catalogue, placeholders, resolve
from .strings import Strings, strings_of

__all__ = ["CATALOGUES", "Strings", "available", "load_catalogue", "placeholders", "resolve",
           "strings_of"]
