"""Documented language markers for the flags AnnoMI does not code.

Each flag has a list of regular expressions (case-insensitive) written from
clinical knowledge of how the behaviour is usually worded and checked only
against the tuning sets (``data/flags/tuning*.jsonl``), never against the
evaluation sets. The flag model (``edgewise.coding.flags``) uses the number of
marker hits as a feature beside the sentence embeddings; for ``risk`` a hit
alone raises the flag, because risk screening must favour recall.

The risk wording lives in :mod:`edgewise.coding.risk_markers`. It is matched on
the *literal* text (:func:`literal_text`): figurative and harmless uses
("this commute is killing me", "dying for a smoke", "cutting down") are blanked
out first, and an explicit "not literally" stops the risk markers for that
utterance.
"""

from __future__ import annotations

import re
from functools import lru_cache

from edgewise.coding.risk_markers import (
    RISK_DENIAL,
    RISK_IDIOMS,
    RISK_MARKERS,
    RISK_QUESTION,
    RISK_TERMS,
    RISK_VETO,
    literal_text,
)

__all__ = [
    "MARKERS",
    "MARKERS_VERSION",
    "RISK_IDIOMS",
    "RISK_TERMS",
    "answers_risk_question",
    "count_markers",
    "literal_text",
    "marker_hits",
    "risk_terms",
]

MARKERS_VERSION = "1.3.2"

MARKERS: dict[str, tuple[str, ...]] = {
    "affirmation": (
        r"\b(that|it) (took|takes) (a lot of |real |some )?(courage|guts|strength|effort|work)\b",
        r"\b(you should|you can|you could) (be|feel) (really |so |very )?proud\b",
        r"\byou('ve| have) (really )?(worked|tried|managed|done) (so |really )?(hard|well)\b",
        r"\b(makes|make) (a lot of |total |complete |perfect )?sense\b",
        r"\b(anyone|anybody|most people) (would|in your (position|shoes))\b",
        r"\b(understandable|impressive|admirable|remarkable)\b",
        r"\b(good|great|well) (for you|done)\b",
        r"\bi (really )?(admire|appreciate|respect)\b",
        r"\byou (clearly|really) (care|love|value)\b",
        r"\b(strength|resilien\w+|determination|commitment|persever\w+)\b",
    ),
    "confrontation": (
        r"\byou('re| are) (in denial|kidding yourself|fooling yourself|lying)\b",
        r"\byou('re| are) (an alcoholic|an addict)\b",
        r"\b(let's be|be) (honest|real)\b",
        r"\b(come on|face it|face facts|wake up)\b",
        r"\byou (need to|have to|must) (stop|accept|admit|face|realise|realize)\b",
        r"\byou('re| are) (just )?(making excuses|not (even )?trying|being (ridiculous|silly))\b",
        r"\bif you (don't|do not|keep)\b.*\b(you('ll| will)|going to) (die|lose|end up)\b",
        r"\b(that's|that is) (not true|nonsense|ridiculous|an excuse|just an excuse)\b",
        r"\bno,? (that's|you're|it's)\b",
        r"\bwhy (can't|won't|don't) you (just )?\b",
        r"\byou (always|never)\b",
    ),
    "unsolicited_advice": (
        r"\byou (should|need to|have to|must|ought to|'d better|had better)\b",
        r"\b(what you need|what you should|the best thing|the thing to do) (is|would be)\b",
        r"^(try|start|stop|just|go|take|make|cut|get|avoid|write|call|tell|set|switch|put)\b",
        r"\bwhy don't you\b",
        r"\bhave you (thought about|considered|tried) (just )?\w+ing\b",
        r"\b(i'd|i would) (suggest|recommend|advise)\b",
        r"\bmy advice\b",
        r"\bif i were you\b",
    ),
    "discord": (
        r"\b(you don't|you do not|you wouldn't|you'll never) (get|understand|know)\b",
        r"\b(easy for you to say|that's not what i said|i already told you|you're not listening)\b",
        r"\b(that won't|that doesn't|that wouldn't|it won't|it doesn't) (work|help)\b",
        r"\b(stop|quit) (telling|lecturing|nagging|pushing)\b",
        r"\bwhat do you know\b",
        r"\b(you sound like|you're just like) (my|everyone)\b",
        r"\b(whatever|yeah,? right|i don't need)\b",
        r"\bwhy (are|do) you (keep|always)\b",
        r"\bnot (your|this) (business|again)\b",
        r"\b(i'm|i am) not (the one|an alcoholic|an addict|the problem)\b",
    ),
    "distress": (
        r"\bi can'?t (breathe|cope|do this|take (it|this)|stop (crying|shaking)|calm down|think)\b",
        r"\b(too much|falling apart|breaking down|losing it|losing my mind|going crazy)\b",
        r"\b(panic|panicking|shaking|can't stop crying|overwhelm\w*|drowning|suffocat\w+)\b",
        r"\b(my (heart|chest) is (racing|pounding)|heart's racing)\b",
        r"\b(i'm|i am) (so )?(scared|terrified|freaking out|falling apart)\b",
        r"\bcan'?t (handle|hold it together|keep it together)\b",
        r"\b(sorry,? )?i need (a|to) (minute|moment|stop)\b",
    ),
    "risk": RISK_MARKERS,
}

_COMPILED = {
    flag: tuple(re.compile(p, re.IGNORECASE) for p in patterns)
    for flag, patterns in MARKERS.items()
}
_RISK_TERMS = tuple(re.compile(p, re.IGNORECASE) for p in RISK_TERMS)
_VETO = re.compile(RISK_VETO, re.IGNORECASE)
_QUESTION = re.compile(RISK_QUESTION, re.IGNORECASE)
_DENIAL = re.compile(RISK_DENIAL, re.IGNORECASE)


@lru_cache(maxsize=8192)  # pure; every flag's features ask for it
def risk_terms(text: str) -> int:
    """How many of the broad risk term groups occur in the literal ``text``."""
    plain = literal_text(text)
    return sum(bool(p.search(plain)) for p in _RISK_TERMS)


def marker_hits(text: str) -> dict[str, int]:
    """How many of each flag's marker patterns match ``text``."""
    return {flag: count_markers(text, flag) for flag in _COMPILED}


def answers_risk_question(text: str, previous: str) -> bool:
    """Whether ``text`` answers a risk-screening question (``previous``) without denying it."""
    if not previous or "?" not in previous or _VETO.search(previous):
        return False
    if not _QUESTION.search(literal_text(previous)):
        return False
    return not _DENIAL.search(literal_text(text).strip())


@lru_cache(maxsize=8192)  # pure; risk is asked twice per turn (features, then raised)
def count_markers(text: str, flag: str) -> int:
    """How many of ``flag``'s marker patterns match ``text`` (risk: its literal text)."""
    if flag == "risk":
        if _VETO.search(text):
            return 0
        text = literal_text(text)
    return sum(bool(p.search(text)) for p in _COMPILED[flag])
