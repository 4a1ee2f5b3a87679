"""Readiness: change-talk share, the thirds of a session, and whether it clearly rose or fell."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.analysis import StressWeights, load_weights
from edgewise.analysis.moves import score_moves
from edgewise.analysis.readiness import change_talk_share, segments, trend
from edgewise.analysis.results import Segment, Trend
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


def _trend(build: Build, talk: Sequence[Any], w: StressWeights = WEIGHTS) -> Trend:
    """The trend of a session of reflections and client turns (``session_of``)."""
    return _trend_of(build(session_of(talk)), w)


def _trend_of(coded: CodedSession, w: StressWeights = WEIGHTS) -> Trend:
    return trend(coded, segments(coded, score_moves(coded, w), w), w)


def _thresholds(**update: float) -> StressWeights:
    return WEIGHTS.model_copy(update={"thresholds": WEIGHTS.thresholds.model_copy(update=update)})


def _ols(coded: CodedSession) -> tuple[float, float]:
    """Slope and t statistic of P(change) - P(sustain) on position, computed apart with numpy."""
    n = len(coded.codes) - 1
    xs, ys = [], []
    for u, c in zip(coded.session.utterances, coded.codes, strict=True):
        if u.role == "client":
            xs.append(u.index / n)
            ys.append(c.probabilities.get("change", 0.0) - c.probabilities.get("sustain", 0.0))
    x, y = np.array(xs), np.array(ys)
    slope, intercept = np.polyfit(x, y, 1)
    rss = float(((y - (intercept + slope * x)) ** 2).sum())
    se = (rss / (len(x) - 2) / float(((x - x.mean()) ** 2).sum())) ** 0.5
    return float(slope), float(slope / se)


STEP_UP = ["sustain"] * 4 + ["change"] * 4


def test_trend_rising(build: Build) -> None:
    t = _trend(build, STEP_UP)
    assert t.direction == "rising"
    assert t.values == (0.0, 0.3333, 1.0)  # the thirds, for display
    slope, stat = _ols(build(session_of(STEP_UP)))
    assert stat > WEIGHTS.thresholds.trend_t
    assert t.slope is not None and t.slope > 0
    assert t.slope == pytest.approx(slope, abs=1e-4)
    assert "grew" in t.explanation and f"t = {stat:+.1f}" in t.explanation


def test_trend_falling(build: Build) -> None:
    t = _trend(build, STEP_UP[::-1])
    assert t.direction == "falling" and t.slope is not None and t.slope < 0
    assert t.slope == pytest.approx(-_trend(build, STEP_UP).slope)  # type: ignore[operator]
    assert "fell" in t.explanation


@pytest.mark.parametrize(
    "talk",
    [
        ["change", "sustain", "sustain", "change"] * 2,  # no slope at all
        ["change", "sustain"] * 4,  # alternating: a small slope, a small t
        ["change"] * 8,  # high but steady readiness
        ["sustain"] * 8,
    ],
)
def test_trend_flat(build: Build, talk: list[str]) -> None:
    t = _trend(build, talk)
    assert t.direction == "flat" and t.slope is not None
    assert "no clear change" in t.explanation.lower()


def test_rising_thirds_with_a_weak_t_are_flat(build: Build) -> None:
    """The thirds go 0, 0.5, 1, but six noisy statements do not make a clear trend."""
    talk = ["sustain", "sustain", "change", "sustain", "change", "change"]
    t = _trend(build, talk)
    assert t.values == (0.0, 0.5, 1.0)
    slope, stat = _ols(build(session_of(talk)))
    assert 0 < stat < WEIGHTS.thresholds.trend_t
    assert t.direction == "flat" and t.slope == pytest.approx(slope, abs=1e-4)
    # the same session is rising under a lower t threshold
    assert _trend(build, talk, _thresholds(trend_t=stat - 0.1)).direction == "rising"
    assert _trend(build, talk, _thresholds(trend_t=stat + 0.1)).direction == "flat"


def test_trend_needs_enough_change_or_sustain_statements(build: Build) -> None:
    need = WEIGHTS.thresholds.trend_statements
    assert need == 6
    assert _trend(build, ["sustain"] * 3 + ["change"] * 3).direction == "rising"
    short = _trend(build, ["sustain"] * 3 + ["change"] * 2 + ["neutral"] * 4)
    assert short.direction == "unknown" and short.slope is None
    eight = _trend(build, STEP_UP, _thresholds(trend_statements=9))
    assert eight.direction == "unknown" and eight.slope is None


def _soft(k: int) -> list[tuple[Any, ...]]:
    """``k`` client turns, each half a change-or-sustain statement: sustain-ish, then change-ish."""
    low = {"change": 0.05, "neutral": 0.5, "sustain": 0.45}
    high = {"change": 0.45, "neutral": 0.5, "sustain": 0.05}
    turns: list[tuple[Any, ...]] = []
    for i in range(k):
        turns.append(("therapist", "You're weighing it up.", "reflection", "simple"))
        turns.append(("client", "Something about it.", low if i < k // 2 else high))
    return turns


def test_trend_reads_probabilities_not_labels(build: Build) -> None:
    """Every turn's label is neutral; the expected statements are 0.5 a turn."""
    ten = _trend_of(build(_soft(10)))
    assert ten.direction == "unknown"  # 5 expected statements < 6
    twelve = _trend_of(build(_soft(12)))
    assert twelve.direction == "rising" and twelve.slope is not None and twelve.slope > 0
    assert twelve.values == (None, None, None)  # no labelled change or sustain talk


def test_trend_ignores_clinician_and_other_turns(build: Build) -> None:
    turns = session_of(STEP_UP)
    noisy = [*turns[:4], ("other", "The door bangs."), *turns[4:]]
    t = _trend_of(build(noisy))
    assert t.direction == "rising"
    slope, _ = _ols(build(noisy))
    assert t.slope == pytest.approx(slope, abs=1e-4)


@pytest.mark.parametrize(
    "talk",
    [
        ["change", "sustain"],  # short
        ["neutral"] * 6,  # no change or sustain talk at all
        ["neutral"] * 4 + ["change", "change"],  # only two statements
        [],
    ],
)
def test_trend_unknown(build: Build, talk: list[str]) -> None:
    t = _trend(build, talk)
    assert t.direction == "unknown" and t.slope is None
    assert t.explanation


def test_a_perfectly_straight_rise_is_rising(build: Build) -> None:
    """No scatter around the line (a zero standard error) still reads as rising."""
    k = 8
    n = 2 * k - 1  # client turns at odd indexes 1, 3, ..., n
    turns: list[tuple[Any, ...]] = []
    for i in range(k):
        y = (2 * i + 1) / n - 0.5  # P(change) - P(sustain), a straight line in position
        turns.append(("therapist", "You're weighing it up.", "reflection", "simple"))
        turns.append(
            ("client", "Something about it.", {"change": 0.5 + y / 2, "sustain": 0.5 - y / 2})
        )
    t = _trend_of(build(turns))
    assert t.direction == "rising"
    assert t.slope == pytest.approx(1.0, abs=1e-4)
