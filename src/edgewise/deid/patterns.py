"""Identifiers with a shape of their own: contact details, numbers, addresses, old ages.

These are the rules that do not need a language model: each regular expression checks
the shape (and where the shape is common, the words around it) of one kind of
identifier. Dates are in :mod:`edgewise.deid.dates`, names in :mod:`edgewise.deid.names`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from edgewise.deid.spans import Kind, Span

__all__ = ["find_patterns"]

_I = re.IGNORECASE

# --- email and web -------------------------------------------------------------------
_EMAIL = re.compile(r"\b[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b", _I)
#: Spoken emails: "jo dot smith at gmail dot com".
_TLD_SPOKEN = r"(?:com|org|net|co\s+dot\s+uk|org\s+dot\s+uk|ac\s+dot\s+uk|nhs\s+dot\s+uk|uk|ie|io)"
_EMAIL_SPOKEN = re.compile(
    rf"\b[\w-]+(?:\s+(?:dot|underscore)\s+[\w-]+)*\s+at\s+[\w-]+(?:\s+dot\s+[\w-]+)*?"
    rf"\s+dot\s+{_TLD_SPOKEN}\b",
    _I,
)
_TLD = (
    r"(?:com|org|net|info|biz|io|ly|me|app|dev|co|uk|ie|us|ca|au|nz|in|de|fr|es|it|nl|eu|"
    r"edu|gov|tv|online|site|xyz|health|care)"
)
_URL = re.compile(
    r"\b(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]"
    rf"|\b(?<![@\w.-])(?:[a-z0-9-]+\.)+{_TLD}(?:\.[a-z]{{2}})?(?:/[^\s<>\"']*[^\s<>\"'.,;:!?)\]])?"
    r"(?![\w@-])",
    _I,
)
_HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,28}[A-Za-z0-9_])?\b")

# --- telephone numbers -----------------------------------------------------------------
#: A run of digit groups with an international prefix or a leading 0 / area code in
#: brackets, 9 to 15 digits in all; separators are spaces, dots, dashes.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)\d{1,3}[\s.-]?(?:\(0\)\s?)?\(?\d{1,5}\)?(?:[\s.-]?\d{2,5}){1,4}(?!\w)"
    r"|(?<![\w+])\(\d{2,5}\)\s?\d{3,4}[\s.-]?\d{3,4}(?!\w)"
    r"|(?<![\w+])0\d{2,4}[\s.-]?\d{3,4}[\s.-]?\d{3,4}(?!\w)"
    r"|(?<![\w+])0\d{3}[\s.-]?\d{6,7}(?!\w)"
    r"|(?<![\w+])0\d{9,10}(?!\w)"
)
#: North American numbers without a prefix: 415-555-0134, 415.555.0134, 415 555 0134.
_PHONE_NA = re.compile(r"(?<![\w+-])[2-9]\d{2}([.-]|\s)[2-9]\d{2}\1\d{4}(?![\w-])")
#: Seven-digit local numbers after a word of phoning: "call me on 555-0147".
_PHONE_SEVEN = re.compile(
    r"\b(?:phone|mobile|cell|number|landline|line|call|ring|text|reach|on|is|dial)\b[^.?!\d]{0,25}"
    r"(?<![\w+-])(?P<v>\d{3}[-.]\d{4})(?![\w-]|[.,]\d)",
    _I,
)
#: Eight-digit local numbers in two groups of four (Singapore, Hong Kong): 9123 4567; no
#: year or money ("2019 2020", "£8,500 1000").
_PHONE_EIGHT = re.compile(r"(?<![\w+£$€.,-])[3689]\d{3} \d{4}(?![\w.,-]?\d)")
#: Words of a number read out digit by digit: "oh seven seven oh oh, nine oh oh, eight six two".
_TEENS = frozenset(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
)
_TENS_WORDS = frozenset("twenty thirty forty fifty sixty seventy eighty ninety".split())
_UNITS = frozenset("oh o zero nought one two three four five six seven eight nine".split())
#: Digits a word adds: "double"/"triple" repeat the next digit, "hundred" adds two zeros.
_WORD_DIGITS = {"double": 1, "triple": 2, "hundred": 2} | dict.fromkeys(_TEENS | _TENS_WORDS, 2)
_NONZERO = _UNITS - {"oh", "o", "zero", "nought"}


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


#: One such word, or a tens word with its unit ("thirty-six").
_DIGIT_WORD = (
    rf"(?:(?:{_alternatives(_TENS_WORDS)})(?:[- ](?:{_alternatives(_NONZERO)}))?"
    rf"|{_alternatives(_UNITS | _TEENS | _WORD_DIGITS.keys())})"
)
_SPOKEN_PHONE = re.compile(rf"\b{_DIGIT_WORD}(?:(?:,\s*|\s+|-){_DIGIT_WORD}){{5,}}\b", _I)
_PHONE_WORDS = re.compile(
    r"\b(?:phone|mobile|cell|number|landline|ring|rang|call|calls|text|whatsapp|reach|contact|"
    r"fax|on|is)\b[^.?!]{0,40}$",
    _I,
)
_EXTENSION = re.compile(r",?\s*(?:ext\.?|extension|x)\s*\d{1,5}\b", _I)
#: An extension given on its own: "ext 214", "extension 32", "x4102" (an "x" only where
#: the turn talks of a phone or an extension).
_EXTENSION_ALONE = re.compile(
    r"\b(?:ext\.?|extension)\s*(?:is\s+|number\s+)?\d{1,5}\b"
    r"|(?<![\w.-])(?P<x>x\s?\d{3,5})\b",
    _I,
)
_EXTENSION_CONTEXT = re.compile(r"\b(?:ext\.?|extension|phone|line|number|dial|direct)\b", _I)
#: The last digits of a number: "the one ending four one seven", "ends in 0417".
_PHONE_ENDING = re.compile(
    rf"\b(?:ending|ends|ended)\s+(?:in\s+|with\s+)?"
    rf"(?P<v>\d{{3,4}}\b|{_DIGIT_WORD}(?:[\s,-]+{_DIGIT_WORD}){{2,3}}\b)",
    _I,
)
#: A number given in pieces across a sentence: "oh eight five, then, em, five five five,
#: and then oh one six two"; "zero two one is the area code, then it's 555 and, um, 0162".
_PIECE = re.compile(
    rf"(?<![\w£$€.,:/-])(?:\d{{3,5}}(?![\w:/%£$€]|[.,]\d)|{_DIGIT_WORD}(?:[\s-]+{_DIGIT_WORD}){{2,4}}\b)",
    _I,
)
_PIECE_GAP = re.compile(
    r"^[\s,.…-]*(?:(?:then|and|um|umm|em|erm|er|uh|it['’]?s|is|the|area|code|so|"
    r"okay|ok|sorry|wait|after|that)[\s,.…-]+){0,6}$",
    _I,
)
_PIECE_CONTEXT = re.compile(
    r"\b(?:phone|mobile|cell|number|landline|area code|dial|ring|call|text|whatsapp)\b", _I
)

# --- identifiers -----------------------------------------------------------------------
_NHS_CONTEXT = re.compile(r"\bnhs\b|\bchi\b|\bhealth (?:and care )?number", _I)
_TEN_DIGITS = re.compile(r"(?<![\w+])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?![\w-])")
_SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])")
_NINO = re.compile(r"\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b")
_PLATE_UK = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")
_SORT_CODE = re.compile(r"(?<![\w-])\d{2}-\d{2}-\d{2}(?![\w-])")
#: Letters and digits in groups: BCX-448-21977, HB/2023/88412 (filtered in ``_ids``).
_GROUPED = re.compile(r"(?<![\w/-])[A-Z0-9]+(?:[/-][A-Z0-9]+)+(?![\w/-])")
#: Words that say an identifier follows ("my case number is ...").
_ID_WORDS = (
    r"(?:mrn|medical record(?: number)?|hospital (?:number|no\.?)|patient (?:id|number|no\.?)|"
    r"nhs (?:number|no\.?)|account(?: number| no\.?)?|acct(?: no\.?)?|case(?: number| no\.?|"
    r" ref(?:erence)?)?|(?:crime |booking |claim |case |incident |reference )?ref(?:erence)?"
    r"(?: number| no\.?)?|claim(?: number| no\.?)?|policy(?: number| no\.?)?|"
    r"member(?:ship)?(?: id| number| no\.?)|client (?:id|number)|customer (?:id|number)|"
    r"incident(?: number| no\.?)?|licen[cs]e(?: number| no\.?)?|passport(?: number| no\.?)?|"
    r"social security(?: number)?|ssn|national insurance(?: number)?|ni number|"
    r"employee (?:id|number)|staff (?:id|number)|student (?:id|number)|badge(?: number)?|"
    r"id(?: number)?|registration(?: number)?|reg(?: number)?|(?:number )?plate|"
    r"sort code|card(?: number)?|pin|invoice(?: number)?|order(?: number)?|tracking(?: number)?|"
    r"file(?: number)?|docket(?: number)?|prisoner (?:number|id)|benefit (?:number|id))"
)
_ID_VALUE = r"(?=[A-Z0-9/#-]*\d)[A-Z0-9][A-Z0-9/#-]*(?:[ -][A-Z0-9]+){0,3}"
_ID_AFTER_WORD = re.compile(
    rf"\b{_ID_WORDS}\s*(?:is|was|'s|:|#|-|=|no\.?|number)?\s*(?:is\s+|was\s+|:\s*)?"
    rf"(?P<value>#?(?-i:{_ID_VALUE}))",
    _I,
)
#: A long run of digits, or letters and digits mixed, that no other rule explains.
_LONG_NUMBER = re.compile(
    r"(?<![\w.,£$€-])\d{6,}(?![\w.,-]\d)(?!\s*(?:pounds|quid|dollars|euros|grand|k\b|p\b|pence))"
)
_CODE = re.compile(r"\b[A-Z]{1,4}-\d{4,}\b|\b[A-Z]{2,4}\d{5,}\b")

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

# --- ages over 89 ----------------------------------------------------------------------
_TENS = r"(?:ninety|a hundred|one hundred|hundred)"
_OLD_NUMBER = rf"(?:9\d|1[0-1]\d|{_TENS}(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)"
_AGE = re.compile(
    rf"\b{_OLD_NUMBER}(?:[- ]?(?:years?|yrs?)[- ]old|-year-old|\s*y/?o\b|[- ]odd(?= years))"
    r"|\b(?:aged|age|turned|turning|turns|reached|reach|she's|he's|she is|he is|i'm|i am|"
    r"they're|nan's|gran's|she'll be|he'll be|nearly|almost|is now|is|was|been|be)\s+"
    rf"(?P<v>{_OLD_NUMBER}(?:[- ]?(?:years?|yrs?)[- ]old)?)\b"
    r"(?! ?(?:percent|per cent|%|pounds|quid|minutes|mins|seconds|miles|kilos|kg|times|pence|"
    r"p\b|pounds|stone|lbs|mph|degrees))"
    rf"|\b(?:in )?(?:her|his|their|my|your) (?:late |early |mid[- ])?(?:nineties|90s|hundreds)",
    _I,
)


def _spans(pattern: re.Pattern[str], text: str, kind: Kind, strength: int = 3) -> Iterator[Span]:
    """A span per match: the group ``v`` where the pattern has one and it took part."""
    named = "v" in pattern.groupindex
    for match in pattern.finditer(text):
        start, end = match.span("v") if named and match.group("v") is not None else match.span()
        yield Span(start, end, kind, strength)


def _digits(text: str) -> int:
    return sum(c.isdigit() for c in text)


def _phones(text: str) -> Iterator[Span]:
    for pattern in (_PHONE, _PHONE_NA):
        for match in pattern.finditer(text):
            if not 9 <= _digits(match.group()) <= 15:
                continue
            end = match.end()
            ext = _EXTENSION.match(text, end)
            if ext is not None:
                end = ext.end()
            before = text[max(0, match.start() - 40) : match.start()]
            kind: Kind = "id" if _NHS_CONTEXT.search(before) else "phone"
            yield Span(match.start(), end, kind, 3)


def _spoken_digits(value: str) -> int:
    """How many digits a run of spoken digit words stands for ("thirty-six" is two)."""
    words = re.findall(r"[a-z]+", value.lower())
    count, i = 0, 0
    while i < len(words):
        word = words[i]
        count += _WORD_DIGITS.get(word, 1)
        if word in _TENS_WORDS and i + 1 < len(words) and words[i + 1] in _UNITS - {"oh", "o"}:
            i += 1  # "thirty six": the unit is the tens' second digit
        i += 1
    return count


def _spoken_phones(text: str) -> Iterator[Span]:
    for match in _SPOKEN_PHONE.finditer(text):
        digits = _spoken_digits(match.group())
        if digits < 8 or digits > 15:
            continue
        before = text[max(0, match.start() - 60) : match.start()]
        if digits >= 10 or _PHONE_WORDS.search(before) or before.rstrip().endswith((",", ".")):
            yield Span(match.start(), match.end(), "phone", 2)


def _phone_parts(text: str) -> Iterator[Span]:
    """Extensions on their own, last digits, and a number given in pieces."""
    for match in _EXTENSION_ALONE.finditer(text):
        if match.group("x") is not None and _EXTENSION_CONTEXT.search(text) is None:
            continue
        yield Span(match.start(), match.end(), "phone", 2)
    yield from _spans(_PHONE_ENDING, text, "phone", 2)
    if _PIECE_CONTEXT.search(text) is not None:
        for run in _piece_runs(text):
            digits = sum(_digits(m.group()) or _spoken_digits(m.group()) for m in run)
            zero = any(_ZERO_FIRST.match(m.group()) for m in run)
            if len(run) >= 2 and 8 <= digits <= 15 and zero:
                yield from (Span(m.start(), m.end(), "phone", 2) for m in run)


_ZERO_FIRST = re.compile(r"0|(?:oh|o|zero|nought)\b", _I)


def _piece_runs(text: str) -> list[list[re.Match[str]]]:
    """Digit groups (no years) joined only by fillers ("then", "and, um,", "is the area code")."""
    runs: list[list[re.Match[str]]] = []
    for piece in _PIECE.finditer(text):
        if re.fullmatch(r"(?:19|20)\d\d", piece.group()):
            continue
        gap = text[runs[-1][-1].end() : piece.start()] if runs else ""
        if gap.strip() and _PIECE_GAP.match(gap):
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


def _ids(text: str) -> Iterator[Span]:
    for match in _TEN_DIGITS.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        if _NHS_CONTEXT.search(before):
            yield Span(match.start(), match.end(), "id", 4)
    yield from _spans(_SSN, text, "id", 4)
    yield from _spans(_NINO, text, "id")
    yield from _spans(_PLATE_UK, text, "id")
    yield from _spans(_SORT_CODE, text, "id")
    for match in _ID_AFTER_WORD.finditer(text):
        start, end = match.span("value")
        value = match.group("value").rstrip("-/# ")
        if _digits(value) >= 3 or (len(value) >= 5 and any(c.isdigit() for c in value)):
            yield Span(start, start + len(value), "id", 3)
    yield from _spans(_LONG_NUMBER, text, "id", 2)
    for match in _GROUPED.finditer(text):
        value = match.group()
        groups, digits = len(re.split(r"[/-]", value)), _digits(value)
        lettered = any(c.isalpha() for c in value)
        if (lettered and digits >= 3) or (groups >= 3 and digits >= 6):
            yield Span(match.start(), match.end(), "id", 2)
    yield from _spans(_CODE, text, "id", 2)


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


def _addresses(text: str) -> Iterator[Span]:
    yield from _with_tails(_HOUSE, text, 3)
    for street in _spans(_STREET_ONLY, text, "address", 2):
        yield Span(street.start, _street_end(text, street.end), "address", 2)
    yield from _spans(_STREET_ONLY_LOWER, text, "address", 2)
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


def find_patterns(text: str) -> list[Span]:
    """Every shape-checked identifier in ``text`` (they may overlap; see ``resolve``)."""
    found: list[Span] = []
    found += _spans(_EMAIL, text, "email", 4)
    found += _spans(_EMAIL_SPOKEN, text, "email", 4)
    emails = [s for s in found if s.kind == "email"]
    for match in _URL.finditer(text):
        url = Span(match.start(), match.end(), "url", 3)
        if not any(url.overlaps(e) for e in emails):
            found.append(url)
    found += _spans(_HANDLE, text, "url", 2)
    found += _phones(text)
    found += _spans(_PHONE_EIGHT, text, "phone", 2)
    found += _spans(_PHONE_SEVEN, text, "phone", 2)
    found += _spoken_phones(text)
    found += _phone_parts(text)
    found += _ids(text)
    found += _addresses(text)
    found += _spans(_AGE, text, "age", 3)
    return found
