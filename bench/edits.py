"""The benchmark's edits of a chapter: each a real change of the Markdown, different at
every run, that leaves the book as valid as it was (no markup touched, no new finding).

- :func:`corrected`: one letter of a word changed, as when a typo is fixed; the chapter
  keeps its length in pages.
- :func:`marked`: one word replaced by a given made-up word, so that the edit can be
  found in an output afterwards.
- :func:`lengthened`: new paragraphs of about 120 words each after the chapter's first
  paragraph, so that every page break of the chapter after it moves.
"""

from __future__ import annotations

import random
import re

# Markup a word of a line may sit in: spans, attributes, link targets, code, raw HTML.
MARKUP = re.compile(r"\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|`[^`]*`|<[^>]*>")
# A line of plain prose: long, and not a heading, quote, table, list, definition or note.
NOT_PROSE = re.compile(r"\s*([#>|:*-]|\d+\.|\[\^)")
WORDS_A_PARAGRAPH = 120


def prose_lines(lines: list[str]) -> list[int]:
    """Indexes of the lines of *lines* that are plain paragraphs of prose."""
    return [i for i, line in enumerate(lines) if len(line) > 60 and not NOT_PROSE.match(line)]


def plain_words(line: str) -> list[re.Match[str]]:
    """The lower-case words of five letters or more in *line* outside any markup."""
    markup = [m.span() for m in MARKUP.finditer(line)]
    return [m for m in re.finditer(r"\b[a-z]{5,}\b", line)
            if not any(a <= m.start() < b for a, b in markup)]


def _middle_word(text: str, run: int) -> tuple[list[str], int, re.Match[str]]:
    """The lines of *text*, the index of its middle paragraph and the plain word of that
    paragraph chosen by *run* (a different word for each run, cycling)."""
    lines = text.split("\n")
    prose = prose_lines(lines)
    if not prose:
        raise ValueError("no paragraph of prose to edit")
    index = prose[len(prose) // 2]
    words = plain_words(lines[index])
    if not words:
        raise ValueError(f"line {index + 1}: no plain word to edit")
    return lines, index, words[run % len(words)]


def corrected(text: str, run: int) -> str:
    """*text* with one letter of a word in its middle paragraph changed, as when a typo
    is fixed: an edit that changes a chapter's text but not its length in pages."""
    lines, index, word = _middle_word(text, run)
    line = lines[index]
    letter = word.start() + 2
    replacement = "e" if line[letter] != "e" else "a"
    lines[index] = line[:letter] + replacement + line[letter + 1:]
    return "\n".join(lines)


def marked(text: str, token: str, run: int) -> str:
    """*text* with a word of its middle paragraph (chosen by *run*) replaced by *token*."""
    lines, index, word = _middle_word(text, run)
    line = lines[index]
    lines[index] = line[:word.start()] + token + line[word.end():]
    return "\n".join(lines)


def token(number: int, salt: str = "") -> str:
    """A made-up word of lower-case letters, different for each *number* (and *salt*),
    that no book's text holds: ``zq`` and eight letters."""
    rng = random.Random(f"{salt}:{number}")
    return "zq" + "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8))


def paragraph(vocabulary: list[str], seed: int) -> str:
    """A paragraph of :data:`WORDS_A_PARAGRAPH` words drawn from *vocabulary*, in
    sentences of twelve words, different for each *seed* (the same for the same seed)."""
    rng = random.Random(seed)
    words = [rng.choice(vocabulary) for _ in range(WORDS_A_PARAGRAPH)]
    sentences = [words[i:i + 12] for i in range(0, len(words), 12)]
    return " ".join(" ".join(s).capitalize() + "." for s in sentences)


def lengthened(text: str, paragraphs: int) -> str:
    """*text* with *paragraphs* new paragraphs of the chapter's own plain words after its
    first paragraph of prose (after its last line), the newest first.

    Each holds :data:`WORDS_A_PARAGRAPH` words (about a third of a 6×9 in page), so
    lengthening by one more paragraph than the previous build moves every page break
    of the chapter after the first page. Raises ValueError for a chapter without prose.
    """
    lines = text.split("\n")
    prose = prose_lines(lines)
    if not prose:
        raise ValueError("no paragraph of prose to lengthen")
    vocabulary = sorted({m.group() for i in prose for m in plain_words(lines[i])})
    added = [paragraph(vocabulary, seed) for seed in reversed(range(paragraphs))]
    end = next((i for i in range(prose[0], len(lines)) if not lines[i].strip()), len(lines))
    return "\n".join([*lines[:end], *(part for p in added for part in ("", p)), *lines[end:]])
