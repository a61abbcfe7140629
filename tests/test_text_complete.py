"""Every sentence of the author's text is in every edition, and nothing of the web page's."""

from __future__ import annotations

import re

import pytest
from helpers import (
    AUTHOR_TEXT,
    documents,
    epub_files,
    html_files,
    normalise,
    pdf_body_text,
    sentences,
    text_without_noterefs,
)

DEBRIS = "Leave a comment"
MARGIN = 50  # points of running header and footer left out of the PDF's text


@pytest.fixture(scope="session")
def author_sentences() -> list[str]:
    assert AUTHOR_TEXT.is_file(), f"the author's text is missing: {AUTHOR_TEXT}"
    lines = AUTHOR_TEXT.read_text(encoding="utf-8").splitlines()
    found = [s for line in lines if line.strip() and line.strip() != DEBRIS
             for s in sentences(line)]
    assert len(found) > 50, f"only {len(found)} sentences read from {AUTHOR_TEXT}"
    return found


def pdf_text(path) -> str:
    return pdf_body_text(path, MARGIN)


def markup_text(files: dict[str, bytes]) -> str:
    return "\n".join(text_without_noterefs(tree) for tree in documents(files).values())


@pytest.fixture(scope="session", params=["html", "epub", "pdf"])
def edition_text(request, built) -> tuple[str, str, str]:
    """(format, text, normalised text) of that edition of the real book."""
    fmt = request.param
    if fmt == "pdf":
        text = pdf_text(built["pdf"])
    elif fmt == "epub":
        text = markup_text(epub_files(built["epub"]))
    else:
        text = markup_text(html_files(built["html"]))
    return fmt, text, normalise(text)


def test_every_sentence_of_the_author_is_there(author_sentences, edition_text):
    fmt, _, text = edition_text
    missing = [s for s in author_sentences if normalise(s) not in text]
    shown = "\n".join(f"- {s[:150]}" for s in missing[:10])
    assert not missing, f"{len(missing)} of {len(author_sentences)} sentences are not in the " \
                        f"{fmt.upper()}, for example:\n{shown}"


def test_no_web_page_debris(edition_text):
    # The editors may quote the words when they say they dropped them; nothing else.
    fmt, text, _ = edition_text
    text = re.sub(r"\s+", " ", text)
    found = [text[max(m.start() - 60, 0):m.end() + 20]
             for m in re.finditer(re.escape(DEBRIS), text, re.IGNORECASE)
             if not (text[m.start() - 1:m.start()] in "\"“‘'" and m.start() > 0
                     and text[m.end():m.end() + 1] in "\"”’'" and m.end() < len(text))]
    assert not found, f"'{DEBRIS}' is in the {fmt}: " + " | ".join(found)


def test_normalise_ignores_typography_only():
    assert normalise("Trotsky’s “ideas”—in 1905–1907,\u00a0the\u00adory.12 Next") == \
        normalise("Trotsky's \"ideas\" - in 1905-1907, theory. Next")
    assert normalise("ﬁrst") == normalise("first")
    assert normalise("one word") != normalise("one ward")
    assert normalise("the USSR") == normalise("the ussr"), "small capitals extract lower case"


def test_the_kept_copy_is_the_delivered_text():
    from helpers import DELIVERED_TEXT, KEPT_TEXT

    if DELIVERED_TEXT.is_file():  # beside the repository: the copy must not drift
        assert KEPT_TEXT.read_bytes() == DELIVERED_TEXT.read_bytes()
    assert KEPT_TEXT.read_text(encoding="utf-8").count("\n") >= 19
