"""The settings of book.yaml that the print cover's back panel carries beyond the
description: ``back_cover: {note: …, endorsements: [{quote: …, by: …}]}`` and the
barcode's price add-on ``isbn_price:``.

Each loader takes the parsed book.yaml (a LineDict) and an ``error(message, key=…,
line=…)`` callback (config.load_config's), reports every problem through it and
returns what is usable."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .yamlfile import LineDict, LineList

KEYS = ("back_cover", "isbn_price")
_PRICE = re.compile(r"^\d{5}$")


@dataclass(frozen=True)
class Endorsement:
    """A quotation praising the book, and who said it."""

    quote: str
    by: str


@dataclass(frozen=True)
class BackCover:
    """What the back cover prints besides the description: an author's note and
    endorsements. ``line`` is the line of ``back_cover`` in book.yaml (0: not set)."""

    note: str = ""
    endorsements: tuple[Endorsement, ...] = field(default_factory=tuple)
    line: int = 0


def load_back_cover(data: LineDict, error) -> BackCover:
    """``back_cover: {note: text, endorsements: [{quote: text, by: name}]}``."""
    section = data.get("back_cover")
    if section is None:
        return BackCover()
    line = data.line_of("back_cover")
    if not isinstance(section, LineDict):
        error("'back_cover' must be a mapping with 'note' (text) and 'endorsements' "
              "(a list of {quote, by})", "back_cover")
        return BackCover()
    note = ""
    for key in section:
        if key not in ("note", "endorsements"):
            error(f"unknown setting 'back_cover.{key}' (known: note, endorsements)",
                  line=section.line_of(key))
    if "note" in section:
        note = _text(section["note"])
        if not note:
            error("'back_cover.note' must be text (the author's note on the back cover)",
                  line=section.line_of("note"))
    endorsements: list[Endorsement] = []
    entries = section.get("endorsements")
    if entries is not None and not isinstance(entries, LineList):
        error("'back_cover.endorsements' must be a list of {quote: …, by: …}",
              line=section.line_of("endorsements"))
    elif entries is not None:
        for entry, item_line in zip(entries, entries.item_lines, strict=True):
            if not isinstance(entry, dict) or set(entry) != {"quote", "by"} \
                    or not _text(entry.get("quote")) or not _text(entry.get("by")):
                error("an endorsement is a mapping with 'quote' (the words) and 'by' "
                      "(who said them), both text", line=item_line)
                continue
            endorsements.append(Endorsement(_text(entry["quote"]), _text(entry["by"])))
    return BackCover(note, tuple(endorsements), line)


def load_isbn_price(data: LineDict, isbns: dict[str, str], error) -> str:
    """``isbn_price: "51995"``: the five digits of the barcode's price add-on (EAN-5:
    a currency digit, 5 for US dollars, 6 for Canadian, 0 or 1 for pounds sterling,
    then the price; ``90000`` for none), which needs a print ISBN."""
    value = data.get("isbn_price")
    if value is None:
        return ""
    text = str(value).strip() if isinstance(value, str | int) \
        and not isinstance(value, bool) else ""
    if not _PRICE.match(text):
        error("'isbn_price' must be five digits in quotes, such as \"51995\" (US$19.95) "
              "or \"90000\" (no price)", "isbn_price")
        return ""
    if "print" not in isbns:
        error("'isbn_price' needs the print edition's ISBN ('isbn: {print: …}'): the "
              "price is an add-on to its barcode", "isbn_price")
        return ""
    return text


def _text(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) \
        and not isinstance(value, bool) else ""


def back_cover_texts(back: BackCover) -> dict[str, str]:
    """The back cover's texts by a dotted name (``back_cover.note``,
    ``back_cover.endorsements.0.quote`` …), for the typography of the settings."""
    texts = {"back_cover.note": back.note} if back.note else {}
    for index, endorsement in enumerate(back.endorsements):
        texts[f"back_cover.endorsements.{index}.quote"] = endorsement.quote
        texts[f"back_cover.endorsements.{index}.by"] = endorsement.by
    return texts


def with_texts(back: BackCover, texts: dict[str, str]) -> BackCover:
    """*back* with the texts of ``back_cover_texts`` replaced by *texts* (same names)."""
    endorsements = tuple(
        Endorsement(texts.get(f"back_cover.endorsements.{index}.quote", item.quote),
                    texts.get(f"back_cover.endorsements.{index}.by", item.by))
        for index, item in enumerate(back.endorsements))
    return BackCover(texts.get("back_cover.note", back.note), endorsements, back.line)
