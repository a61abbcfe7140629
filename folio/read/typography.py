"""The book's plain-text settings (title, subtitle, author…) set as its text is:
curly quotes and apostrophes in the book's language, dashes from ``--`` and
``---``, an ellipsis from ``...`` (pandoc's ``smart`` extension, through the same
reader and quotation marks as the chapters). Nothing else in them is Markdown:
``*``, ``_`` and the like stay as written."""

from __future__ import annotations

import dataclasses
import re
from html import unescape

from ..htmltree import fragment
from .backcover import back_cover_texts, with_texts
from .config import BookConfig

TYPESET_FIELDS = ("title", "subtitle", "author", "editor", "publisher", "description")
# Every ASCII punctuation mark Markdown gives a meaning to, but the ones smart
# punctuation reads: quotes, apostrophes, hyphens and full stops.
_MARKUP = re.compile(r"""([\\`*_{}\[\]()#+!<>|$@~^&=:;%,/?])""")


def settings_to_typeset(config: BookConfig) -> dict[str, str]:
    """The text settings to typeset, each escaped so that pandoc reads only its
    punctuation: {field: Markdown}."""
    texts = {name: getattr(config, name) for name in TYPESET_FIELDS if getattr(config, name)}
    texts.update(back_cover_texts(config.back_cover))  # the back cover's note, endorsements
    return {name: _MARKUP.sub(r"\\\1", text) for name, text in texts.items()}


def typeset_settings(config: BookConfig, rendered: dict[str, str]) -> BookConfig:
    """A copy of *config* whose text settings carry typographic punctuation;
    *rendered* holds pandoc's HTML of each of ``settings_to_typeset(config)``."""
    # Only ASCII white space is folded: a no-break space is the language's typography.
    smart = {name: re.sub(r"[ \t\r\n]+", " ", unescape(fragment(html).text_content())).strip()
             for name, html in rendered.items()}
    back = {name: text for name, text in smart.items() if name.startswith("back_cover.")}
    fields = {name: text for name, text in smart.items() if name not in back}
    typeset = dataclasses.replace(config, **fields,
                                  back_cover=with_texts(config.back_cover, back))
    typeset._lines = getattr(config, "_lines", {})  # type: ignore[attr-defined]
    return typeset
