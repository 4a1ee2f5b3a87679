"""Alert rules: not on track, reliable deterioration, alliance drop, readiness stalled."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.errors import InputError
from edgewise.measures.alerts import (
    Alert,
    AllianceDropParams,
    DeteriorationParams,
    NotOnTrackParams,
    ReadinessPoint,
    ReadinessStalledParams,
    alliance_drop,
    evaluate_measure,
    expected_score,
    not_on_track,
    readiness_stalled,
    reliable_deterioration,
)
from edgewise.measures.definition import MeasureDefinition
from edgewise.measures.loader import load_definition, shipped_definition
from edgewise.measures.scoring import Score

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "measures" / "session-check.yaml"


def history(measure: str, *totals: float, numbered: bool = True) -> list[Score]:
    """Scores ``r1, r2, ...`` at sessions 1, 2, ... (``s1, s2, ...``)."""
    return [
        Score(
            response_id=f"r{n}",
            measure_id=measure,
            measure_version="1",
            session_id=f"s{n}",
            session_number=n if numbered else None,
            total=value,
        )
        for n, value in enumerate(totals, start=1)
    ]


def at(scores: list[Score], *numbers: int) -> list[Score]:
    """The scores moved to the given session numbers."""
    return [
        s.model_copy(update={"session_number": n}) for s, n in zip(scores, numbers, strict=True)
    ]


@pytest.fixture(scope="module")
def check() -> MeasureDefinition:
    return load_definition(EXAMPLE)


def test_expected_curve() -> None:
    assert expected_score(20, 10, 0, 12) == 20
    assert expected_score(20, 10, 12, 12) == pytest.approx(10)
    assert expected_score(20, 10, 30, 12) == pytest.approx(10)
    assert expected_score(20, 10, 4, 12) == pytest.approx(20 - 10 * math.log(5) / math.log(13))
    steps = [expected_score(20, 10, t, 12) for t in range(13)]
    assert steps == sorted(steps, reverse=True)
    with pytest.raises(InputError):
        expected_score(20, 10, 1, 0)


def test_not_on_track_flags_a_lagging_score() -> None:
    phq9 = shipped_definition("phq9")
    scores = at(history("phq9", 20, 20), 1, 5)  # t = 4: expected 13.7, tolerance 6
    alert = not_on_track(phq9, scores)
    assert isinstance(alert, Alert)
    assert alert.kind == "not_on_track" and alert.measure_id == "phq9"
    assert alert.severity == "medium"
    assert alert.evidence == ("response:r1", "session:s1", "response:r2", "session:s2")
    assert alert.params["tolerance_source"] == "reliable_change"
    assert alert.params["horizon"] == 12 and alert.params["target_proportion"] == 0.5
    assert alert.values["expected"] == pytest.approx(13.725, abs=1e-3)
    assert alert.values["t"] == 4 and alert.values["target"] == 10
    assert alert.reason.startswith("PHQ-9 score 20 after 4 sessions is 6.3 points worse")
    assert not_on_track(phq9, at(history("phq9", 20, 19), 1, 5)) is None


def test_not_on_track_needs_a_follow_up() -> None:
    phq9 = shipped_definition("phq9")
    assert not_on_track(phq9, []) is None
    assert not_on_track(phq9, history("phq9", 20)) is None
    assert not_on_track(phq9, at(history("phq9", 20, 27), 3, 3)) is None


def test_not_on_track_needs_the_sessions_of_the_first_and_latest_score() -> None:
    """The curve is in sessions: five scores without session numbers say nothing about how
    many sessions passed (they may all be from one week), so the rule stays silent."""
    phq9 = shipped_definition("phq9")
    unnumbered = history("phq9", 20, 19, 19, 19, 19, numbered=False)
    assert not_on_track(phq9, unnumbered, NotOnTrackParams(tolerance=2)) is None
    days = [dt.datetime(2024, 1, d, tzinfo=dt.UTC) for d in (1, 8, 15, 22, 29)]
    dated = [s.model_copy(update={"authored": d}) for s, d in zip(unnumbered, days, strict=True)]
    assert not_on_track(phq9, dated, NotOnTrackParams(tolerance=2)) is None
    ends = [dated[0].model_copy(update={"session_number": 1}), *dated[1:-1]]
    ends.append(dated[-1].model_copy(update={"session_number": 5}))
    alert = not_on_track(phq9, ends, NotOnTrackParams(tolerance=2))  # middle ones unlinked
    assert alert is not None and alert.values["t"] == 4
    assert alert.params["tolerance_source"] == "given"
    latest_unlinked = [*ends[:-1], dated[-1]]
    assert not_on_track(phq9, latest_unlinked, NotOnTrackParams(tolerance=2)) is None


def test_not_on_track_fallback_tolerance(check: MeasureDefinition) -> None:
    scores = at(history("session-check", 20, 20), 1, 13)  # target 30, 10 short, limit 4
    alert = not_on_track(check, scores)
    assert alert is not None
    assert alert.params["tolerance_source"] == "range_fraction"
    assert alert.values["tolerance"] == pytest.approx(4)


def test_reliable_deterioration() -> None:
    phq9 = shipped_definition("phq9")
    alert = reliable_deterioration(phq9, history("phq9", 8, 12, 14))
    assert alert is not None and alert.severity == "high"
    assert alert.kind == "reliable_deterioration"
    assert "went from 8 to 14" in alert.reason
    assert alert.evidence == ("response:r1", "session:s1", "response:r3", "session:s3")
    assert reliable_deterioration(phq9, history("phq9", 8, 13)) is None
    assert reliable_deterioration(phq9, history("phq9", 14, 8)) is None
    previous = DeteriorationParams(compare="previous")
    assert reliable_deterioration(phq9, history("phq9", 8, 12, 14), previous) is None
    assert reliable_deterioration(phq9, history("phq9", 8, 2, 8), previous) is not None


def test_reliable_deterioration_needs_a_criterion(check: MeasureDefinition) -> None:
    assert reliable_deterioration(check, history("session-check", 40, 0)) is None


def test_history_is_ordered_by_session_number() -> None:
    phq9 = shipped_definition("phq9")
    scores = history("phq9", 8, 14)
    assert reliable_deterioration(phq9, list(reversed(scores))) is not None
    swapped = at(scores, 2, 1)
    assert reliable_deterioration(phq9, swapped) is None


def test_history_is_ordered_by_time_without_numbers() -> None:
    phq9 = shipped_definition("phq9")
    early, late = dt.datetime(2024, 1, 1), dt.datetime(2024, 2, 1, tzinfo=dt.UTC)
    scores = history("phq9", 14, 8, numbered=False)
    scores = [
        scores[0].model_copy(update={"authored": late}),
        scores[1].model_copy(update={"authored": early}),
    ]
    assert reliable_deterioration(phq9, scores) is not None


_REFS = (("response", "r"), ("session", "s"))


def test_alliance_drop_below_own_mean(check: MeasureDefinition) -> None:
    alert = alliance_drop(check, history("session-check", 36, 38, 37, 35))
    assert alert is not None and alert.kind == "alliance_drop"
    assert alert.values["prior_mean"] == 37 and alert.values["prior_sd"] == 1
    assert alert.values["floor"] == 36
    assert "usual level" in alert.reason and "cut-off" not in alert.reason
    assert alert.evidence == tuple(f"{k}:{p}{n}" for n in range(1, 5) for k, p in _REFS)
    assert alliance_drop(check, history("session-check", 36, 38, 37, 36)) is None


def test_alliance_drop_at_the_cutoff(check: MeasureDefinition) -> None:
    alert = alliance_drop(check, history("session-check", 28))
    assert alert is not None and "at or below the cut-off of 28" in alert.reason
    assert alert.evidence == ("response:r1", "session:s1")
    assert alliance_drop(check, history("session-check", 29)) is None
    off = AllianceDropParams(use_cutoff=False)
    assert alliance_drop(check, history("session-check", 28), off) is None


def test_alliance_drop_by_a_set_amount(check: MeasureDefinition) -> None:
    params = AllianceDropParams(min_drop=5, sd_multiplier=3)
    alert = alliance_drop(check, history("session-check", 30, 40, 35), params)
    assert alert is not None and "down 5 points" in alert.reason
    assert alert.evidence[0] == "response:r1"  # the prior mean looked at every earlier score
    only_drop = AllianceDropParams(min_drop=5, min_prior=5)
    alert = alliance_drop(check, history("session-check", 30, 40, 35), only_drop)
    assert alert is not None
    assert alert.evidence == ("response:r2", "session:s2", "response:r3", "session:s3")
    assert alliance_drop(check, history("session-check", 30, 40, 36), params) is None


def test_alliance_drop_only_for_alliance_measures() -> None:
    with pytest.raises(InputError, match="needs an alliance measure"):
        alliance_drop(shipped_definition("phq9"), history("phq9", 3))


def test_scores_of_another_measure_are_refused() -> None:
    with pytest.raises(InputError, match="is not a 'phq9' response"):
        not_on_track(shipped_definition("phq9"), history("gad7", 3, 4))


def points(*rows: tuple[float | None, int], numbered: bool = True) -> list[ReadinessPoint]:
    return [
        ReadinessPoint(
            session_id=f"s{n}",
            session_number=n if numbered else None,
            change_talk_share=share,
            sustain_count=sustain,
        )
        for n, (share, sustain) in enumerate(rows, start=1)
    ]


def test_readiness_stalled() -> None:
    alert = readiness_stalled(points((0.2, 1), (0.4, 3), (0.35, 2), (0.35, 4)))
    assert alert is not None and alert.kind == "readiness_stalled"
    assert alert.evidence == ("session:s2", "session:s3", "session:s4")
    assert alert.values["slope"] == pytest.approx(-0.025)
    assert "40% to 35%" in alert.reason
    assert alert.measure_id is None and alert.severity == "low"


@pytest.mark.parametrize(
    "rows",
    [
        [(0.3, 2), (0.4, 2), (0.5, 2)],  # rising
        [(0.4, 2), (0.4, 0), (0.4, 2)],  # no sustain talk in one session
        [(0.4, 2), (None, 2), (0.4, 2)],  # no share for one session
        [(0.4, 2), (0.3, 2)],  # too few sessions
    ],
)
def test_readiness_not_stalled(rows: list[tuple[float | None, int]]) -> None:
    assert readiness_stalled(points(*rows)) is None


def test_readiness_flat_share_counts_as_stalled_and_order_is_by_number() -> None:
    rows = points((0.5, 1), (0.5, 1), (0.5, 1))
    assert readiness_stalled(rows) is not None
    rising = points((0.1, 1), (0.2, 1), (0.3, 1))
    assert readiness_stalled(list(reversed(rising))) is None
    by_date = [
        p.model_copy(update={"date": dt.date(2024, 1, 1 + i)})
        for i, p in enumerate(points((0.1, 1), (0.2, 1), (0.3, 1), numbered=False))
    ]
    assert readiness_stalled(list(reversed(by_date))) is None
    assert readiness_stalled(rows, ReadinessStalledParams(max_slope=-0.01)) is None
    assert readiness_stalled(rows, ReadinessStalledParams(window=4)) is None


def test_evaluate_measure_runs_the_rules_for_the_kind(check: MeasureDefinition) -> None:
    phq9 = shipped_definition("phq9")
    found = evaluate_measure(phq9, at(history("phq9", 8, 20), 1, 5))
    assert {a.kind for a in found} == {"not_on_track", "reliable_deterioration"}
    assert evaluate_measure(phq9, history("phq9", 20, 8)) == ()
    found = evaluate_measure(check, history("session-check", 20))
    assert [a.kind for a in found] == ["alliance_drop"]


@settings(max_examples=150, deadline=None)
@given(
    baseline=st.integers(0, 27),
    later=st.lists(st.integers(0, 27), min_size=1, max_size=15),
)
def test_on_or_ahead_of_the_curve_never_flags(baseline: int, later: list[int]) -> None:
    phq9 = shipped_definition("phq9")
    scores = history("phq9", baseline, *later)
    t = len(later)
    expected = expected_score(baseline, baseline / 2, t, 12)
    alert = not_on_track(phq9, scores)
    if later[-1] <= expected + 6:
        assert alert is None
    else:
        assert alert is not None
        shortfall = alert.values["shortfall"]
        assert isinstance(shortfall, float) and shortfall > 6


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=3, max_size=3, unique=True))
def test_strictly_rising_share_never_stalls(shares: list[float]) -> None:
    ordered = sorted(shares)
    assert readiness_stalled(points(*[(s, 2) for s in ordered])) is None
    assert readiness_stalled(points(*[(s, 2) for s in reversed(ordered)])) is not None
