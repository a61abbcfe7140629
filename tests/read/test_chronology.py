"""folio.read.chronology: dated events, validated, sorted, each linked to chapters."""

import textwrap

import pytest

from folio.dates import PartialDate
from folio.errors import BuildError, BuildErrors
from folio.htmltree import inner_html
from folio.read.chronology import load_chronology

GOOD = """\
- date: "1917-10-25"
  event: The *October* Revolution.
  chapters: [life]

- date: 1905
  end: "1907"
  event: The first Russian revolution.
  chapters: life

- date: "1917"
  event: A year of revolutions.

- date: "1917-02"
  event: The February Revolution.
"""


def chronology_file(tmp_path, text):
    path = tmp_path / "chronology.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(path) -> list[BuildError]:
    with pytest.raises(BuildError) as raised:
        load_chronology(path)
    error = raised.value
    return error.errors if isinstance(error, BuildErrors) else [error]


def test_events_are_sorted_by_date(tmp_path):
    events = load_chronology(chronology_file(tmp_path, GOOD))
    assert [e.date.iso() for e in events] == ["1905", "1917", "1917-02", "1917-10-25"]
    first = events[0]
    assert first.end == PartialDate(1907)
    assert first.chapters == ["life"], "a single chapter id may be written without a list"
    assert first.line == 5
    assert "<em>October</em>" in inner_html(events[-1].text), "event texts are Markdown"


def test_same_date_events_keep_their_order(tmp_path):
    text = "".join(f'- date: "1917"\n  event: Event {n}.\n' for n in range(5))
    events = load_chronology(chronology_file(tmp_path, text))
    assert [e.text.text_content().strip() for e in events] == [f"Event {n}." for n in range(5)]


def test_the_real_chronology(book):
    events = book.chronology
    assert len(events) >= 10
    keys = [e.date.sort_key() for e in events]
    assert keys == sorted(keys), "the chronology is in date order"
    chapter_ids = {s.id for s in book.sections} | {h[1] for s in book.sections
                                                    for h in s.headings}
    assert {c for e in events for c in e.chapters} <= chapter_ids


@pytest.mark.parametrize("date", ["October 1917", "1917-13", "1917-02-30", "17-10-1917"])
def test_date_that_does_not_parse(tmp_path, date):
    path = chronology_file(tmp_path, GOOD + f'\n- date: "{date}"\n  event: Bad.\n')
    [error] = errors_of(path)
    assert (error.path, error.line) == (path, 16)
    assert date in error.message and error.message.startswith("'date'")


def test_end_before_start(tmp_path):
    path = chronology_file(tmp_path, GOOD + '\n- date: "1917-10"\n  end: "1917-02"\n'
                                            "  event: Backwards.\n")
    [error] = errors_of(path)
    assert (error.path, error.line) == (path, 17), "the line of 'end'"
    assert error.message == "the event ends (1917-02) before it begins (1917-10)"


def test_end_in_the_same_period_is_fine(tmp_path):
    path = chronology_file(tmp_path, '- date: "1917-10-25"\n  end: "1917-10"\n  event: Ok.\n')
    assert load_chronology(path)[0].end == PartialDate(1917, 10)


@pytest.mark.parametrize("item, message", [
    ("- event: No date.\n", "without a 'date'"),
    ('- date: "1917"\n', "without 'event' text"),
    ('- date: "1917"\n  event: X.\n  chapters: {a: b}\n', "'chapters' must be a list"),
    ('- date: "1917"\n  event: X.\n  where: Petrograd\n', "unknown chronology field 'where'"),
    ('- date: true\n  event: X.\n', "'date' must be a date"),
])
def test_bad_events(tmp_path, item, message):
    path = chronology_file(tmp_path, GOOD + "\n" + item)
    errors = errors_of(path)
    assert any(message in e.message for e in errors), [e.format() for e in errors]
    assert all(e.line is not None and e.line >= 16 for e in errors), [e.format() for e in errors]


def test_not_a_list(tmp_path):
    [error] = errors_of(chronology_file(tmp_path, "date: 1917\nevent: X.\n"))
    assert error.line == 1 and "must be a list" in error.message
