"""Babel's CLDR functions, imported without reading the machine's time zone.

Importing ``babel.dates`` (which loading any locale's data does) makes
``babel.localtime`` look up the local time zone: ``/etc/localtime`` and the
system's zoneinfo files. Folio writes calendar dates only, never times of day, so
the zone plays no part; and a build opens no file outside the book and the
toolchain (tests/test_hostile.py). So the import runs with ``TZ`` naming a zone no
database can hold (an absolute path that does not exist: zoneinfo refuses it
before opening anything), Babel falls back to its fixed-offset zone, and ``TZ`` is
restored at once."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_NO_ZONE = str(Path(__file__).resolve().with_name("no-time-zone"))


def _import_without_local_zone() -> None:
    if "babel.localtime" in sys.modules:
        return
    saved = os.environ.get("TZ")
    os.environ["TZ"] = _NO_ZONE
    try:
        import babel.localtime  # noqa: F401 - computes LOCALTZ once, here
    finally:
        if saved is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = saved


_import_without_local_zone()

from babel import Locale, UnknownLocaleError  # noqa: E402
from babel.dates import format_date, format_skeleton  # noqa: E402
from babel.numbers import format_decimal  # noqa: E402

__all__ = ["Locale", "UnknownLocaleError", "format_date", "format_decimal", "format_skeleton"]
