"""Address rules, versions 2 to 4 (unit prefixes, spelled-out numbers, lower case,
postcodes, building and house names, units after the street, traps), and phone numbers read
out or in two groups of four."""

from __future__ import annotations

import pytest

from edgewise.deid.patterns import ADDRESS_RULES_VERSION, find_patterns
from edgewise.deid.spans import resolve


def addresses(text: str) -> list[str]:
    return [text[s.start : s.end] for s in resolve(find_patterns(text)) if s.kind == "address"]


def test_version() -> None:
    assert ADDRESS_RULES_VERSION >= 4


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("we're at Flat 2B, 31 Elm Court now", "Flat 2B, 31 Elm Court"),
        ("send it to unit 5/22 Smith St please", "unit 5/22 Smith St"),
        ("it's Apt 1204, 88 Queen Street West", "Apt 1204, 88 Queen Street West"),
        ("I grew up at forty-two Mill Lane", "forty-two Mill Lane"),
        ("she lives at twelve Harcourt Terrace", "twelve Harcourt Terrace"),
        ("i live on mill lane now", "mill lane"),
        ("we moved to 12 station road last year", "12 station road"),
        ("it's at sixty-one kingsway avenue", "sixty-one kingsway avenue"),
        ("flat 3, 9 bridge street, near the shop", "flat 3, 9 bridge street"),
        ("Plot 17, Kiambu Road is where we built", "Plot 17, Kiambu Road"),
        (
            "Block C-1104, Palm Grove Heights, Sector 54, Gurugram 122011",
            "Block C-1104, Palm Grove Heights, Sector 54, Gurugram 122011",
        ),
        ("write to PO Box 4410, Nairobi 00100", "PO Box 4410, Nairobi 00100"),
        ("post goes to P.O. Box 77", "P.O. Box 77"),
        ("we rent 14 Carinya Street, 2750.", "14 Carinya Street, 2750"),
        ("It's 27 Pittwater Road, 2095 now", "27 Pittwater Road, 2095"),
        ("1450 West 12th Avenue, Vancouver, V6H 1M8?", "1450 West 12th Avenue, Vancouver, V6H 1M8"),
        ("the Eircode is D24 X7K2.", "D24 X7K2"),
        ("and the Eircode X91 K2F4", "X91 K2F4"),
        ("Toronto. M4E 1G3.", "M4E 1G3"),
        ("my pin code is 560034", "560034"),
        ("postcode is 2750", "2750"),
        ("Springfield, IL 62704-1234", "IL 62704-1234"),
        ("Parramatta NSW 2150", "NSW 2150"),
        ("our house is on Laxmi Nagar near the temple", "Laxmi Nagar"),
        ("5 Strand Cottages, Kinsale", "5 Strand Cottages, Kinsale"),
        ("he lives off Gandhi Marg", "Gandhi Marg"),
        ("LS6 2AB is the postcode", "LS6 2AB"),
        # version 3
        (
            "new flat: Blk 88 Tampines Link, #11-204, Tampines",
            "Blk 88 Tampines Link, #11-204, Tampines",
        ),
        ("we're at 2210 Avenue K, Brooklyn", "2210 Avenue K, Brooklyn"),
        ("it's 40 Orchard Way, Apt 2C, 02139.", "40 Orchard Way, Apt 2C, 02139"),
        ("77 Lakeview Drive, Suite 110, 55401", "77 Lakeview Drive, Suite 110, 55401"),
        ("Apartment 3, Harbourview, Merchant's Quay", "Apartment 3, Harbourview, Merchant's Quay"),
        ("Flat 12, Sagar Deep, Hill Road, Bandra", "Flat 12, Sagar Deep, Hill Road, Bandra"),
        ("The Old Mill, Ballyvolane Cross, Cork", "The Old Mill, Ballyvolane Cross, Cork"),
        ("The Willows, Church Lane", "The Willows, Church Lane"),
        ("the Bridge Street one closed", "Bridge Street"),
        ("we ship to PMB 2245, Ikeja", "PMB 2245"),
        ("3021 Lougheed, Coquitlam", "3021 Lougheed, Coquitlam"),
        ("it's at 12 Kingsbridge, Galway", "12 Kingsbridge, Galway"),
        ("Postcode's 3068.", "3068"),
        # version 4
        ("Sure, Suite 310, 440 17 Avenue SW.", "Suite 310, 440 17 Avenue SW"),
        ("we're moving to 9 Esplanade, 6160.", "9 Esplanade, 6160"),
        ("It's 88 Coast Road, RD 2, Warkworth 0982.", "88 Coast Road, RD 2, Warkworth 0982"),
        ("mail goes to RR 4, Box 27, Stowe", "RR 4, Box 27, Stowe"),
        (
            "Still there. 4 Ngaio Grove, Karori, Wellington 6012.",
            "4 Ngaio Grove, Karori, Wellington 6012",
        ),
        ("he lives on rue Saint-Denis now", "rue Saint-Denis"),
        (
            "Lot 9, Block 3, Phase 1, Camella Subdivision",
            "Lot 9, Block 3, Phase 1, Camella Subdivision",
        ),
        ("Shop 2, Mandeville Plaza, Caledonia Road", "Shop 2, Mandeville Plaza, Caledonia Road"),
        ("Room 118, Keswick House, Mill Road", "Room 118, Keswick House, Mill Road"),
        ("the 12th Floor, Tower One, Ayala Avenue", "12th Floor, Tower One, Ayala Avenue"),
        ("H.No. 442, Sector 15", "H.No. 442, Sector 15"),
        ("Yep, Heather Lane. Not the road.", "Heather Lane"),
        ("wait no its l8 7nz", "l8 7nz"),
        ("the plot is Erf 10442", "Erf 10442"),
        ("Box 9, Montpelier, Vermont 05602", "Vermont 05602"),
    ],
)
def test_address_found(text: str, value: str) -> None:
    assert value in addresses(text)


@pytest.mark.parametrize(
    "text",
    [
        "he has real street smarts",
        "I'm always on the road for work",
        "life in the fast lane wore me out",
        "no way, I said",
        "I have a court date on Friday",
        "for 14 years now",
        "she was in room 4",
        "we had 3 sessions before",
        "it's a 5 minute drive",
        "a ten minute walk from here",
        "I live on a busy road",
        "it's a two way street",
        "down the high street",
        "we live on the main road",
        "he moved to the country lane",
        "she's three years on",
        "I paid 2750 pounds for it",
        "took 3 sessions in 2019",
        "I'm at the end of the road with this",
        "a walk in the park",
        "we took the ring road",
        "my memory lane moment",
        # version 3
        "in 2019 Mum, Dad and I moved",
        "I scored 3 Goals, Tom scored one",
        "we had 4 Hours, Minutes and Seconds",
        "I gave her 3 Pounds, Mark gave two",
        "The Beatles, The Stones, all of it",
        "the main one closed",
        "the Avenue was lovely",
        # version 4
        "she was in room 4 again",
        "The Road to recovery is long",
        "Main Street businesses are struggling",
        "it's 3am and I'm up",
        "I ran 5 km at 6am",
        "we watched Coronation Street",
    ],
)
def test_trap_left(text: str) -> None:
    assert addresses(text) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "She's in Leeds, oh seven seven oh oh, nine oh oh, four one two.",
            "oh seven seven oh oh, nine oh oh, four one two",
        ),
        (
            "Oh two oh, seven nine four six, double oh one three.",
            "Oh two oh, seven nine four six, double oh one three",
        ),
        ("Her number is 9123 4567.", "9123 4567"),
        ("Same. 8555 0192.", "8555 0192"),
    ],
)
def test_phone_found(text: str, value: str) -> None:
    phones = [text[s.start : s.end] for s in resolve(find_patterns(text)) if s.kind == "phone"]
    assert value in phones


@pytest.mark.parametrize(
    "text",
    [
        "one, two, three, four, five, six, seven",
        "twenty twenty-one was a hard year, twenty twenty-two too",
        "It was 2019 2020 that year",
        "I paid £8,500 1000 times over",
        "I count one two three four when I breathe",
    ],
)
def test_no_phone(text: str) -> None:
    assert [s for s in resolve(find_patterns(text)) if s.kind == "phone"] == []
