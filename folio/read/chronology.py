"""The chronology file: dated events, each optionally linked to chapters."""

from __future__ import annotations

from pathlib import Path

from ..dates import PartialDate
from ..errors import BuildError, raise_all
from ..htmltree import fragment
from ..model import ChronologyEvent
from .pandoc import render_snippets
from .removals import Removal
from .yamlfile import LineDict, LineList, load_yaml


def load_chronology(path: Path, language: str = "en",
                    removed: list[Removal] | None = None) -> list[ChronologyEvent]:
    """Read, validate and sort the chronology (stable: same-date events keep their order).
    What the cleaning of the events' HTML removes is added to *removed*."""
    data = load_yaml(path)
    if data is None:
        return []
    if not isinstance(data, LineList):
        raise BuildError("the chronology must be a list of events ('- date: …')", path, 1)
    errors: list[BuildError] = []
    parsed: list[tuple[PartialDate, PartialDate | None, str, list[str], int]] = []
    starts: list[int] = []
    for item, line in zip(data, data.item_lines, strict=True):
        if not isinstance(item, LineDict):
            errors.append(BuildError("a chronology event must be a mapping with 'date' and "
                                     "'event'", path, line))
            continue
        for key in item:
            if key not in ("date", "end", "event", "chapters"):
                errors.append(BuildError(f"unknown chronology field '{key}'", path,
                                         item.line_of(key)))
        try:
            start = _date(item, "date", required=True)
            end = _date(item, "end", required=False)
        except ValueError as error:
            errors.append(BuildError(str(error), path, item.line))
            continue
        except KeyError as error:
            errors.append(BuildError(str(error.args[0]), path, line))
            continue
        if end is not None and end.end_key() < start.sort_key():
            errors.append(BuildError(f"the event ends ({end.iso()}) before it begins "
                                     f"({start.iso()})", path, item.line_of("end")))
            continue
        text = item.get("event")
        if not isinstance(text, str) or not text.strip():
            errors.append(BuildError("chronology event without 'event' text", path, line))
            continue
        chapters = item.get("chapters", [])
        if isinstance(chapters, str):
            chapters = [chapters]
        if not isinstance(chapters, list) or not all(isinstance(c, str) for c in chapters):
            errors.append(BuildError("'chapters' must be a list of chapter ids", path,
                                     item.line_of("chapters")))
            continue
        parsed.append((start, end, text, chapters, line))
        starts.append(item.line_of("event"))
    raise_all(errors)

    texts = render_snippets([p[2] for p in parsed], path, language, starts, removed)
    events = [ChronologyEvent(date=start, end=end, text=fragment(html), chapters=chapters,
                              line=line)
              for (start, end, _t, chapters, line), html in zip(parsed, texts, strict=True)]
    events.sort(key=lambda event: event.date.sort_key())
    return events


def _date(item: LineDict, key: str, required: bool) -> PartialDate | None:
    value = item.get(key)
    if value is None:
        if required:
            raise KeyError("chronology event without a 'date'")
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValueError(f"'{key}' must be a date written YYYY, YYYY-MM or YYYY-MM-DD")
    try:
        return PartialDate.parse(str(value))
    except ValueError as error:
        raise ValueError(f"'{key}': {error}") from None
