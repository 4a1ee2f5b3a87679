"""Addresses: street lines, units, buildings, postcodes and directions, as rules.

The address half of the shape rules (:mod:`edgewise.deid.patterns` holds the rest and
calls :func:`find_addresses`); the learned tagger (:mod:`edgewise.deid.tagger`) reads what
these miss. ``ADDRESS_RULES_VERSION`` names the version documented in ``docs/deid.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from edgewise.deid.spans import Span, matched

__all__ = ["ADDRESS_RULES_VERSION", "find_addresses"]

_I = re.IGNORECASE
_spans = matched

# --- addresses -------------------------------------------------------------------------
#: The address rules' version (docs/deid.md, "Address rules, version 4").
ADDRESS_RULES_VERSION = 6
_STREET_TYPES = (
    r"(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Drive|Dr|Close|Crescent|Cres|Way|Place|Pl|"
    r"Court|Ct|Terrace|Tce|Gardens|Gdns|Grove|Hill|Boulevard|Blvd|Parkway|Pkwy|Square|Sq|"
    r"Row|Mews|Walk|Rise|View|Green|Vale|Parade|Circle|Cir|Highway|Hwy|Trail|Broadway|"
    r"Wynd|Gate|Brow|Fold|Chase|Croft|Meadows?|Park|Estate|Heights|Cottages|Quay|Wharf|"
    r"Esplanade|Embankment|Marg|Nagar|Colony|Enclave|Layout|Link|Cross|Loop|Bank|Hollow|"
    r"Subdivision|Promenade|Circus|Approach|Causeway|Passage|Alley|Plaza|Pike|Ridge|Landing|"
    r"Garth|Yard)"
)
#: Street words that name a street even in lower case; ambiguous ones (way, walk, park,
#: view, green, close, court, drive, place, row, hill, square…) are left out.
_STREET_TYPES_LOWER = (
    r"(?:road|rd|street|avenue|ave|lane|crescent|terrace|gardens|grove|boulevard|blvd|"
    r"highway|mews|parade|heights|cottages|marg|nagar)"
)
_DIRECTION = r"(?:\s+(?:North|South|East|West|N|S|E|W|NE|NW|SE|SW)\b(?!['’]))?"
_NAME_WORD = r"(?:[A-Z][\w'’]*(?:-[A-Z][\w'’]*)?|St\.?|of|the|\d{1,3}(?:st|nd|rd|th))"
_UNIT_WORD = (
    r"(?:[Ff]lat|FLAT|[Aa]partment|[Aa]pt\.?|[Uu]nit|[Ss]uite|[Bb]lock|[Bb]lk\.?|[Pp]lot|Lot|Shop"
    r"|Room|Phase|H\.\s?No\.?"
    r"|[Hh]ouse [Nn]o\.?|House(?= \d)|(?:Old |New )?No\.|[Dd]oor)"
)
_UNIT_NUMBER = r"(?:[A-Z]-?)?\d{1,5}[A-Za-z]?(?:[-/]\d{1,5}[A-Za-z]?)?"
_UNIT = rf"(?:{_UNIT_WORD}\s+{_UNIT_NUMBER},?\s+){{0,3}}"
_SPELLED = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|"
    r"four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|"
    r"eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"(?:one|two|three|four|five|six|seven|eight|nine) hundred(?: and \w+)?)"
)
_HOUSE_NUMBER = (
    rf"(?:\d{{1,5}}[A-Za-z]?(?:[-/]\d{{1,5}}[A-Za-z]?)?|(?i:{_SPELLED})(?:[- ][a-dA-D]\b)?)"
)
_STREET = (
    rf"(?:{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}\s+{_STREET_TYPES}\b\.?"
    rf"|Avenue [A-Z0-9]\b(?!['’])|\d{{1,3}} (?:Avenue|Street|Ave|St)\b\.?"
    r"|(?:Street|Road|Lane|Avenue)\s+\d{1,3}[A-Z]?\b(?![.,]\d)"
    rf"|(?:Avenue|Boulevard|Road|Street) of the [A-Z][\w'’]+)\b{_DIRECTION}"
)
#: Lower-case words that are no street name ("a 5 minute drive", "the main road").
_NOT_NAME = (
    r"(?:the|a|an|my|our|your|his|her|their|this|that|same|main|busy|quiet|long|back|"
    r"side|open|dirt|country|minute|minutes|min|mins|mile|miles|km|hour|hours|second|"
    r"seconds|day|days|week|weeks|year|years|way|fast|slow|one|two|and|or|of|to|in|on|"
    r"at|is|was|very|big|little|old|new|private|public|toll|ring|slip|high|memory|"
    r"bus|bike|cycle|express|middle|inside|outside|wrong|right|left)"
)
_LOWER_WORD = rf"(?!{_NOT_NAME}\b)[a-z][a-z'’]+"
_STREET_LOWER = rf"{_LOWER_WORD}(?:\s+{_LOWER_WORD}){{0,2}}\s+{_STREET_TYPES_LOWER}\b"
#: A building's or house's name before its street: "Riverpoint, " in "Apartment 12,
#: Riverpoint, Bishop's Quay".
_BUILDING = r"(?:[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*){0,3},\s+){0,2}"
_HOUSE = re.compile(
    rf"\b{_UNIT}{_HOUSE_NUMBER},?\s+{_STREET}"
    rf"|\b(?:{_UNIT_WORD}\s+{_UNIT_NUMBER},?\s+){{1,3}}(?:{_BUILDING}{_STREET}|[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+)?\s+"
    r"(?:House|Court|Lodge|Mansions|Tower|Towers|Buildings?|Apartments|Residency|Heights)\b)"
    rf"|\b{_UNIT_WORD}\s+{_UNIT_NUMBER},?\s+{_HOUSE_NUMBER},?\s+{_STREET_LOWER}"
    rf"|\b{_UNIT_WORD}\s+{_UNIT_NUMBER},\s+(?:Sector|Phase|Block|Zone)\s+\d{{1,3}}[A-Z]?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th) [Ff]loor,\s+{_BUILDING}{_STREET}"
    rf"|(?<![\w.,£$€-])(?:\d{{1,5}}[a-z]?|(?i:{_SPELLED}))\s+{_STREET_LOWER}"
)
#: A house number and a street of one word: "6 Esplanade", "12 The Strand".
_ONE_WORD_STREET = re.compile(
    r"(?<![\w.,£$€-])\d{1,4}[A-Za-z]?\s+(?:The\s+)?(?:Esplanade|Strand|Broadway|Promenade|Parade|"
    r"Crescent|Boulevard|Kingsway)\b"
)
#: Rural routes and delivery: "RR 2, Box 114", "RD 3"; a South African erf number.
_RURAL = re.compile(r"\b(?:RR|RD|R\.R\.)\s?\d{1,2}\b(?:,?\s+Box\s+\d{1,5}\b)?|\bErf\s+\d{2,6}\b")
#: French and Québec streets: "rue Wellington", "chemin de la Côte".
_RUE = re.compile(
    r"(?:\b\d{1,4}(?:\s?bis|\s?ter)?,?\s+)?\b(?:[Rr]ue|[Cc]hemin|[Bb]oulevard|[Aa]venue|[Pp]lace)\s+"
    r"(?:de la |de l['’]|du |des |de |d['’])?"
    r"(?-i:[A-ZÀ-Ý][\w'’-]+)"
)
#: UK postcodes typed in lower case where a postcode is given: "its m15 4ry".
_POSTCODE_UK_LOWER = re.compile(r"(?<![\w-])[a-z]{1,2}\d[a-z\d]?\s\d[abd-hjlnp-uw-z]{2}(?![\w-])")
#: A street's name standing alone with an unambiguous street word: "Yep, Cardigan Lane."
_STREET_NAMED = re.compile(
    r"(?<![\w'’-])(?!(?:The|A|An|This|That|My|Our|Your|His|Her|Their|Every|Each|Any|No|One|Main|"
    r"High|Back|Side|Wall|Sesame|Coronation|Downing|Easy|Civvy|Memory)\b)"
    r"[A-Z][a-z'’]+(?:\s+[A-Z][a-z'’]+)?\s+(?:Road|Street|Lane|Avenue|Crescent|Terrace|Grove|"
    r"Boulevard|Gardens)\b"
)
#: A named house before its street: "The Old Forge, Knockanore Cross".
_NAMED_HOUSE = re.compile(rf"\bThe(?:\s+[A-Z][\w'’]+){{1,3}},\s+{_STREET}")
#: A street named as a place of its own: "the Queen Street one", "the Gurney Road branch".
_STREET_AS_PLACE = re.compile(
    rf"\b[Tt]he\s+(?P<v>{_STREET})\s+(?:one|branch|office|flat|house|place|shop|store|site)\b"
)
#: A number and one capitalised word, then a comma and a town, where an address is given
#: (a sentence's start or after at/to/from/is): "Parked outside work. 1450 Kingsway,
#: Burnaby." No year ("In 2019 Mum, Dad and I") and no plural ("3 Goals, Tom").
_NUMBER_NAME_TOWN = re.compile(
    r"(?:^|(?<=[.!?:]\s)|(?<=\bat\s)|(?<=\bto\s)|(?<=\bfrom\s)|(?<=\bis\s)|(?<=['’]s\s)"
    r"|(?<=\bwas\s))"
    r"(?!(?:19|20)\d\d\b)\d{1,5}[A-Za-z]?\s+[A-Z][a-z]{2,}(?<!s)(?=,\s+[A-Z][a-z]+)"
)
_STREET_ONLY = re.compile(
    r"\b(?:on|off|in|at|along|down|up|near|onto|from|by|past|to|round|around)\s+(?:the\s+)?"
    rf"(?!(?:the|a|my|our|their|his|her|High Street)\b)(?P<v>{_STREET})"
)
#: A street named without a number in lower case, after a word of living or moving.
_STREET_ONLY_LOWER = re.compile(
    r"\b(?:live|lives|living|lived|stay|stays|staying|stayed|move|moves|moving|moved|"
    r"house|flat|place|address)\s+(?:is\s+)?(?:on|off|in|at|to)\s+(?P<v>"
    rf"{_STREET_LOWER})"
)
#: In a turn typed all in lower case, a street named without a number after a word of
#: place ("on caversham rd", "off green lanes"): chat leaves out both capitals and numbers.
_STREET_AFTER_LOWER = re.compile(
    r"\b(?:on|off|at|along|down|up|near|onto|past|round|around|via|opposite|by)\s+(?P<v>"
    rf"{_STREET_LOWER.replace('|nagar)', '|nagar|lanes)')})"
)
#: Streets whose word comes first, with the number before or after: "15 Jalan Masjid
#: Negeri", "No. 27, Jalan SS 2/64", "27 Heol y Deri", "Calle de Alcalá 45", "Rua Augusta,
#: 210".
_STREET_WORD_FIRST = (
    r"(?:Jalan|Jln\.?|Lorong|Lebuh|Persiaran|Lebuhraya|Heol|Ffordd|Stryd|Calle|Avenida|Av\.|"
    r"Rua|Via|Viale|Piazza|Paseo|Plaza|Carrer|Calzada|Travessa|Alameda|Rambla|Camino|Strada)"
)
_FIRST_NAME_WORD = (
    r"(?:[A-ZÀ-Ý][\w'’-]*|[A-Z]{1,3}\s?\d{1,3}(?:/\d{1,3})?|\d{1,3}(?:/\d{1,3})?|"
    r"y|de|del|la|las|los|da|do|dos|das|di|della|el)"
)
_WORD_FIRST = re.compile(
    rf"(?:(?:(?:Old |New )?No\.?\s*)?\b\d{{1,5}}[A-Za-z]?,?\s+)?\b{_STREET_WORD_FIRST}"
    rf"(?:\s+{_FIRST_NAME_WORD}){{1,4}}(?<![\s-])(?<!\by)(?<!\bde)(?<!\bla)(?<!\bdel)"
    r"(?:,?\s+(?:n[º°o]\.?\s*)?\d{1,5}[A-Za-z]?\b(?![.,]\d))?"
)
#: German and Dutch streets, one word and a number: "Hauptstraße 14", "Prinsengracht 263".
_COMPOUND_STREET = re.compile(
    r"\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|str\.|weg|gasse|allee|platz|damm|ufer|"
    r"gracht|laan|straat|plein|kade|dijk|singel|steeg)\s+\d{1,4}[a-z]?\b(?![.,]\d)"
)
#: A landmark given as part of directions: "behind the Shell filling station", "opposite
#: the Sri Ram Nagar bus stop".
_LANDMARK = re.compile(
    r"\b(?i:behind|after|before|opposite|near|next to|beside|past|across from|facing|by)\s+"
    r"(?i:the)\s+(?P<v>[A-Z][\w'’]+(?:\s+[A-Z][\w'’]+){0,3}\s+(?:filling station|petrol station|"
    r"gas station|service station|bus stop|bus station|bus stand|taxi rank|roundabout|"
    r"junction|market|mosque|church|temple|chapel)\b)"
)
#: A six-digit postcode with its city word: "Singapore 600214", "Chennai 600086".
_CITY_PIN = re.compile(
    r"\b(?!(?:Invoice|Ref|Reference|Room|Account|Member|Policy|Claim|Order|Case|Ticket|Number|"
    r"No|Code|Pin|PIN|Id|ID|Receipt|Step|Page|Flight|Bus|Route)\b)[A-Z][a-z]{2,}\s+"
    r"(?!\d{3}\s?000\b)\d{3}\s?\d{3}\b"
    r"(?![\w.,-]?\d)(?!\s*(?:pounds|quid|dollars|euros|rupees|steps|people|words|%))"
)
#: An apartment or suite named on its own, after its street: "apartment 3R", "Suite 400".
_UNIT_ALONE = re.compile(
    r"\b(?:(?:[Aa]partment|[Aa]pt\.?|[Ff]lat|[Ss]uite|Unit)\s+(?:[A-Z]-?)?\d{1,4}[A-Za-z]?"
    r"|unit\s+\d{1,4}[A-Z])\b"
    r"(?![.,:]\d)(?!\s*(?:pounds|quid|dollars|euros|%|percent))"
)
#: Singapore blocks and units: "Blk 271A Compassvale Bow", "#09-22".
_BLOCK = re.compile(
    r"\b(?:Blk\.?|Block)\s+\d{1,4}[A-Z]?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,3}"
    r"(?:,?\s+#\d{1,3}-\d{1,5})?\b|(?<![\w#])#\d{2}-\d{2,5}\b"
)
#: A street typed in lower case with its number, as chat gives it: "88 charles st e",
#: "17 w oak ln", "apt 1207 88 charles st e toronto", "600 college ave ithaca ny 14850".
_CHAT_STREET = re.compile(
    rf"(?<![\w.,£$€-])(?:(?:apt|apartment|unit|flat|suite|ste)\.?\s+\d{{1,5}}[a-z]?,?\s+)?"
    rf"\d{{1,5}}[a-z]?\s+(?:[nsew]\.?\s+)?{_LOWER_WORD}(?:\s+{_LOWER_WORD}){{0,2}}\s+"
    r"(?:st|rd|ave|ln|dr|blvd|ct|pl|cres|tce|hwy|pkwy|street|road|avenue|lane|drive)\b"
    r"(?:\s+[nsew]\b)?(?:(?:,?\s+[a-z]+){1,2},?\s+[a-z]{2}\s+\d{5}\b)?"
)
#: Eircodes typed in lower case: "r95 kx04".
_EIRCODE_LOWER = re.compile(
    r"(?<![\w-])(?:[ac-fhknprtv-y]\d{2}|d6w)\s?(?=[0-9ac-fhknprtv-y]{0,3}\d)[0-9ac-fhknprtv-y]{4}"
    r"(?![\w-])"
)
#: Polish streets and codes: "ul. Długa 17 m. 4", "00-238 Warszawa".
_POLISH = re.compile(
    r"\b(?i:ul|al|os|pl)\.\s*[^\W\d_][\w-]+(?:\s+[^\W\d_][\w-]+)?\s+\d{1,4}[a-zA-Z]?"
    r"(?:\s*(?:m\.|/)\s*\d{1,4})?"
    r"|(?<![\w-])\d{2}-\d{3}(?=\s+[^\W\d_]{4,}\b)(?!\s+(?i:people|minutes|hours|days|years|"
    r"pounds|more|times|steps|words|pages|miles|metres|meters|calories|dollars|euros|quid|"
    r"each|over|after|before|with|from|into|then|this|that|them|were|went)\b)"
)
#: A Dutch postcode before its town: "1016 GV Amsterdam".
_POSTCODE_NL = re.compile(r"\b[1-9]\d{3}\s?[A-Z]{2}(?=\s+[A-Z][a-z]+)")
_ROUTE = re.compile(r"\b(?:Route|Highway|Hwy|Interstate|State Route|County Road)\s+\d{1,4}\b")
_PO_BOX = re.compile(
    r"\b(?:P\.?\s?O\.?\s?Box|Post Office Box|Private Bag|PMB)\s+(?:No\.?\s*)?(?:[A-Z]{1,3}\s?)?"
    r"\d+(?:-\d+)?\b",
    _I,
)
_POSTCODE_UK = re.compile(r"\b(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|GIR\s?0AA)\b")
#: Irish Eircode (routing key and a four-character identifier with a digit in it).
_EIRCODE = re.compile(
    r"\b(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?(?=[0-9AC-FHKNPRTV-Y]{0,3}\d)[0-9AC-FHKNPRTV-Y]{4}\b"
)
_POSTCODE_CA = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d\b")
_OUTWARD_UK = re.compile(
    r"\bpost\s?code\s+(?:is\s+|was\s+|of\s+)?(?P<v>[A-Z]{1,2}\d[A-Z\d]?)\b", _I
)
#: A code after its word: "postcode is 2750", "pin code 560034", "eircode D24 X7K2".
_CODE_AFTER_WORD = re.compile(
    r"(?:\b(?:post\s?code|postal code|zip(?:\s?code)?|pin\s?code|eircode|cep|plz|"
    r"c[óo]digo postal)|\bC\.P\.)(?:['’]s\s+|\s*)"
    r"(?:is\s+|was\s+|:\s*)?"
    r"(?P<v>\d{3}\s?\d{3}\b|\d{4,5}(?:-\d{4}|-\d{3})?\b|\d{2}-\d{3}\b|\d{4}\s?[A-Za-z]{2}\b"
    r"|[A-Za-z]\d[A-Za-z]\s?\d[A-Za-z]\d\b|[A-Za-z]\d{2}\s?[A-Za-z0-9]{4}\b"
    r"|[A-Za-z]{1,2}\d[A-Za-z\d]?\s?\d[A-Za-z]{2}\b)",
    _I,
)
_STATE = (
    r"(?:AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|"
    r"NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC)"
)
_STATE_NAME = (
    r"(?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|"
    r"Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|"
    r"Massachusetts|Michigan|Minnesota|Mississippi|Missouri|Montana|Nebraska|Nevada|"
    r"New Hampshire|New Jersey|New Mexico|New York|North Carolina|North Dakota|Ohio|Oklahoma|"
    r"Oregon|Pennsylvania|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|"
    r"Vermont|Virginia|Washington|West Virginia|Wisconsin|Wyoming)"
)
_STATE_AU = r"(?:NSW|VIC|Vic|QLD|Qld|SA|WA|TAS|Tas|NT|ACT)"
_ZIP = re.compile(
    rf"\b(?:{_STATE}|{_STATE_NAME}),?\s+\d{{5}}(?:-\d{{4}})?\b|\bzip\s+(?:code\s+)?(?:is\s+)?(?P<v>\d{{5}})\b"
    rf"|\b{_STATE_AU},?\s+\d{{4}}\b"
)
#: Postcodes that may end an address: UK, ZIP(+4), Canadian, Eircode, a 6-digit Indian PIN
#: and a 4-digit Australian/NZ code (these two only here, after a street).
_TAIL_CODE = (
    r"(?:[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}|\d{5}(?:-\d{4}|-\d{3})?|\d{3}\s?\d{3}|\d{2}-\d{3}|\d{4}"
    r"|[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d"
    r"|(?:[AC-FHKNPRTV-Y]\d{2}|D6W)\s?[0-9AC-FHKNPRTV-Y]{4})"
    r"(?![\w.,-]?\d)(?!\s*(?:pounds|quid|dollars|euros|years|times|people|%))"
)
#: A unit after the street line: ", Apt 4F", ", Unit 3", ", #08-56".
_AFTER_STREET = (
    rf"(?:,?\s+(?:{_UNIT_WORD}\s+{_UNIT_NUMBER}|#\d{{1,3}}-\d{{1,5}}|R[DR]\s?\d{{1,2}}"
    r"|\d{1,2}(?:st|nd|rd|th) [Ff]loor|(?:Floor|Level) \d{1,2}|\w+ (?:étage|etage|piso|planta)"
    r"|\d{1,2}[º°ª](?:\s+(?:izquierda|derecha|izq|dcha|[A-D]))?|m\.\s?\d{1,4})\b)?"
)
_SECTOR = r"(?:,?\s+(?:Sector|Phase|Zone)\s+\d{1,3}[A-Z]?\b)?"
#: What may follow a street address and belongs to it: ", Town", ", County", a postcode.
_ADDRESS_TAIL = re.compile(
    rf"{_AFTER_STREET}{_SECTOR}(?:,?\s+(?:[A-Z][a-z'’]+(?:[ -][A-Z][a-z'’]+){{0,2}})){{0,2}}"
    rf"(?:,?\s+(?:{_STATE}|{_STATE_AU}|{_STATE_NAME})\b)?"
    rf"(?:,?\s+{_TAIL_CODE})"
)
_TOWN_TAIL = re.compile(
    rf"{_AFTER_STREET}{_SECTOR}(?:,?\s+\d{{4,5}}(?:-\d{{3}})?\s+[A-Z][a-z'’]+\b"
    rf"|,\s+[A-Z][a-z'’]+(?:[ -][A-Z][a-z'’]+){{0,2}}\b)?(?<=\w)"
)

_ABBREVIATED = re.compile(r"(?:St|Rd|Ave|Ln|Dr|Cres|Pl|Ct|Tce|Gdns|Sq|Blvd|Pkwy|Cir|Hwy)\.$")


def _street_end(text: str, end: int) -> int:
    """``end`` less a full stop that ends the sentence rather than an abbreviation."""
    if text[end - 1] == "." and _ABBREVIATED.search(text, 0, end) is None:
        return end - 1
    return end


def _with_tails(pattern: re.Pattern[str], text: str, strength: int) -> Iterator[Span]:
    """An address per match, with the unit, town and postcode that follow it."""
    for match in pattern.finditer(text):
        end = _street_end(text, match.end())
        tail = _ADDRESS_TAIL.match(text, end) or _TOWN_TAIL.match(text, end)
        if tail is not None and tail.end() > end:
            end = tail.end()
        yield Span(match.start(), end, "address", strength)


def find_addresses(text: str) -> Iterator[Span]:
    """Every address the rules find in ``text`` (they may overlap; see ``resolve``)."""
    yield from _with_tails(_HOUSE, text, 3)
    for street in _spans(_STREET_ONLY, text, "address", 2):
        yield Span(street.start, _street_end(text, street.end), "address", 2)
    yield from _spans(_STREET_ONLY_LOWER, text, "address", 2)
    if text == text.lower():
        yield from _spans(_STREET_AFTER_LOWER, text, "address", 2)
    yield from _spans(_STREET_AS_PLACE, text, "address", 2)
    for pattern in (
        _NAMED_HOUSE,
        _NUMBER_NAME_TOWN,
        _ONE_WORD_STREET,
        _RURAL,
        _RUE,
        _WORD_FIRST,
        _COMPOUND_STREET,
    ):
        yield from _with_tails(pattern, text, 2)
    for box in _PO_BOX.finditer(text):
        tail = _ADDRESS_TAIL.match(text, box.end())
        yield Span(box.start(), tail.end() if tail else box.end(), "address", 3)
    yield from _spans(_ROUTE, text, "address", 2)
    yield from _spans(_LANDMARK, text, "address", 2)
    yield from _with_tails(_BLOCK, text, 2)
    yield from _spans(_CHAT_STREET, text, "address", 2)
    yield from _spans(_EIRCODE_LOWER, text, "address", 2)
    yield from _with_tails(_POLISH, text, 2)
    yield from _spans(_POSTCODE_NL, text, "address", 2)
    yield from _spans(_CITY_PIN, text, "address", 2)
    yield from _spans(_UNIT_ALONE, text, "address", 2)
    yield from _spans(_POSTCODE_UK_LOWER, text, "address", 2)
    for street in _spans(_STREET_NAMED, text, "address", 2):
        yield Span(street.start, _street_end(text, street.end), "address", 2)
    yield from _spans(_POSTCODE_UK, text, "address")
    yield from _spans(_EIRCODE, text, "address", 2)
    yield from _spans(_POSTCODE_CA, text, "address", 2)
    yield from _spans(_OUTWARD_UK, text, "address", 2)
    yield from _spans(_CODE_AFTER_WORD, text, "address", 3)
    yield from _spans(_ZIP, text, "address", 2)
