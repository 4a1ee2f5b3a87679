"""Documented language markers the analysis reads beside the coder's codes.

Each marker is a small set of regular expressions over lower-cased text. They
are deliberately narrow: a marker only moves a score when its words are there.
The list is described in ``docs/analyze.md``; change both together.
"""

from __future__ import annotations

import re

from edgewise.coding.strain import any_of

__all__ = [
    "THERAPIST_MARKERS",
    "any_of",
    "has_marker",
    "is_minimal",
    "therapist_markers",
    "word_count",
]


#: Therapist markers, by name (names match ``adjustments`` in the weights).
THERAPIST_MARKERS: dict[str, re.Pattern[str]] = {
    # Holds both sides of the ambivalence in one reflection.
    "double_sided": any_of(
        r"\bon (?:the )?one hand\b",
        r"\bon the other hand\b",
        r"\bpart of you\b",
        r"\b(?:and|but) (?:at the same time|yet)\b",
        r"\bboth\b.*\band\b.*\b(?:also|too)\b",
    ),
    # Asks about change, motives, importance or the future the client wants.
    "evocative": any_of(
        r"\bwhy (?:would|might) you want\b",
        r"\bhow (?:important|confident|ready|willing)\b",
        r"\bwhat (?:would|might|could) (?:be different|change|it take|make)\b",
        r"\bwhat (?:are|were) (?:some of )?the "
        r"(?:good things|downsides|not so good|reasons|benefits)",
        r"\bwhat (?:worries|concerns) you\b",
        r"\bwhere does (?:that|this) leave you\b",
        r"\bwhat do you (?:want|hope)\b",
        r"\bon a scale\b",
    ),
    # Names a pattern or what is happening between client and clinician now.
    "immediacy": any_of(
        r"\bi(?:'m| am)? notic(?:e|ing)\b",
        r"\bbetween (?:us|you and me)\b",
        r"\b(?:right now|in this room|here with me)\b.*\b(?:you|we)\b",
        r"\bthe pattern\b",
        r"\bkeeps? coming back\b",
    ),
    # Emphasises the client's choice and control.
    "autonomy": any_of(
        r"\bup to you\b",
        r"\byour (?:choice|decision|call)\b",
        r"\byou(?:'re| are) the (?:one|expert|best judge)\b",
        r"\bonly you\b",
        r"\byou (?:get to )?decide\b",
    ),
    # Asks before giving information or advice.
    "permission": any_of(
        r"\bwould (?:it be|you be) (?:ok|okay|alright|all right)\b",
        r"\bcan i (?:share|tell|offer|suggest)\b",
        r"\bmay i\b",
        r"\bdo you mind if\b",
        r"\bwould you like (?:some|to hear|me to)\b",
    ),
    # Repairs a strain: apology, owning a push, checking how the talk lands.
    "repair": any_of(
        r"\bsorry\b",
        r"\bi (?:may|might) have (?:pushed|gone|been|jumped)\b",
        r"\b(?:let me|let's) (?:step|slow|back) (?:back|down|up)\b",
        r"\bi (?:went|was going) too (?:fast|far)\b",
        r"\bthat(?:'s| is) (?:fair|a fair point)\b",
        r"\byou(?:'re| are) right\b",
        r"\bhow (?:is|was) (?:this|that) (?:for you|landing|feeling)\b",
        r"\bdid (?:that|i) (?:come across|sound|feel)\b",
    ),
}

#: Client markers of withdrawal: deflecting, shutting down or changing the subject.
_WITHDRAWN = any_of(
    r"^\s*(?:i )?(?:don'?t|dunno)(?: know)?[.!?]*\s*$",
    r"^\s*(?:i don'?t know|whatever|maybe|i guess|fine|sure|not really|no idea)[.!?,]*\s*$",
    r"\bcan we (?:talk about|change|move on)\b",
    r"\b(?:anyway|anyways)\b,",
    r"\bi(?:'d| would) rather not\b",
    r"\bdon'?t want to talk about\b",
    r"\bnext question\b",
)

_WORD = re.compile(r"[\w']+")


def word_count(text: str) -> int:
    """Words in ``text`` (letters, digits and apostrophes)."""
    return len(_WORD.findall(text))


def therapist_markers(text: str) -> tuple[str, ...]:
    """Names of the therapist markers present in ``text``."""
    low = text.lower()
    return tuple(name for name, pattern in THERAPIST_MARKERS.items() if pattern.search(low))


def has_marker(text: str, name: str) -> bool:
    """Whether therapist marker ``name`` is present in ``text``."""
    return THERAPIST_MARKERS[name].search(text.lower()) is not None


def is_minimal(text: str, max_words: int) -> bool:
    """A minimal or deflecting answer: at most ``max_words`` words, or a withdrawal phrase."""
    return word_count(text) <= max_words or _WITHDRAWN.search(text.lower()) is not None
