"""folio.dates: partial dates (a year, a month or a day) for the chronology."""

import pytest

from folio.dates import PartialDate


@pytest.mark.parametrize("text, expected, iso, shown", [
    ("1917", PartialDate(1917), "1917", "1917"),
    ("1917-10", PartialDate(1917, 10), "1917-10", "October 1917"),
    ("1917-10-25", PartialDate(1917, 10, 25), "1917-10-25", "25 October 1917"),
    (" 1940-08-21 ", PartialDate(1940, 8, 21), "1940-08-21", "21 August 1940"),
])
def test_parse_iso_and_display(text, expected, iso, shown):
    date = PartialDate.parse(text)
    assert date == expected
    assert date.iso() == iso
    assert date.display() == shown


@pytest.mark.parametrize("text", [
    "", "abc", "1917/10", "1917-1", "1917-13", "1917-00", "1917-02-30", "1917-10-25x",
    "October 1917", "1917-10-32",
])
def test_parse_rejects(text):
    with pytest.raises(ValueError) as raised:
        PartialDate.parse(text)
    assert f"'{text}'" in str(raised.value), "the message quotes the text that does not parse"


def test_sort_key_puts_a_year_before_its_months_and_days():
    dates = [PartialDate(1917, 10, 25), PartialDate(1917), PartialDate(1905),
             PartialDate(1917, 2)]
    assert sorted(dates, key=PartialDate.sort_key) == [
        PartialDate(1905), PartialDate(1917), PartialDate(1917, 2), PartialDate(1917, 10, 25)]


def test_end_key_covers_the_whole_period():
    assert PartialDate(1917).end_key() >= PartialDate(1917, 12, 31).sort_key()
    assert PartialDate(1917, 2).end_key() >= PartialDate(1917, 2, 28).sort_key()
    assert PartialDate(1917, 2).end_key() < PartialDate(1917, 3).sort_key()


def test_dates_of_different_precision_compare():
    # The class declares an order (dataclass order=True): comparing a year with a
    # month of that year must work, not raise TypeError on None < int.
    assert sorted([PartialDate(1917, 10), PartialDate(1917)]) == [
        PartialDate(1917), PartialDate(1917, 10)]
