"""Hand-built coded sessions for the analysis tests (fictional turns, no model).

``build(turns)`` makes a :class:`CodedSession` from a list of turns::

    ("therapist", "text", "reflection", "complex", {"affirmation"})
    ("client", "text", "change")
    ("client", "text", "sustain", {"discord"})
    ("other", "text")

The code (third item) is a label, set one-hot over its role's labels, or a
dict of probabilities (the label is the most probable). The subtype (fourth
item, therapist only) is a label or a dict in the same way. The last item may
be a set of flags. Utterance ``i`` has index ``i``; speakers are named after
their role (``NAMES``, or ``names={"therapist": "Coach", ...}``); the model is ``"test"``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from edgewise.analysis import StressAnalyzer, StressWeights, load_weights
from edgewise.domain import CodedSession, Role, Session, Speaker, Utterance, UtteranceCode

BEHAVIOURS = ("question", "reflection", "therapist_input", "other")
TALK_TYPES = ("change", "neutral", "sustain")
MODEL = "test"
NAMES: dict[str, str] = {"therapist": "Tess", "client": "Cal", "other": "Oona"}

Build = Callable[..., CodedSession]


def _one_hot(value: str | dict[str, float] | None, labels: Sequence[str]) -> dict[str, float]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return dict(value)
    return {label: float(label == value) for label in labels} if value in labels else {value: 1.0}


def _top(probs: dict[str, float]) -> str | None:
    return max(probs, key=probs.__getitem__) if probs else None


def _split(turn: Sequence[Any]) -> tuple[Role, str, Any, Any, frozenset[str]]:
    """(role, text, code, subtype, flags) from a turn of two to five items."""
    role, text, *rest = turn
    flags: frozenset[str] = frozenset()
    if rest and isinstance(rest[-1], set | frozenset):
        flags = frozenset(rest.pop())
    code = rest[0] if rest else None
    subtype = rest[1] if len(rest) > 1 else None
    return role, text, code, subtype, flags


def _code(index: int, turn: Sequence[Any], uncertain: bool) -> UtteranceCode:
    role, _text, code, subtype, flags = _split(turn)
    ordered = tuple(sorted(flags))
    if role == "other":
        return UtteranceCode(index=index, flags=ordered, model=MODEL)
    labels = BEHAVIOURS if role == "therapist" else TALK_TYPES
    probs = _one_hot(code, labels)
    subs = _one_hot(subtype, ()) if role == "therapist" else {}
    field = "behaviour" if role == "therapist" else "talk_type"
    return UtteranceCode(
        index=index,
        probabilities=probs,
        subtype=_top(subs),
        subtype_probabilities=subs,
        uncertain=uncertain,
        flags=ordered,
        model=MODEL,
        **{field: _top(probs)},
    )


def make_coded(
    turns: Sequence[Sequence[Any]],
    *,
    sid: str = "s1",
    uncertain: Sequence[int] = (),
    names: dict[str, str] | None = None,
) -> CodedSession:
    """A coded session of ``turns`` (see the module docstring)."""
    named = {**NAMES, **(names or {})}
    utterances = tuple(
        Utterance(index=i, role=_split(t)[0], speaker=named[_split(t)[0]], text=_split(t)[1])
        for i, t in enumerate(turns)
    )
    roles = dict.fromkeys(u.role for u in utterances)
    speakers = tuple(
        Speaker(
            name=named[role],
            role=role,
            role_source="label",
            role_confidence=1.0,
            utterances=sum(u.role == role for u in utterances),
        )
        for role in roles
    )
    codes = tuple(_code(i, t, i in uncertain) for i, t in enumerate(turns))
    session = Session(id=sid, speakers=speakers, utterances=utterances)
    return CodedSession(session=session, codes=codes)


@pytest.fixture(scope="session")
def build() -> Build:
    """``build(turns, sid=..., uncertain=..., names=...)``: a hand-built :class:`CodedSession`."""
    return make_coded


@pytest.fixture(scope="session")
def weights() -> StressWeights:
    """The shipped analysis weights."""
    return load_weights()


@pytest.fixture(scope="session")
def analyzer() -> StressAnalyzer:
    """The analyser with the shipped weights."""
    return StressAnalyzer()
