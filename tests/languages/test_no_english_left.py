"""A book in another language is read in that language only: none of Folio's English
words (the English catalogue's messages that the book's catalogue translates
differently) appears in any output of any sample book in tests/data/languages/."""

from __future__ import annotations

import re

import pytest
from output_texts import texts_of
from samples import sample_languages

from folio.i18n import Strings, load_catalogue
from folio.i18n.catalogue import ENGLISH

NON_ENGLISH = [tag for tag in sample_languages() if not tag.lower().startswith("en")]


def english_phrases(tag: str) -> dict[str, str]:
    """{phrase: message id}: the words of each English message that the language
    says otherwise, split at its placeholders; a phrase is kept when it has a word of
    three letters or more and is not a word of the language's own messages ("Table"
    is English and French: "Table des matières")."""
    english = load_catalogue(ENGLISH)[1]
    own = Strings(tag).messages
    own_words = " ".join(" ".join(m.values()) if isinstance(m, dict) else m
                         for m in own.values())
    phrases: dict[str, str] = {}
    for key, message in english.items():
        if own.get(key) == message:
            continue
        texts = message.values() if isinstance(message, dict) else [message]
        for text in texts:
            for piece in re.split(r"\{\w+\}", text):
                piece = piece.strip(" .,:;()“”\u00a0")
                if re.search(r"[A-Za-z]{3}", piece) and not _has_words(own_words, piece):
                    phrases[piece] = key
    return phrases


def _has_words(text: str, phrase: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def test_the_english_phrases_are_found_where_they_are():
    """The check itself: English phrases are found in English text, as words only."""
    phrases = english_phrases("fr")
    assert "Used on page" in phrases and "Contents" in phrases and "Skip to the text" in phrases
    assert _has_words("See the Contents page", "Contents")
    assert not _has_words("Grand and", "and Grand")
    assert not _has_words("grande", "and")


def test_there_are_samples_to_read():
    """The test below reads every non-English sample: without any it would read none."""
    assert len(NON_ENGLISH) >= 6, NON_ENGLISH


@pytest.mark.parametrize("tag", NON_ENGLISH)
def test_no_english_word_of_folio_in_any_output(language_build, tag):
    phrases = english_phrases(tag)
    texts = texts_of(language_build(tag))
    assert len(texts) > 10  # the PDF, the EPUB's documents, the web pages, the handouts
    found = sorted({f"{where}: {phrase!r} ({key})" for where, text in texts
                    for phrase, key in phrases.items() if _has_words(text, phrase)})
    assert not found, "\n".join(found)
