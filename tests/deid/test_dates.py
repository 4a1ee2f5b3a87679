"""Dates found in their many spellings and moved by whole weeks, written the same way."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from edgewise.deid.dates import find_dates, shift_date

WEEK = 7


def moved(text: str, days: int, order: str = "dmy", year: int | None = None) -> list[str]:
    return [shift_date(text, s, days, order, year) for s in find_dates(text, order)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "days", "expected"),
    [
        ("on 14/03/2023 we met", 7, "21/03/2023"),
        ("on 2023-03-14 we met", 14, "2023-03-28"),
        ("DOB 01.02.1961", -7, "25.01.1961"),
        ("on 3/14/2023", 7, "3/21/2023"),
        ("Tuesday 3rd March 2023", 7, "Tuesday 10th March 2023"),
        ("since 5 May 2019", 28, "2 June 2019"),
        ("on March 5, 2024", 7, "March 12, 2024"),
        ("Dec. 25th 2022", 14, "Jan. 8th 2023"),
        ("in June 2019 things changed", 35, "July 2019"),
        ("the third of March", 7, "the tenth of March"),
        ("see you on the 14th", 7, "the 21st"),
        ("born in 1950", 7 * 20, "1950"),
        ("born in 1950", 7 * 100, "1952"),
    ],
)
def test_a_date_is_moved_and_written_the_same_way(text: str, days: int, expected: str) -> None:
    assert moved(text, days, year=2023) == [expected]


def test_month_day_order_reads_numeric_dates_the_american_way() -> None:
    assert moved("on 03/04/2024", 7, "mdy") == ["03/11/2024"]
    assert moved("on 03/04/2024", 7, "dmy") == ["10/04/2024"]
    assert moved("on 13/04/2024", 7, "mdy") == ["20/04/2024"]  # no month 13: day first


@pytest.mark.parametrize(
    "text",
    ["in May", "May I ask", "every Tuesday", "yesterday", "24/7", "31/02/2023", "1.5 bottles"],
)
def test_no_identifying_date_no_find(text: str) -> None:
    assert find_dates(text) == []


@given(
    st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2090, 12, 31)),
    st.integers(min_value=0, max_value=400),
    st.integers(min_value=-104, max_value=104),
)
def test_intervals_and_weekdays_survive_the_move(first: dt.date, gap: int, weeks: int) -> None:
    second = first + dt.timedelta(days=gap)
    text = f"on {first:%d/%m/%Y} and on {second:%d/%m/%Y}"
    a, b = (dt.datetime.strptime(d, "%d/%m/%Y").date() for d in moved(text, weeks * WEEK))
    assert (b - a).days == gap
    assert a.weekday() == first.weekday() and (a - first).days == weeks * WEEK


def test_a_written_weekday_stays_true() -> None:
    [out] = moved("Friday 3 March 2023", -WEEK * 9)
    day = dt.datetime.strptime(re.sub(r"^\w+ ", "", out), "%d %B %Y").date()
    assert out.startswith("Friday") and day.weekday() == 4
