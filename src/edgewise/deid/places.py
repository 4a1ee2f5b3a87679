"""Places in talk: towns, venues, schools, employers, hospitals.

The model's locations and organisations are kept unless they are services everyone uses
(the NHS, a GP, CBT, WhatsApp), a month or a weekday, or a known person's name. edgewise's
own rules add capitalised names that end in a kind of place (``Oakfield Primary``,
``St James's Hospital``, ``the Red Lion``), employers after ``work at``/``work for``, and
proper nouns after ``live in``, ``moved to``, ``from``, ``near``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from edgewise.deid.names import NOT_NAMES, capitalised
from edgewise.deid.spans import Span, Token

__all__ = ["find_places"]

#: Names of services and things everyone uses: not identifying.
GENERIC = frozenset(
    "nhs gp gps a&e cbt dbt act emdr aa na ssri ssris adhd add ocd ptsd bpd iapt camhs dwp "
    "pip esa jsa uc covid zoom teams whatsapp facebook instagram tiktok snapchat twitter x "
    "youtube google netflix spotify reddit linkedin police samaritans mind shout "
    "universal credit phq gad phq-9 gad-7 tv bbc itv uk usa us eu mrn va ssn id dob ni "
    "hr it ok home office".split()
)
_LEADING = re.compile(r"(?:the|my|your|our|his|her|their)\s+", re.I)
#: Words that end a place's name.
PLACE_WORDS = frozenset(
    "school primary academy college university uni hospital infirmary clinic surgery "
    "centre center church chapel cathedral mosque temple synagogue gurdwara park library "
    "prison station airport stadium arms inn tavern hotel café cafe bar pub gym pool market "
    "mall ltd limited inc plc llc group council trust foundation bank estate ward unit "
    "practice pharmacy chemist nursery college's hall studios works factory warehouse "
    "restaurant bakery salon barbers cinema theatre theater club leisure brewery shop store "
    "garage depot office offices studio farm lodge house hostel refuge hospice mill yard "
    "services surgery's arena centre's".split()
)
_CONNECTORS = frozenset("st st. of the and & 's ’s saint".split())
_WORK = frozenset("work works worked working job employed volunteer volunteers volunteered".split())
_PLACE_PREP = frozenset("in from near outside around to at".split())
_LIVE = frozenset("live lives lived living moved move grew born raised based".split())
_CALENDAR = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday christmas easter".split()
)


def _ok(text: str, known: frozenset[str]) -> bool:
    words = text.lower().removeprefix("the ").split()
    if not words or text.lower() in GENERIC or all(w in GENERIC for w in words):
        return False
    if any(w in _CALENDAR for w in words) and len(words) <= 2:
        return False
    if all(w in known or w in NOT_NAMES for w in words):
        return False
    return any(c.isupper() for c in text)


def _model_places(found: Iterable[Span], text: str, known: frozenset[str]) -> list[Span]:
    out = []
    for span in found:
        if span.kind != "place":
            continue
        lead = _LEADING.match(text, span.start, span.end)
        start = lead.end() if lead else span.start
        if _ok(text[start : span.end], known):
            out.append(Span(start, span.end, "place", span.strength))
    return out


def _named_places(tokens: Sequence[Token]) -> list[Span]:
    """Capitalised names ending in a kind of place: ``Leeds General Infirmary``."""
    out = []
    for i, token in enumerate(tokens):
        if token.text.lower() not in PLACE_WORDS or not capitalised(token.text):
            continue
        j = i
        while j > 0 and i - j < 5:
            prev = tokens[j - 1]
            if capitalised(prev.text) or prev.text.lower() in _CONNECTORS - {"the", "and"}:
                j -= 1
            else:
                break
        while j < i and tokens[j].text.lower() in _CONNECTORS - {"st", "st.", "saint"}:
            j += 1
        if j < i and any(capitalised(t.text) for t in tokens[j:i]):
            out.append(Span(tokens[j].start, token.end, "place", 2))
    return out


def _proper_run(tokens: Sequence[Token], i: int) -> int:
    """The end of the run of capitalised words from ``i`` (at most four)."""
    end = i
    while end < len(tokens) and end - i < 4:
        word = tokens[end].text
        if capitalised(word) or (end > i and word.lower() in ("of", "&")):
            end += 1
        else:
            break
    while end > i and not capitalised(tokens[end - 1].text):
        end -= 1
    return end


def _pub_names(tokens: Sequence[Token]) -> list[Span]:
    """``the Dog and Duck``, ``the Fox & Hounds``: a venue named by two capitalised words."""
    out = []
    for i in range(1, len(tokens) - 3):
        a, joint, b = tokens[i], tokens[i + 1], tokens[i + 2]
        if tokens[i - 1].text.lower() == "the" and joint.text.lower() in ("and", "&"):
            if capitalised(a.text) and capitalised(b.text):
                out.append(Span(a.start, b.end, "place", 2))
    return out


def _cued_places(tokens: Sequence[Token], known: frozenset[str]) -> list[Span]:
    """Employers after ``work at``/``for``; proper nouns after ``live in``/``from``/..."""
    out = []
    for i in range(1, len(tokens)):
        back = 2 if tokens[i - 1].text.lower() == "the" and i > 1 else 1
        prev = tokens[i - back].text.lower()
        before = tokens[i - back - 1].text.lower() if i > back else ""
        if prev not in ("at", "for", "in", "from", "near", "to", "outside", "around"):
            continue
        end = _proper_run(tokens, i)
        if end == i or tokens[i].text.lower() in _CALENDAR:
            continue
        words = [t.text.lower() for t in tokens[i:end]]
        if all(w in known or w in NOT_NAMES for w in words):
            continue
        work = before in _WORK and prev in ("at", "for")
        lives = before in _LIVE and prev in _PLACE_PREP
        proper = all(t.pos == "PROPN" for t in tokens[i:end]) and prev in _PLACE_PREP
        if work or lives or (proper and tokens[i].ent not in ("PERSON", "")):
            out.append(
                Span(tokens[i].start, tokens[end - 1].end, "place", 2 if work or lives else 1)
            )
    return out


def find_places(
    tokens: Sequence[Token], text: str, model_found: Iterable[Span], known: frozenset[str]
) -> list[Span]:
    """The places in ``text``: the model's (checked) and edgewise's own rules'."""
    found = _model_places(model_found, text, known)
    found += _named_places(tokens)
    found += _pub_names(tokens)
    found += _cued_places(tokens, known)
    return found
