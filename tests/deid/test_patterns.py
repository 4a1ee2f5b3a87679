"""Shape rules: contact details, numbers, addresses and old ages, found without the model."""

from __future__ import annotations

import pytest

from edgewise.deid.patterns import find_patterns
from edgewise.deid.spans import resolve


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start : s.end], s.kind) for s in resolve(find_patterns(text))]


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("ring me on 07700 900123 tonight", "07700 900123", "phone"),
        ("the office is 0113 496 0712", "0113 496 0712", "phone"),
        ("call +44 (0)7700 900 123 please", "+44 (0)7700 900 123", "phone"),
        ("my cell is (415) 555-0134", "(415) 555-0134", "phone"),
        ("text 415-555-0134 or", "415-555-0134", "phone"),
        ("in Dublin it's +353 85 123 4567", "+353 85 123 4567", "phone"),
        ("Sydney: +61 4 1234 5678", "+61 4 1234 5678", "phone"),
        ("landline 01632 960341 ext 22", "01632 960341 ext 22", "phone"),
        ("email jo.bloggs@example.co.uk now", "jo.bloggs@example.co.uk", "email"),
        ("it's jo dot bloggs at gmail dot com", "jo dot bloggs at gmail dot com", "email"),
        ("see https://www.example.org/help?x=1.", "https://www.example.org/help?x=1", "url"),
        ("look at mindfulwalks.co.uk/join", "mindfulwalks.co.uk/join", "url"),
        ("she's @jay_d_2009 on there", "@jay_d_2009", "url"),
        ("my NHS number is 943 476 5919", "943 476 5919", "id"),
        ("SSN 123-45-6789", "123-45-6789", "id"),
        ("NI number JT 84 61 27 C", "JT 84 61 27 C", "id"),
        ("crime reference CR/0193/23 from", "CR/0193/23", "id"),
        ("case number HB/2023/88412.", "HB/2023/88412", "id"),
        ("MRN: H4567821", "H4567821", "id"),
        ("reg is YK19 WRT", "YK19 WRT", "id"),
        ("student ID 20417736", "20417736", "id"),
        ("I live at 42 Hyde Park Road now", "42 Hyde Park Road", "address"),
        (
            "at Flat 2, 17 Chapel Street, Leeds LS6 2AB.",
            "Flat 2, 17 Chapel Street, Leeds LS6 2AB",
            "address",
        ),
        (
            "418 Maple Avenue, Springfield, IL 62704",
            "418 Maple Avenue, Springfield, IL 62704",
            "address",
        ),
        ("she lives on Derby Street.", "Derby Street", "address"),
        ("the postcode is LS7 3QB", "LS7 3QB", "address"),
        ("PO Box 45", "PO Box 45", "address"),
        ("my nan is 94 years old", "94 years old", "age"),
        ("our 92-year-old neighbour", "92-year-old", "age"),
        ("she turned 101 on Friday", "101", "age"),
        ("aged ninety-three", "ninety-three", "age"),
        ("she's in her late nineties", "in her late nineties", "age"),
    ],
)
def test_each_kind_is_found(text: str, value: str, kind: str) -> None:
    assert (value, kind) in found(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm 34 and she is 89",
        "it was 95 percent of the time",
        "I owe 250000 pounds",
        "about 24/7, every day",
        "we talked for 45 minutes",
        "the high street was busy",
        "my score went from 12 to 9",
    ],
)
def test_ordinary_numbers_and_words_are_left(text: str) -> None:
    assert found(text) == []


def test_ten_digits_are_an_nhs_number_only_after_nhs() -> None:
    assert found("NHS no. 485 777 3456") == [("485 777 3456", "id")]
    assert found("ring 0161 496 0000") == [("0161 496 0000", "phone")]
