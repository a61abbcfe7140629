"""What the lint rules need to know of a Markdown file as pandoc read it, before the
cleaning and the transforms: its raw passages, the targets of its links and images,
and pandoc's warnings about it (gathered by the Lua writer, ``filters/fragments.lua``).

Pandoc's Markdown reader gives no source positions except in its warnings, so the
rules find each passage again in the file's text (``folio.lint.locate``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Raw:
    """A raw passage: *format* as pandoc names it (``html``, ``tex`` for the TeX that
    the ``raw_tex`` extension reads, ``latex`` for a ```` ```{=latex} ```` block …)
    and its *text* as written."""

    format: str
    text: str


@dataclass(frozen=True)
class PandocWarning:
    """One of pandoc's warnings: its *kind* (pandoc's log message type, such as
    ``DuplicateLinkReference``), the 1-based *line* and *column* it names (None when
    it names none), the note or link *key* it is about, and the *message*."""

    kind: str
    line: int | None
    column: int | None
    key: str | None
    message: str


@dataclass
class Inventory:
    """The raw passages, the targets of links, the sources of images, the telling
    attributes (each in document order, notes included) and pandoc's warnings of the
    Markdown file *source*."""

    source: Path
    raw: list[Raw] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    # Attributes of pandoc's elements ({key="…"}, <span …>) that name a handler or
    # hold a URL scheme: (name, value).
    attributes: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[PandocWarning] = field(default_factory=list)

    @classmethod
    def of(cls, source: Path, record: dict) -> Inventory:
        """The inventory in pandoc's *record* of *source* (empty when it has none)."""
        data = record.get("inventory") or {}
        return cls(source,
                   [Raw(str(r.get("format", "")), str(r.get("text", "")))
                    for r in data.get("raw") or []],
                   [str(t) for t in data.get("targets") or []],
                   [str(t) for t in data.get("images") or []],
                   [(str(a.get("key", "")), str(a.get("value", "")))
                    for a in data.get("attributes") or []],
                   [PandocWarning(str(w.get("type", "")), _number(w.get("line")),
                                  _number(w.get("column")),
                                  None if w.get("key") is None else str(w.get("key")),
                                  str(w.get("message", "")))
                    for w in data.get("warnings") or []])


def _number(value: object) -> int | None:
    return value if isinstance(value, int) and value > 0 else None
