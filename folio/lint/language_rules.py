"""M003: the words Folio writes into the book (folio.i18n) that will be in English
although the book is not: its language has no catalogue, or the catalogue lacks
some messages that the book's ``strings`` do not give either. One warning a book,
at the line of ``language`` in book.yaml, naming the language and the messages."""

from __future__ import annotations

from ..i18n import strings_of
from ..read.config import BookConfig
from .findings import Finding


def language_findings(config: BookConfig) -> list[Finding]:
    """The one M003 warning of *config*'s book, or none."""
    strings = strings_of(config)
    line = config.line_of("language") or 1
    if strings.catalogue is None:
        message = (f"no catalogue of Folio's words for the language '{config.language}': "
                   "its headings, labels and navigation are in English (give them in "
                   "book.yaml's 'strings', or add a catalogue to folio/i18n/catalogues)")
    elif strings.missing:
        message = (f"the catalogue '{strings.catalogue}' for the language "
                   f"'{config.language}' lacks {', '.join(strings.missing)}: in English")
    else:
        return []
    return [Finding(config.path, line, None, "M003", message)]
