"""Key moments: productive challenges, ruptures and repairs, overwhelm, and every risk flag."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from edgewise.analysis import StressAnalyzer, load_weights
from edgewise.analysis.results import KeyMoment
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]

WEIGHTS = load_weights()
ANALYZER = StressAnalyzer()
CAP = WEIGHTS.windows.moments_per_kind

COMPLEX = ("therapist", "Sleep matters more than you let on.", "reflection", "complex")
DOUBLE = ("therapist", "On the one hand it's fun, on the other hand you're exhausted.", "other")
CHANGE = ("client", "I want to be in bed by eleven.", "change")
SIMPLE = ("therapist", "It's a lot.", "reflection", "simple")
#: A confrontation (strain marker "no more excuses"); unrepaired when a push follows.
CONFRONT = ("therapist", "No more excuses, you need to stop.", "therapist_input", "advice")
PUSH = ("therapist", "You should cut down.", "therapist_input", "advice")
BRIEF = ("client", "It was on Tuesday.", "neutral")
NEUTRAL = ("client", "I went to my mum's at the weekend, it was nice.", "neutral")
#: Client strain after a clinician turn: discord.
PUSHBACK = ("client", "You're not listening to me.", "sustain")


def moments(build: Build, turns: Sequence[Sequence[Any]]) -> tuple[KeyMoment, ...]:
    return ANALYZER.analyze_session(build(turns)).key_moments


def kinds(found: tuple[KeyMoment, ...]) -> Counter[str]:
    return Counter(m.kind for m in found)


def test_risk_is_never_capped(build: Build) -> None:
    risky = ("client", "Some days I don't see the point of going on.", "neutral", {"risk"})
    turns = [SIMPLE, risky] * (CAP + 4)
    found = moments(build, turns)
    risk = [m for m in found if m.kind == "risk"]
    assert [m.index for m in risk] == list(range(1, len(turns), 2))
    assert all(m.evidence == (m.index,) and "not an assessment" in m.explanation for m in risk)


def test_productive_challenges_capped_keeping_the_most_challenging(build: Build) -> None:
    turns = [COMPLEX, CHANGE] * (CAP + 2) + [DOUBLE, CHANGE] * 2
    found = moments(build, turns)
    productive = [m for m in found if m.kind == "productive_challenge"]
    assert len(productive) == CAP
    doubles = {len(turns) - 4, len(turns) - 2}
    assert doubles <= {m.index for m in productive}
    for m in productive:
        assert m.evidence == (m.index, m.index + 1)
        assert m.explanation.endswith("change talk.")


def test_ruptures_repairs_and_overwhelm_capped_per_kind(build: Build) -> None:
    distress = ("client", "I can't think straight, it's too much.", "neutral", {"distress"})
    turns = [PUSH, PUSHBACK, SIMPLE, distress] * (CAP * 2 + 3)
    counts = kinds(moments(build, turns))
    for kind in ("rupture", "repair", "overwhelm"):
        assert 0 < counts[kind] <= CAP, kind


def test_rupture_and_repair_moments(build: Build) -> None:
    found = moments(build, [COMPLEX, NEUTRAL, PUSH, PUSHBACK, SIMPLE, NEUTRAL])
    (rupture,) = [m for m in found if m.kind == "rupture"]
    (repair,) = [m for m in found if m.kind == "repair"]
    assert (rupture.index, rupture.evidence) == (3, (2, 3))
    assert rupture.explanation == "Cal pushed back against Tess here."
    assert (repair.index, repair.evidence) == (4, (3, 4))
    assert "at turn 4:" in repair.explanation  # index 3, read from 1


def test_unrepaired_confrontation_moment_in_role_words(build: Build) -> None:
    turns = [SIMPLE, NEUTRAL, CONFRONT, BRIEF, PUSH, BRIEF]
    found = ANALYZER.analyze_session(build(turns, names={"therapist": "Coach"})).key_moments
    (rupture,) = [m for m in found if m.kind == "rupture"]
    assert (rupture.index, rupture.evidence) == (2, (2,))
    assert rupture.explanation == "The coach confronted or blamed Cal here."
    assert not [m for m in found if m.kind == "repair"]


def test_overwhelm_after_a_challenge(build: Build) -> None:
    upset = ("client", "I just feel swamped by all of it.", "neutral", {"distress"})
    found = moments(build, [COMPLEX, upset, SIMPLE, NEUTRAL, SIMPLE, NEUTRAL, SIMPLE, upset])
    overwhelm = [m for m in found if m.kind == "overwhelm"]
    assert [(m.index, m.evidence) for m in overwhelm] == [(1, (0, 1)), (7, (7,))]
    assert (
        overwhelm[0].explanation == "The client sounded overwhelmed after the challenge at turn 1."
    )
    assert overwhelm[1].explanation == "The client sounded overwhelmed."


def test_elaboration_moment_explained(build: Build) -> None:
    found = moments(build, [COMPLEX, NEUTRAL])
    (m,) = found
    assert m.kind == "productive_challenge" and m.explanation.endswith("more about it.")


def test_moments_in_session_order(build: Build) -> None:
    risky = ("client", "Sometimes I think everyone would be better off without me.", "neutral")
    turns = [PUSH, PUSHBACK, SIMPLE, (*risky, {"risk"}), COMPLEX, CHANGE] * 3
    found = moments(build, turns)
    assert [m.index for m in found] == sorted(m.index for m in found)
    assert set(kinds(found)) == {"rupture", "repair", "risk", "productive_challenge"}


def test_calm_session_has_no_moments(build: Build) -> None:
    assert moments(build, [SIMPLE, NEUTRAL, SIMPLE, NEUTRAL]) == ()


def test_worth_checking_is_not_a_risk_moment(build: Build) -> None:
    check = ("client", "Some days are heavier than others.", "neutral", {"risk_check"})
    assert moments(build, [SIMPLE, check, SIMPLE, NEUTRAL]) == ()


def test_brief_assent_to_a_push_is_no_rupture_moment(build: Build) -> None:
    """Once a minimal answer to a challenge was a withdrawal rupture; assent never is."""
    found = moments(
        build, [PUSH, ("client", "Sure.", "neutral"), PUSH, ("client", "Okay", "neutral")]
    )
    assert not [m for m in found if m.kind in ("rupture", "repair")]
