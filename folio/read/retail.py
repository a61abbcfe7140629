"""The settings of book.yaml that stores and libraries read: the sort names of the
author and editor, other contributors with their roles, the series, and the ISBN of
each edition.

Each loader takes the parsed book.yaml (a LineDict) and an ``error(message, key=…,
line=…)`` callback (config.load_config's), reports every problem through it and
returns what is usable."""

from __future__ import annotations

import re
from dataclasses import dataclass

from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidLength,
    ValidationError,
)

from .relators import COMMON, RELATORS
from .yamlfile import LineDict, LineList

EDITIONS = ("print", "epub")  # the editions that may carry an ISBN
_NUMBER = re.compile(r"^\d+(\.\d+)?$")


@dataclass(frozen=True)
class Contributor:
    """One person or body credited in the metadata."""

    name: str
    role: str  # a MARC relator code: "edt", "trl", "ill", "aui", …
    file_as: str = ""  # the sort name ("KC, Chandran"); empty: the name as written


@dataclass(frozen=True)
class Series:
    """The series the book belongs to, and its number in it ("3", "2.5"; may be empty)."""

    name: str
    number: str = ""


def load_person(data: LineDict, key: str, error) -> tuple[str, str] | None:
    """``author`` or ``editor``: a name, or ``{name: …, file_as: …}`` with its sort
    name. Returns (name, file_as) for a mapping; None when the setting is text (or
    missing), which the text fields' loader reads."""
    value = data.get(key)
    if not isinstance(value, LineDict):
        return None
    unknown = set(value) - {"name", "file_as"}
    name, file_as = _text(value.get("name")), _text(value.get("file_as"))
    if unknown or not name or (value.get("file_as") is not None and not file_as):
        error(f"'{key}' is a name, or a mapping with 'name' and optionally 'file_as' (the "
              "sort name, such as 'KC, Chandran')", key)
        return ("", "")
    return name, file_as


def load_contributors(data: LineDict, error) -> list[Contributor]:
    """``contributors: [{name: …, role: trl, file_as: …}]``: people and bodies credited
    besides the author, each with a MARC relator code (default ``ctb``, contributor)."""
    entries = data.get("contributors")
    if entries is None:
        return []
    if not isinstance(entries, LineList):
        error("'contributors' must be a list of {name, role, file_as}", "contributors")
        return []
    contributors = []
    for entry, line in zip(entries, entries.item_lines, strict=True):
        if not isinstance(entry, dict) or set(entry) - {"name", "role", "file_as"} \
                or not _text(entry.get("name")):
            error("a 'contributors' entry is a mapping with 'name', 'role' (a MARC relator "
                  "code such as edt or trl) and optionally 'file_as' (the sort name)",
                  line=line)
            continue
        role = _text(entry.get("role")) or "ctb"
        if role not in RELATORS:
            known = ", ".join(f"{code} ({name})" for code, name in COMMON.items())
            error(f"'{role}' is not a MARC relator code; common ones: {known}", line=line)
            continue
        contributors.append(Contributor(_text(entry["name"]), role,
                                        _text(entry.get("file_as"))))
    return contributors


def load_series(data: LineDict, error) -> Series | None:
    """``series: Name`` or ``series: {name: …, number: 3}``."""
    value = data.get("series")
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return Series(value.strip())
    number = value.get("number") if isinstance(value, dict) else None
    if not isinstance(value, dict) or set(value) - {"name", "number"} \
            or not _text(value.get("name")) or isinstance(number, bool) \
            or (number is not None and not _NUMBER.match(str(number))):
        error("'series' is a name, or a mapping with 'name' and optionally 'number' (the "
              "book's place in the series, such as 3)", "series")
        return None
    return Series(_text(value["name"]), "" if number is None else str(number))


def load_isbns(data: LineDict, error) -> dict[str, str]:
    """``isbn: {print: …, epub: …}``: each edition's ISBN, checked (length, check digit,
    a registered prefix and, when written with hyphens, where they go, by the ranges
    of the International ISBN Agency that python-stdnum ships) and returned as
    ISBN-13 with its hyphens: {"print": "978-…", "epub": "978-…"}."""
    section = data.get("isbn")
    if section is None:
        return {}
    if not isinstance(section, LineDict):
        error("'isbn' must be a mapping of an ISBN an edition (print: …, epub: …)", "isbn")
        return {}
    isbns: dict[str, str] = {}
    for key in section:
        line = section.line_of(key)
        if key not in EDITIONS:
            error(f"unknown setting 'isbn.{key}' (known: {', '.join(EDITIONS)})", line=line)
            continue
        value = section[key]
        if isinstance(value, bool) or not isinstance(value, str | int):
            error(f"'isbn.{key}' must be an ISBN such as 978-0-306-40615-7", line=line)
            continue
        message, hyphenated = check_isbn(str(value).strip())
        if message:
            error(f"'isbn.{key}': {message}", line=line)
        else:
            isbns[key] = hyphenated
    if len(isbns) == 2 and isbns["print"] == isbns["epub"]:
        error("'isbn': each edition needs its own ISBN; print and epub are the same",
              line=section.line_of("epub"))
        return {}
    return isbns


def check_isbn(written: str) -> tuple[str, str]:
    """("", the ISBN-13 hyphenated) for a valid ISBN-10 or ISBN-13; (what is wrong,
    "") otherwise."""
    try:
        compact = stdnum_isbn.validate(written)
    except InvalidChecksum:
        return f"{written} has a wrong check digit (its last digit)", ""
    except InvalidLength:
        return f"{written} is not 10 or 13 digits long", ""
    except InvalidComponent:
        return f"{written} does not start with a prefix of the ISBN system (978 or 979)", ""
    except (InvalidFormat, ValidationError):
        return f"{written} is not an ISBN", ""
    if re.search(r"[-\s]", written):
        right = stdnum_isbn.format(compact, convert=False)
        if re.sub(r"\s+", "-", written).upper() != right:
            return f"{written} is hyphenated wrongly: {right}", ""
    return "", stdnum_isbn.format(compact, convert=True)


def _text(value: object) -> str:
    return str(value).strip() if isinstance(value, str | int | float) \
        and not isinstance(value, bool) else ""
