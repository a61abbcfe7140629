"""Splitting one Markdown text into chapters, as pandoc reads its headings."""

from __future__ import annotations

import pytest

from folio.importers.chapters import assemble
from folio.importers.split import headings, retitle, split

TEXT = """\
# One

Text one.[^a] See [the site][site].

```
# not a heading
[^a]: not a definition
```

<!--
# not a heading either
-->

Two
===

Text two.[^b] and [^a] again.
#hashtag right after a line is no heading

[^a]: Note a,
    in two lines.

    And a second paragraph.

[^b]: Note b.

[site]: https://example.org "The site"
"""


def test_headings_outside_code_comments_and_paragraphs():
    found = headings(TEXT.splitlines())
    assert [(h.title, h.level, h.setext) for h in found] == [("One", 1, False),
                                                              ("Two", 1, True)]


def test_notes_go_to_every_chapter_that_references_them():
    one, two = split(TEXT, 1)
    assert one.title == "One" and two.title == "Two"
    assert "[^a]: Note a,\n    in two lines.\n\n    And a second paragraph." in one.text
    assert "[^a]: Note a," in two.text and "[^b]: Note b." in two.text
    assert "[^b]:" not in one.text
    assert "[site]: https://example.org" in one.text  # copied where it is used
    assert "# not a heading" in one.text  # code kept where it was


def test_each_line_knows_its_source_line():
    _, two = split(TEXT, 1, first_line=5)
    lines = TEXT.splitlines()
    for line, origin in zip(two.lines, two.origins, strict=True):
        assert lines[origin - 5] == line or not line  # a blank line added before a note


def test_text_before_the_first_heading_and_levels_above():
    pieces = split("Intro.\n\n# Part\n\n## A\n\nText.\n\n### Deep\n", 2)
    assert [(p.title, p.level) for p in pieces] == [(None, 0), ("Part", 1), ("A", 2)]
    assert not pieces[1].has_text and pieces[2].has_text


def test_retitle_moves_headings_up_and_closes_gaps():
    piece = split("## A\n\nText.\n\n#### B\n\nMore.\n\n## C\n\nEnd.\n", 2)[0]
    changed = retitle(piece)
    assert piece.text.startswith("# A\n") and "\n## B\n" in piece.text
    assert changed == [(4, 4, 3)]


def test_split_level_must_be_a_heading_level():
    with pytest.raises(ValueError):
        split("# A\n", 7)


def test_assemble_makes_front_matter_parts_and_drops_a_last_empty_heading():
    chapters, loose = assemble("Intro.\n\n# Part One\n\n# A\n\nText.\n\n# Empty\n")
    assert [(c.kind, c.name, c.part) for c in chapters] == [("front", "preface", None),
                                                          ("chapter", "A", "Part One")]
    assert chapters[0].markdown == "# Preface\n\nIntro.\n"
    assert loose == [(9, "the heading 'Empty' has no text under it and was left out")]


def test_a_definition_taken_out_leaves_the_next_one_set_apart():
    """The last chapter held every definition; taking out the first chapter's must not
    join the next one to the paragraph above it (pandoc would read it as words)."""
    text = "# One\n\nFirst.[^a]\n\n# Two\n\nSecond.[^b]\n\n[^a]: Note a.\n[^b]: Note b.\n"
    one, two = split(text, 1)
    assert "[^a]: Note a." in one.text
    assert "Second.[^b]\n\n[^b]: Note b." in two.text, two.text
