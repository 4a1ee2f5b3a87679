"""Session support and challenge, the quadrant, challenge landing and ``optimal_stress``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.analysis import StressAnalyzer, load_weights
from edgewise.analysis.headline import landing, mean_score, optimal_stress, quadrant
from edgewise.analysis.results import Move, Response, ResponseKind, Score, SessionAnalysis
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]

WEIGHTS = load_weights()
ANALYZER = StressAnalyzer()


def analyse(build: Build, turns: Sequence[Sequence[Any]]) -> SessionAnalysis:
    return ANALYZER.analyze_session(build(turns))


#: Support and challenge held together, and the challenges land (change talk).
HOLDING_BOTH: list[Sequence[Any]] = [
    ("therapist", "What brings you here today?", "question", "open"),
    ("client", "My drinking has crept up since the new job.", "neutral"),
    ("therapist", "It's become a way to get through the week.", "reflection", "complex"),
    ("client", "Yes, and I want to get a handle on it.", "change"),
    (
        "therapist",
        "On the one hand it helps you unwind, on the other hand it's costing you sleep.",
        "reflection",
        "complex",
    ),
    ("client", "I'd like to wake up without a headache.", "change"),
    ("therapist", "You've been honest with yourself about this.", "reflection", "simple"),
    ("client", "I suppose I have.", "neutral"),
    ("therapist", "How important is it to you to cut down, on a scale of 0 to 10?", "question"),
    ("client", "An eight. I want to be there for the kids in the morning.", "change"),
    ("therapist", "Being there in the mornings matters a lot.", "reflection", "complex"),
    ("client", "It does. I'll start with weeknights.", "change"),
]

#: Warm listening with hardly any challenge.
COMFORT: list[Sequence[Any]] = [
    ("therapist", "How was your week?", "question", "open"),
    ("client", "Busy. Lots of late nights.", "neutral"),
    ("therapist", "It's been a full week.", "reflection", "simple"),
    ("client", "It has, and the drinking helps me wind down.", "sustain"),
    ("therapist", "A drink helps you wind down.", "reflection", "simple"),
    ("client", "It's how I relax.", "sustain"),
    ("therapist", "You've worked really hard.", "reflection", "simple", {"affirmation"}),
    ("client", "Thanks. Same again next week, I guess.", "neutral"),
]

#: Challenge that outweighs support.
PRESSURE: list[Sequence[Any]] = [
    ("therapist", "You need to stop drinking now.", "therapist_input", "advice", {"confrontation"}),
    ("client", "It's not that simple.", "sustain", {"discord"}),
    (
        "therapist",
        "You should pour it away tonight.",
        "therapist_input",
        "advice",
        {"unsolicited_advice"},
    ),
    ("client", "I don't see why I should.", "sustain"),
    ("therapist", "Drinking like that damages the liver.", "therapist_input", "information"),
    ("client", "Everyone drinks.", "sustain"),
    ("therapist", "That's denial talking.", "therapist_input", "advice", {"confrontation"}),
    ("client", "Whatever.", "neutral"),
]

#: Little support and little challenge.
DISENGAGED: list[Sequence[Any]] = [
    ("therapist", "Okay.", "other"),
    ("client", "So that was my week really.", "neutral"),
    ("therapist", "Right.", "other"),
    ("client", "Not much else to say.", "neutral"),
    ("therapist", "Did you drive here?", "question", "closed"),
    ("client", "Yes.", "neutral"),
    ("therapist", "Mm.", "other"),
    ("client", "Anyway.", "neutral"),
]


_S = WEIGHTS.thresholds.support_high
_C = WEIGHTS.thresholds.challenge_high


@pytest.mark.parametrize(
    ("support", "challenge", "expected"),
    [
        (_S, _C, "holding_both"),
        (0.9, 0.9, "holding_both"),
        (_S, _C - 1e-4, "comfort"),
        (1.0, 0.0, "comfort"),
        (_S - 1e-4, _C, "pressure"),
        (0.0, 1.0, "pressure"),
        (_S - 1e-4, _C - 1e-4, "disengaged"),
        (0.0, 0.0, "disengaged"),
        (None, 0.5, None),
        (0.5, None, None),
    ],
)
def test_quadrant_corners(
    support: float | None, challenge: float | None, expected: str | None
) -> None:
    assert quadrant(support, challenge, WEIGHTS) == expected


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        (HOLDING_BOTH, "holding_both"),
        (COMFORT, "comfort"),
        (PRESSURE, "pressure"),
        (DISENGAGED, "disengaged"),
    ],
    ids=["holding_both", "comfort", "pressure", "disengaged"],
)
def test_hand_built_sessions_land_in_their_quadrant(
    build: Build, turns: Sequence[Sequence[Any]], expected: str
) -> None:
    a = analyse(build, turns)
    assert a.quadrant == expected
    value = a.scores.optimal_stress.value
    assert value is not None and 0.0 <= value <= 1.0


def test_holding_both_with_landing_scores_highest(build: Build) -> None:
    best = analyse(build, HOLDING_BOTH)
    assert best.challenge_landing.value == 1.0
    top = best.scores.optimal_stress.value
    assert top is not None and top >= 0.7
    for turns in (COMFORT, PRESSURE, DISENGAGED):
        other = analyse(build, turns).scores.optimal_stress.value
        assert other is not None and other < top
    comfort = analyse(build, COMFORT).scores.optimal_stress.value
    pressure = analyse(build, PRESSURE).scores.optimal_stress.value
    disengaged = analyse(build, DISENGAGED).scores.optimal_stress.value
    assert comfort is not None and pressure is not None and disengaged is not None
    assert pressure < comfort and disengaged < comfort


def test_holding_both_that_does_not_land_scores_lower(build: Build) -> None:
    unlanded = [
        (role, text, "sustain" if role == "client" else code, *rest)
        for role, text, code, *rest in HOLDING_BOTH
    ]
    landed = analyse(build, HOLDING_BOTH).scores.optimal_stress.value
    missed = analyse(build, unlanded)
    assert missed.challenge_landing.value == 0.0
    assert missed.scores.optimal_stress.value is not None and landed is not None
    assert missed.scores.optimal_stress.value < landed


def test_no_therapist_talk_gives_none(build: Build) -> None:
    a = analyse(
        build, [("client", "I came on my own today.", "neutral"), ("client", "Hello?", "neutral")]
    )
    assert a.scores.optimal_stress.value is None
    assert a.scores.support.value is None and a.scores.challenge.value is None
    assert a.quadrant is None
    assert a.scores.optimal_stress.explanation


def test_formula_by_hand() -> None:
    kinds: list[ResponseKind] = ["productive", "productive", "withdrawn"]
    responses = tuple(Response(challenge=i, kind=k, evidence=()) for i, k in enumerate(kinds))
    score = optimal_stress(Score(value=0.7), Score(value=0.45), responses, WEIGHTS)
    # support_term 1, presence 1, no pressure; landing (2 + 1) / (3 + 2) = 0.6
    assert score.value == pytest.approx(0.4 + 0.6 * 0.6)
    assert score.evidence == (0, 1)
    pushed = optimal_stress(Score(value=0.3), Score(value=0.8), (), WEIGHTS)
    # support_term 0.25, presence 1, landing 1/2, pressure 1 (halved)
    assert pushed.value == pytest.approx(0.25 * (0.4 + 0.6 * 0.5) * 0.5)
    comfort = optimal_stress(Score(value=0.9), Score(value=0.0), (), WEIGHTS)
    assert comfort.value == pytest.approx(WEIGHTS.optimal_stress.base)
    assert optimal_stress(Score(value=0.2), Score(value=0.3), (), WEIGHTS).value == 0.0


@settings(max_examples=100, deadline=None)
@given(
    s=st.floats(0, 1),
    c=st.floats(0, 1),
    productive=st.integers(0, 6),
    other=st.integers(0, 6),
)
def test_optimal_stress_is_bounded_and_rewards_landing(
    s: float, c: float, productive: int, other: int
) -> None:
    def value(p: int, o: int) -> float:
        productive: list[ResponseKind] = ["productive"] * p
        defensive: list[ResponseKind] = ["defensive"] * o
        kinds = productive + defensive
        responses = tuple(Response(challenge=i, kind=k, evidence=()) for i, k in enumerate(kinds))
        result = optimal_stress(Score(value=s), Score(value=c), responses, WEIGHTS).value
        assert result is not None and 0.0 <= result <= 1.0
        return result

    assert value(productive + 1, other) >= value(productive, other)
    assert value(productive, other + 1) <= value(productive, other)


def _move(index: int, support: float, challenge: float) -> Move:
    return Move(index=index, support=support, challenge=challenge, is_challenge=challenge >= 0.4)


def test_mean_score_and_its_evidence() -> None:
    moves = (_move(0, 0.8, 0.1), _move(2, 0.4, 0.5), _move(4, 0.6, 0.4))
    support = mean_score(moves, "support", 0.6)
    assert support.value == pytest.approx(0.6)
    assert support.evidence == (0, 4)
    challenge = mean_score(moves, "challenge", 0.4)
    assert challenge.value == pytest.approx(1.0 / 3, abs=1e-4)
    assert challenge.evidence == (2, 4)
    assert mean_score((), "support", 0.6).value is None


def test_landing_share_and_evidence() -> None:
    responses = (
        Response(challenge=1, kind="productive", evidence=(2,)),
        Response(challenge=3, kind="defensive", evidence=(4,)),
        Response(challenge=5, kind="productive", evidence=(6, 8)),
        Response(challenge=9, kind="withdrawn", evidence=(10,)),
    )
    score = landing(responses)
    assert score.value == 0.5
    assert score.evidence == (1, 2, 5, 6, 8)
    assert "2 of 4" in score.explanation
    assert landing(()).value is None


def test_analysis_landing_matches_its_responses(build: Build) -> None:
    a = analyse(build, HOLDING_BOTH + PRESSURE)
    productive = sum(r.kind == "productive" for r in a.responses)
    assert a.responses
    assert a.challenge_landing.value == pytest.approx(productive / len(a.responses), abs=1e-4)
