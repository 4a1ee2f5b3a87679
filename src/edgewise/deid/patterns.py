"""Identifiers with a shape of their own: contact details, numbers, addresses, old ages.

These are the rules that do not need a language model: each regular expression checks
the shape (and where the shape is common, the words around it) of one kind of
identifier. Addresses are in :mod:`edgewise.deid.addresses` (called from here), dates in
:mod:`edgewise.deid.dates`, names in :mod:`edgewise.deid.names`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from edgewise.deid.addresses import ADDRESS_RULES_VERSION, find_addresses
from edgewise.deid.spans import Kind, Span, matched

__all__ = ["ADDRESS_RULES_VERSION", "find_patterns"]

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
_CODE = re.compile(r"\b[A-Z]{1,4}-\d{4,}\b|\b[A-Z]{2,4}\d{5,}\b|\b[A-Z]\d{7,}\b")
#: The same shapes typed in lower case (chat): read only in a turn with no capitals.
_NINO_LOW = re.compile(_NINO.pattern, re.I)
_GROUPED_LOW = re.compile(_GROUPED.pattern.replace("A-Z", "a-z"))
_CODE_LOW = re.compile(r"\b[a-z]{1,4}-\d{4,}\b|\b[a-z]{1,4}\d{6,}\b")

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


_spans = matched


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
    chat = text == text.lower()
    yield from _spans(_NINO_LOW if chat else _NINO, text, "id")
    yield from _spans(_PLATE_UK, text, "id")
    yield from _spans(_SORT_CODE, text, "id")
    for match in _ID_AFTER_WORD.finditer(text):
        start, end = match.span("value")
        value = match.group("value").rstrip("-/# ")
        if _digits(value) >= 3 or (len(value) >= 5 and any(c.isdigit() for c in value)):
            yield Span(start, start + len(value), "id", 3)
    yield from _spans(_LONG_NUMBER, text, "id", 2)
    for match in (_GROUPED_LOW if chat else _GROUPED).finditer(text):
        value = match.group()
        groups, digits = len(re.split(r"[/-]", value)), _digits(value)
        lettered = any(c.isalpha() for c in value)
        if (lettered and digits >= 3) or (groups >= 3 and digits >= 6):
            yield Span(match.start(), match.end(), "id", 2)
    yield from _spans(_CODE_LOW if chat else _CODE, text, "id", 2)


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
    found += find_addresses(text)
    found += _spans(_AGE, text, "age", 3)
    return found
