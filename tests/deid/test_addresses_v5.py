"""Address and phone rules, version 5: streets whose word comes first (Malay, Welsh,
Spanish, Portuguese), German and Dutch one-word streets, landmarks in directions, city
PIN codes, Singapore blocks, units on their own, extensions on their own, last digits,
and a number given in pieces across a sentence."""

from __future__ import annotations

import pytest

from edgewise.deid.patterns import find_patterns
from edgewise.deid.spans import Span, resolve


def found(text: str, kind: str) -> list[str]:
    return [text[s.start : s.end] for s in resolve(find_patterns(text)) if s.kind == kind]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("we moved to No. 27, Jalan SS 2/64 last year", "No. 27, Jalan SS 2/64"),
        ("the old house at 15 Jalan Masjid Negeri, hating it", "15 Jalan Masjid Negeri"),
        ("Ty Gwyn, 27 Heol y Deri, Rhiwbina, Cardiff, CF14 6HE.", "27 Heol y Deri"),
        ("We live at Calle de Alcalá 45, in Madrid.", "Calle de Alcalá 45"),
        ("Rua Augusta, 210, CEP 01310-100", "Rua Augusta, 210"),
        ("before that it was Hauptstraße 14 for years", "Hauptstraße 14"),
        ("a flat at Keizersgracht 123 in the end", "Keizersgracht 123"),
        ("then 12 rue de la Paix, a tiny place", "12 rue de la Paix"),
        ("Yes. House 112, Street 9, Block C, Model Town", "House 112, Street 9"),
        ("1250 Avenue of the Americas, 18th Floor, New York", "1250 Avenue of the Americas"),
        ("Yeah. 7 Seapoint Promenade, Salthill, Galway.", "7 Seapoint Promenade"),
        ("P.O. Box KS 1892, Kumasi.", "P.O. Box KS 1892"),
        ("Old No. 14, New No. 29, Second Street, Gopalapuram", "Old No. 14, New No. 29"),
        ("after the Shell filling station, the yellow gate", "Shell filling station"),
        ("Opposite the Sri Ram Nagar bus stop.", "Sri Ram Nagar bus stop"),
        ("Yes, Singapore 600214. Same HDB.", "Singapore 600214"),
        ("Blk 271A Compassvale Bow, #09-22, Singapore 541271", "Blk 271A Compassvale Bow"),
        ("2847 North Kedzie Avenue. It's listed as unit 3R on the lease.", "unit 3R"),
        ("we are at twenty-two b Marsh Lane now", "twenty-two b Marsh Lane"),
    ],
)
def test_address_found(text: str, value: str) -> None:
    assert any(value in a for a in found(text, "address")), found(text, "address")


@pytest.mark.parametrize(
    "text",
    [
        "I read unit 3 of the course last night",
        "I paid Tesco 100000 over the years",
        "Manchester 600000 people live there",
        "we sat near the church for an hour",
        "the 5 minute walk to the bus stop",
    ],
)
def test_no_address(text: str) -> None:
    assert found(text, "address") == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Is the mobile still the one ending four one seven?", "four one seven"),
        ("put the extension as x4102, that's how the directory shows it", "x4102"),
        ("they changed it, it's ext 214 now.", "ext 214"),
        ("and then you press two, and then it's extension 32.", "extension 32"),
        ("Lloyd is on 029 2018 0911, extension 6502.", "029 2018 0911, extension 6502"),
        ("call me on 555-0147 any time", "555-0147"),
        (
            "His mobile is oh eight five, then, em, five five five, and then oh one six two.",
            "oh one six two",
        ),
        ("Zero two one is the area code, then it's 555 and, um, 0162.", "0162"),
    ],
)
def test_phone_found(text: str, value: str) -> None:
    assert value in found(text, "phone")


@pytest.mark.parametrize(
    "text",
    [
        "I ran 5k in 2019 then 2020 and 2021, and called it a day",
        "We paid 350 then 400 and then 250 on the phone bill",
        "I did 3 x 400 reps",
        "it costs 555-0147 dollars",
    ],
)
def test_no_phone(text: str) -> None:
    assert found(text, "phone") == []


def test_a_street_line_keeps_the_stronger_postcode_it_ends_with() -> None:
    street = Span(0, 40, "address", 2)
    code = Span(32, 40, "address", 3)
    assert resolve([street, code]) == [Span(0, 40, "address", 3)]
