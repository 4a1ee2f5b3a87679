"""Readiness: change-talk share, the thirds of a session, and the trend across them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.analysis import load_weights
from edgewise.analysis.moves import score_moves
from edgewise.analysis.readiness import change_talk_share, segments, trend
from edgewise.analysis.results import Segment
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]

WEIGHTS = load_weights()


def _segments(build: Build, turns: Sequence[Sequence[Any]]) -> tuple[Segment, ...]:
    coded = build(turns)
    return segments(coded, score_moves(coded, WEIGHTS), WEIGHTS)


def session_of(talk: Sequence[str]) -> list[tuple[str, ...]]:
    """Therapist reflection then client turn of each talk type, in order."""
    turns: list[tuple[str, ...]] = []
    for kind in talk:
        turns.append(("therapist", "You're weighing it up.", "reflection", "simple"))
        turns.append(("client", f"Something {kind}-ish about it.", kind))
    return turns


def test_change_talk_share_value_and_evidence(build: Build) -> None:
    coded = build(session_of(["change", "neutral", "sustain", "change", "change"]))
    score = change_talk_share(coded)
    assert score.value == 0.75
    assert score.evidence == (1, 5, 7, 9)
    assert "3 were for it" in score.explanation and "1 against" in score.explanation


def test_change_talk_share_none_without_change_or_sustain(build: Build) -> None:
    coded = build(session_of(["neutral", "neutral"]))
    score = change_talk_share(coded)
    assert score.value is None and score.evidence == ()
    assert score.explanation


def test_change_talk_share_of_an_empty_session(build: Build) -> None:
    assert change_talk_share(build([])).value is None


def _alternating(n: int) -> list[tuple[str, ...]]:
    return [
        ("therapist", "Tell me more.", "question", "open")
        if i % 2 == 0
        else ("client", "It's about the same.", "neutral")
        for i in range(n)
    ]


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 200))
def test_segments_cover_every_utterance_once(build: Build, n: int) -> None:
    parts = _segments(build, _alternating(n))
    if n == 0:
        assert parts == ()
        return
    covered = [i for s in parts for i in range(s.start, s.end + 1)]
    assert covered == list(range(n))
    assert all(s.start <= s.end for s in parts)
    expected = 1 if n < WEIGHTS.windows.short_session else 3
    assert len(parts) == expected


@pytest.mark.parametrize("n", [1, 3, 9])
def test_short_session_is_one_segment(build: Build, n: int) -> None:
    (whole,) = _segments(build, _alternating(n))
    assert (whole.name, whole.start, whole.end) == ("whole session", 0, n - 1)


def test_thirds_are_named_and_scored(build: Build) -> None:
    turns = [
        *session_of(["sustain", "sustain"]),
        ("therapist", "Part of you wants to stop, and part of you doesn't.", "reflection"),
        ("client", "Yes.", "neutral"),
        ("therapist", "On the one hand it's your time, on the other hand you're tired.", "other"),
        ("client", "Both, really.", "neutral"),
        *session_of(["change", "change"]),
    ]
    parts = _segments(build, turns)
    assert [p.name for p in parts] == ["first third", "middle third", "last third"]
    assert [(p.start, p.end) for p in parts] == [(0, 3), (4, 7), (8, 11)]
    first, middle, last = parts
    assert first.change_talk_share == 0.0 and last.change_talk_share == 1.0
    assert middle.change_talk_share is None  # neutral talk only
    assert first.support == pytest.approx(0.8) and first.challenge == pytest.approx(0.15)
    assert first.quadrant == "comfort"
    assert middle.quadrant == "holding_both"  # the double-sided reflection
    assert middle.evidence == (4, 6)
    assert last.evidence == (9, 11)


def test_segment_without_therapist_talk_has_no_scores(build: Build) -> None:
    turns: list[Sequence[Any]] = [("client", "I keep thinking about it.", "neutral")] * 4
    turns += [("therapist", "Go on.", "question", "open"), ("client", "Right.", "neutral")] * 3
    first = _segments(build, turns)[0]
    assert (first.support, first.challenge, first.quadrant) == (None, None, None)


def _trend(build: Build, talk: Sequence[str]) -> Any:
    coded = build(session_of(talk))
    return trend(segments(coded, score_moves(coded, WEIGHTS), WEIGHTS), WEIGHTS)


def test_trend_rising(build: Build) -> None:
    t = _trend(build, ["sustain", "sustain", "change", "sustain", "change", "change"])
    assert t.values == (0.0, 0.5, 1.0)
    assert t.slope == 0.5 and t.direction == "rising"
    assert "grew" in t.explanation


def test_trend_falling(build: Build) -> None:
    t = _trend(build, ["change", "change", "change", "sustain", "sustain", "sustain"])
    assert t.direction == "falling" and t.slope is not None and t.slope < 0


def test_trend_flat(build: Build) -> None:
    t = _trend(build, ["change", "sustain"] * 3)
    assert t.values == (0.5, 0.5, 0.5)
    assert t.slope == 0.0 and t.direction == "flat"


def test_trend_skips_thirds_without_talk(build: Build) -> None:
    t = _trend(build, ["sustain", "sustain", "neutral", "neutral", "change", "change"])
    assert t.values == (0.0, None, 1.0)
    assert t.slope == 0.5 and t.direction == "rising"


@pytest.mark.parametrize(
    "talk",
    [
        ["change", "sustain"],  # short: one segment
        ["neutral"] * 6,  # no change or sustain talk at all
        ["neutral"] * 4 + ["change", "change"],  # only the last third
    ],
)
def test_trend_unknown(build: Build, talk: list[str]) -> None:
    t = _trend(build, talk)
    assert t.direction == "unknown" and t.slope is None
    assert t.explanation
