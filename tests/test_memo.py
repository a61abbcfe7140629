"""folio.memo: results kept from one save to the next in ``serve``, never in a build."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from folio import memo
from folio.htmltree import fragment, inner_html


@pytest.fixture(autouse=True)
def _forget():
    yield
    memo.keep(False)


def _step(calls: list[str]):
    def step(root):
        calls.append(inner_html(root))
        mark = lxml_html.Element("abbr")
        mark.text = "NKVD"
        root.append(mark)
        return {"marked": 1}
    return step


def test_a_tree_with_the_same_markup_and_key_gets_the_kept_result():
    memo.keep()
    table, calls = memo.Table(8), []
    first, second = fragment("<p>The</p>"), fragment("<p>The</p>")
    assert memo.in_place(table, first, "k", _step(calls)) == {"marked": 1}
    held = second
    value = memo.in_place(table, second, "k", _step(calls))
    assert value == {"marked": 1} and len(calls) == 1, "the step ran once"
    assert second is held and inner_html(second) == inner_html(first)
    second[0].text = "changed"  # what a later step does to it never reaches the kept one
    third = fragment("<p>The</p>")
    memo.in_place(table, third, "k", _step(calls))
    assert inner_html(third) == "<p>The</p><abbr>NKVD</abbr>" and len(calls) == 1


def test_another_key_or_other_markup_runs_the_step_again():
    memo.keep()
    table, calls = memo.Table(8), []
    memo.in_place(table, fragment("<p>The</p>"), "k", _step(calls))
    memo.in_place(table, fragment("<p>The</p>"), "other", _step(calls))
    memo.in_place(table, fragment("<p>Then</p>"), "k", _step(calls))
    assert len(calls) == 3


def test_nothing_is_kept_in_a_build():
    table, calls = memo.Table(8), []
    for _ in range(2):
        memo.in_place(table, fragment("<p>The</p>"), "k", _step(calls))
    assert len(calls) == 2 and not table.entries


def test_a_pause_keeps_nothing_new_and_leaves_what_is_kept():
    memo.keep()
    table, calls = memo.Table(8), []
    memo.in_place(table, fragment("<p>The</p>"), "k", _step(calls))
    with memo.paused():
        memo.in_place(table, fragment("<p>The</p>"), "k", _step(calls))
        memo.in_place(table, fragment("<p>Other</p>"), "k", _step(calls))
    assert len(calls) == 3 and len(table.entries) == 1
    memo.in_place(table, fragment("<p>The</p>"), "k", _step(calls))
    assert len(calls) == 3, "kept from before the pause"


def test_a_sweep_forgets_what_was_not_taken_or_kept_since_the_last():
    memo.keep()
    table, calls = memo.Table(8), []
    memo.in_place(table, fragment("<p>Old</p>"), "k", _step(calls))
    memo.in_place(table, fragment("<p>Kept</p>"), "k", _step(calls))
    memo.sweep()
    assert len(table.entries) == 2, "both were kept since the last sweep"
    memo.in_place(table, fragment("<p>Kept</p>"), "k", _step(calls))  # taken
    memo.in_place(table, fragment("<p>New</p>"), "k", _step(calls))  # kept
    memo.sweep()
    assert sorted(key[1] for key in table.entries) == [b"<div><p>Kept</p></div>",
                                                        b"<div><p>New</p></div>"]
