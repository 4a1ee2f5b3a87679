"""Dates, reference numbers and streets typed in lower case (rules v8)."""

from __future__ import annotations

import pytest

from edgewise.deid.addresses import find_addresses
from edgewise.deid.dates import find_dates, shift_date
from edgewise.deid.patterns import find_patterns


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("its the 28th of feb", "the 28th of feb"),
        ("born 3rd march", "3rd march"),
        ("moving on sept 14 i think", "sept 14"),
        ("9th nov", "9th nov"),
    ],
)
def test_a_day_and_a_month_in_lower_case_are_a_date(text: str, date: str) -> None:
    assert [text[s.start : s.end] for s in find_dates(text, "dmy")] == [date]


def test_a_lower_case_date_is_shifted_in_lower_case() -> None:
    text = "its the 28th of feb"
    (span,) = find_dates(text, "dmy")
    assert shift_date(text, span, 14) == "the 14th of mar"


@pytest.mark.parametrize("text", ["you may 2 ok", "in march we went", "i got 5 out of 10"])
def test_a_modal_or_a_month_alone_is_no_date(text: str) -> None:
    assert find_dates(text, "dmy") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("ref zr5551208 ok", "zr5551208"),
        ("claim no is bl-555-20931", "bl-555-20931"),
        ("Passport F55502874.", "F55502874"),
    ],
)
def test_reference_numbers_in_any_case_are_ids(text: str, value: str) -> None:
    ids = [text[s.start : s.end] for s in find_patterns(text) if s.kind == "id"]
    assert value in ids


def test_a_word_with_digits_in_it_is_no_id() -> None:
    assert not [s for s in find_patterns("covid19 was awful") if s.kind == "id"]


@pytest.mark.parametrize(
    ("text", "street"),
    [("we were on caversham rd", "caversham rd"), ("its off green lanes", "green lanes")],
)
def test_a_lower_case_street_after_a_place_word_is_an_address(text: str, street: str) -> None:
    assert street in [text[s.start : s.end] for s in find_addresses(text)]


@pytest.mark.parametrize(
    "text", ["walked down the road", "on memory lane tbh", "We were on caversham rd"]
)
def test_other_roads_are_left(text: str) -> None:
    assert not [
        s
        for s in find_addresses(text)
        if "rd" in text[s.start : s.end]
        or "road" in text[s.start : s.end]
        or "lane" in text[s.start : s.end]
    ]
