"""Address rules, version 6: chat addresses in lower case, lower-case Eircodes and codes
after their word, Polish and Dutch addresses, floors in other languages."""

from __future__ import annotations

import pytest

from edgewise.deid.patterns import ADDRESS_RULES_VERSION, find_patterns
from edgewise.deid.spans import resolve


def addresses(text: str) -> list[str]:
    return [text[s.start : s.end] for s in resolve(find_patterns(text)) if s.kind == "address"]


def test_version() -> None:
    assert ADDRESS_RULES_VERSION == 6


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("yes pls. its apt 1207 88 charles st e toronto", "apt 1207 88 charles st e"),
        ("postal code m4y 1t1", "m4y 1t1"),
        ("smc 4418, 600 college ave ithaca ny 14850", "600 college ave ithaca ny 14850"),
        ("my parents are at 17 w oak ln evanston. they", "17 w oak ln"),
        ("its the mill house, mill lane. eircode r95 kx04", "r95 kx04"),
        ("So ul. Długa 17 m. 4, 00-238 Warszawa.", "ul. Długa 17 m. 4, 00-238"),
        ("12 rue des Lilas, cinquième étage, 75011 Paris.", "12 rue des Lilas, cinquième étage"),
        ("Calle de Toledo 45, 3º izquierda, 28005 Madrid.", "Calle de Toledo 45, 3º izquierda"),
        ("The postcode for invoices is 1016 GV Amsterdam.", "1016 GV"),
    ],
)
def test_address_found(text: str, value: str) -> None:
    assert any(value in a for a in addresses(text)), addresses(text)


@pytest.mark.parametrize(
    "text",
    [
        "a 5 minute walk down the road",
        "we had 10-100 people there and 20-300 more online",
        "it took 20 mins, the dr said",
        "in 2019 AD terms",
        "the a12 road was shut",
    ],
)
def test_no_address(text: str) -> None:
    assert addresses(text) == []
