"""Dates in talk, found and moved by a whole number of weeks.

A client's dates all move by the same offset (a multiple of seven days, so a Tuesday
stays a Tuesday and the days between two dates stay the same), and each is written back
the way it was written: ``3rd March 2023``, ``March 3``, ``03/03/23``, ``2023-03-03``,
``the third of March``. A day and month without a year move within a reference year
(the session's, else 2001); a month and year move on their 15th; ``born in 1950`` moves
its year. A weekday written with a date stays as it is (the offset keeps it true). Months
alone, weekdays alone and words like ``yesterday`` are not identifying and stay as they are.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from edgewise.deid.spans import Span, resolve

__all__ = ["DateOrder", "find_dates", "shift_date"]

DateOrder = Literal["dmy", "mdy"]

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_MONTHS["sept"] = 9
_MONTH = (
    r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?)"
)
#: A month in lower case (chat): read only beside a day written in digits ("28th of feb").
_MONTH_LOW = (
    r"(?P<mon>(?:january|february|march|april|may|june|july|august|september|october|"
    r"november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?)"
)
_WEEKDAY = (
    r"(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Mon|Tues|Tue|Wed|"
    r"Thurs|Thu|Fri|Sat|Sun)\.?,?\s+)?"
)
_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
    "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()
_WORD_DAYS = {word: n for n, word in enumerate(_ORDINAL_WORDS, 1)}
_WORD_DAYS |= {f"twenty-{w}": 20 + n for n, w in enumerate(_ORDINAL_WORDS[:9], 1)}
_WORD_DAYS |= {f"twenty {w}": 20 + n for n, w in enumerate(_ORDINAL_WORDS[:9], 1)}
_WORD_DAYS |= {"thirtieth": 30, "thirty-first": 31, "thirty first": 31}
_DAY_WORD = "|".join(sorted(map(re.escape, _WORD_DAYS), key=len, reverse=True))
_DAY = rf"(?P<d>\d{{1,2}})(?P<ord>st|nd|rd|th)?|(?P<dw>{_DAY_WORD})"
_YEAR = r"(?:,?\s+(?P<y>(?:19|20)\d{2}))?"

_PATTERNS = (
    re.compile(r"(?<![\w/.-])(?P<y>(?:19|20)\d{2})-(?P<b>\d{1,2})-(?P<a>\d{1,2})(?![\w/-])"),
    re.compile(
        r"(?<![\w/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)"
        r"(?P<y>(?:19|20)\d{2}|\d{2})(?![\w/]|\.\d)"
    ),
    re.compile(
        r"\b(?:on|from|until|till|by|since|before|after|dated|due)\s+(?:the\s+)?"
        r"(?P<a>\d{1,2})/(?P<b>\d{1,2})(?![\w/])"
    ),
    re.compile(rf"\b{_WEEKDAY}(?:the\s+)?(?:{_DAY})(?:\s+of)?\s+{_MONTH}(?!\w){_YEAR}\b"),
    re.compile(rf"\b{_WEEKDAY}{_MONTH}\s+(?:the\s+)?(?:{_DAY})(?!\w){_YEAR}\b"),
    re.compile(rf"\b{_MONTH}(?:\s+of)?,?\s+(?P<y>(?:19|20)\d{{2}})\b"),
    re.compile(
        rf"\b(?:the\s+)?(?P<d>\d{{1,2}})(?P<ord>st|nd|rd|th)?(?:\s+of)?\s+{_MONTH_LOW}(?!\w){_YEAR}\b"
    ),
    re.compile(
        rf"\b(?!may\b){_MONTH_LOW}\s+(?:the\s+)?(?P<d>\d{{1,2}})(?P<ord>st|nd|rd|th)?(?!\w){_YEAR}\b"
    ),
    re.compile(
        r"\b(?:on|from|until|till|by|since|before|after)\s+(?:the\s+)?(?:(?P<wd>Monday|"
        r"Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+)?(?:the\s+)?"
        r"(?P<d>\d{1,2})(?P<ord>st|nd|rd|th)(?!\s+(?:of\s+)?[A-Z])(?!\w)"
    ),
    re.compile(
        r"\b(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\s+the\s+"
        r"(?P<d>\d{1,2})(?P<ord>st|nd|rd|th)(?!\s+(?:of\s+)?[A-Z])(?!\w)"
    ),
    re.compile(
        r"\b(?:born|birthday|dob|d\.o\.b\.?)\s+(?:in|was|is|:)?\s*(?P<y>(?:19|20)\d{2})\b", re.I
    ),
)


@dataclass(frozen=True, slots=True)
class _Parts:
    day: int | None
    month: int | None
    year: int | None
    #: For a numeric date, the group holding the day ("a" or "b").
    day_group: str | None = None


def find_dates(text: str, order: DateOrder = "dmy") -> list[Span]:
    """Every date in ``text`` that can be moved (see the module's description), the
    longest where spellings overlap (``Tuesday 3rd March 2023``, not ``March 2023``)."""
    found: list[Span] = []
    for match in _matches(text):
        if _parts(match, order) is not None:
            start, end = _trimmed(match)
            found.append(Span(start, end, "date", 3))
    return resolve(found)


def shift_date(
    text: str, span: Span, days: int, order: DateOrder = "dmy", year: int | None = None
) -> str:
    """The date at ``span`` of ``text`` (as :func:`find_dates` found it) moved by ``days``
    and written the same way; ``year``: the reference year for a date written without one.
    A span that is no date it can move comes back as it was."""
    for match in _matches(text):
        if _trimmed(match) == (span.start, span.end):
            parts = _parts(match, order)
            if parts is not None:
                return _render(match, parts, days, year or 2001)
    return text[span.start : span.end]


def _matches(text: str) -> Iterator[re.Match[str]]:
    for pattern in _PATTERNS:
        yield from pattern.finditer(text)


def _trimmed(match: re.Match[str]) -> tuple[int, int]:
    """The match less a leading preposition that only gave it context."""
    starts = [match.start(g) for g in ("wd", "d", "dw", "a", "mon", "y") if _has(match, g)]
    start = min(starts) if starts else match.start()
    if start > match.start() and match.group().lower().startswith(
        ("born", "birthday", "dob", "d.o")
    ):
        return start, match.end()
    prefix = match.string[match.start() : start]
    if re.match(r"(?:on|from|until|till|by|since|before|after|dated|due)\b", prefix):
        if prefix.endswith("the ") and _has(match, "d"):
            start -= 4  # "on the 3rd": "the 3rd"
        return start, match.end()
    return match.start(), match.end()


def _has(match: re.Match[str], group: str) -> bool:
    return group in match.re.groupindex and match.group(group) is not None


def _parts(match: re.Match[str], order: DateOrder) -> _Parts | None:
    groups = {k: v for k, v in match.groupdict().items() if v is not None}
    year = _year(groups["y"]) if "y" in groups else None
    day_group = None
    day: int | None
    month: int | None
    if "a" in groups:
        a, b = int(groups["a"]), int(groups["b"])
        iso = _has(match, "y") and match.start("y") < match.start("a")
        day_first = iso or a > 12 or (b <= 12 and order == "dmy")
        day, month = (a, b) if day_first else (b, a)
        day_group = "a" if day_first else "b"
    else:
        month = _MONTHS[groups["mon"].rstrip(".").lower()] if "mon" in groups else None
        day = int(groups["d"]) if "d" in groups else _WORD_DAYS.get(groups.get("dw", "").lower())
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None:
        limit = calendar.monthrange(year or 2000, month)[1] if month else 31
        if not 1 <= day <= limit:
            return None
    return _Parts(day, month, year, day_group)


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 2:
        value += 2000 if value <= dt.date.today().year % 100 + 1 else 1900
    return value


def _render(match: re.Match[str], parts: _Parts, days: int, ref: int) -> str:
    year = parts.year if parts.year is not None else ref
    base = dt.date(year, parts.month or 7, parts.day or (15 if parts.month else 1))
    moved = base + dt.timedelta(days=days)
    edits: dict[str, str] = {}
    if _has(match, "y"):
        edits["y"] = str(moved.year)[-len(match.group("y")) :]
    if parts.day_group is not None:
        day_group = parts.day_group
        month_group = "b" if day_group == "a" else "a"
        pad = len(match.group("a")) == len(match.group("b")) == 2
        edits[day_group] = _padded(moved.day, match.group(day_group), pad)
        edits[month_group] = _padded(moved.month, match.group(month_group), pad)
    if _has(match, "mon"):
        edits["mon"] = _month_like(moved.month, match.group("mon"))
    if _has(match, "d"):
        edits["d"] = _padded(moved.day, match.group("d"))
        if _has(match, "ord"):
            edits["ord"] = _suffix(moved.day)
    if _has(match, "dw"):
        edits["dw"] = _day_word(moved.day, match.group("dw"))
    text = match.string
    out, at = [], match.start()
    start, end = _trimmed(match)
    for group in sorted(edits, key=match.start):
        out.append(text[at : match.start(group)])
        out.append(edits[group])
        at = match.end(group)
    out.append(text[at : match.end()])
    return "".join(out)[start - match.start() : len("".join(out)) - (match.end() - end)]


def _padded(value: int, like: str, pad: bool = False) -> str:
    return str(value).zfill(2) if pad or like.startswith("0") else str(value)


def _suffix(day: int) -> str:
    if 10 <= day % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


def _month_like(month: int, like: str) -> str:
    bare = like.rstrip(".")
    full = bare.lower() in {m.lower() for m in calendar.month_name if m}
    name = calendar.month_name[month] if full else calendar.month_abbr[month]
    if bare.lower() == "sept" and month == 9:
        name = "Sept"
    name = name.lower() if bare.islower() else name  # "28th of feb" stays in lower case
    return name + ("." if like.endswith(".") and not full else "")


def _day_word(day: int, like: str) -> str:
    words = [w for w, n in _WORD_DAYS.items() if n == day and ("-" in w) == ("-" in like)]
    word = words[0] if words else next(w for w, n in _WORD_DAYS.items() if n == day)
    return word.capitalize() if like[:1].isupper() else word
