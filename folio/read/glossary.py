"""The glossary file: terms, their aliases and definitions.

The entries are put in the alphabetical order of the book's language
(folio/collation.py), whatever their order in the file; an entry's ``sort`` field, the
author's own key ("Saint Petersburg" for "St Petersburg"), decides its place instead
of its term."""

from __future__ import annotations

import re
from pathlib import Path

from .. import collation
from ..errors import BuildError, raise_all
from ..htmltree import fragment
from ..model import GlossaryEntry
from .pandoc import render_snippets
from .removals import Removal
from .yamlfile import LineDict, LineList, load_yaml

_ID = re.compile(r"^[^\W_][\w-]*$")


def slug(text: str) -> str:
    """An id from a term: lower case, letters and digits of any script, hyphens."""
    return re.sub(r"[\W_]+", "-", text.casefold()).strip("-")


def load_glossary(path: Path, language: str = "en",
                  removed: list[Removal] | None = None) -> list[GlossaryEntry]:
    """Read and validate the glossary; every problem is reported with its line. What
    the cleaning of the definitions' HTML removes is added to *removed*."""
    data = load_yaml(path)
    if data is None:
        return []
    if not isinstance(data, LineList):
        raise BuildError("the glossary must be a list of entries ('- term: …')", path, 1)
    errors: list[BuildError] = []
    raw: list[tuple[LineDict, str, str, list[str], list[str], int]] = []
    ids: dict[str, int] = {}
    for item, line in zip(data, data.item_lines, strict=True):
        if not isinstance(item, LineDict):
            errors.append(BuildError("a glossary entry must be a mapping with 'term' and "
                                     "'definition'", path, line))
            continue
        for key in item:
            if key not in ("term", "id", "aliases", "definition", "see", "sort"):
                errors.append(BuildError(f"unknown glossary field '{key}'", path,
                                         item.line_of(key)))
        term = item.get("term")
        if not isinstance(term, str) or not term.strip():
            errors.append(BuildError("glossary entry without a 'term'", path, line))
            continue
        definition = item.get("definition")
        if not isinstance(definition, str) or not definition.strip():
            errors.append(BuildError(f"glossary entry '{term}' has no definition", path, line))
            continue
        entry_id = item.get("id", slug(term))
        if "id" not in item and not entry_id:
            errors.append(BuildError(f"the term '{term}' has no letters or digits to make an "
                                     "id from: give the entry an 'id'", path, line))
            continue
        if not isinstance(entry_id, str) or not _ID.match(entry_id):
            errors.append(BuildError(f"glossary id '{entry_id}' must be letters, digits and "
                                     "hyphens", path, item.line_of("id")))
            continue
        if entry_id in ids:
            errors.append(BuildError(f"glossary id '{entry_id}' is used twice (first on line "
                                     f"{ids[entry_id]})", path, line))
            continue
        ids[entry_id] = line
        sort_as = item.get("sort")
        if sort_as is not None and (not isinstance(sort_as, str) or not sort_as.strip()):
            errors.append(BuildError(f"'sort' of '{term}' must be the words to sort it by",
                                     path, item.line_of("sort")))
            continue
        aliases = _strings(item, "aliases", path, errors)
        see = _strings(item, "see", path, errors)
        raw.append((item, term.strip(), definition, aliases, see, line))

    for item, term, _definition, _aliases, see, _line in raw:
        for target in see:
            if target not in ids:
                errors.append(BuildError(f"'{term}' says see '{target}', which is no "
                                         "glossary id", path, item.line_of("see")))
    raise_all(errors)

    definitions = render_snippets([r[2] for r in raw], path, language,
                                  [r[0].line_of("definition") for r in raw], removed)
    entries = [
        (GlossaryEntry(id=item.get("id", slug(term)), term=term, aliases=aliases,
                       definition=fragment(html), see=see, line=line),
         item.get("sort") or term)
        for (item, term, _d, aliases, see, line), html in zip(raw, definitions, strict=True)
    ]
    return [entry for entry, _key in collation.sort(entries, lambda pair: pair[1], language)]


def _strings(item: LineDict, key: str, path: Path, errors: list[BuildError]) -> list[str]:
    value = item.get(key, [])
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        errors.append(BuildError(f"'{key}' must be a list of words or phrases", path,
                                 item.line_of(key)))
        return []
    return [v.strip() for v in value]
