"""Alert rules over one client's history: pure functions returning :class:`Alert` objects.

Each rule reads a client's scored responses to one measure (or the readiness
figures of their analysed sessions), oldest first, and returns an Alert about
the latest one, or ``None``. Rules and defaults (``docs/measures.md``):

* ``not_on_track``: expected(t) = B + (target - B) * log(1 + t) / log(1 + T),
  with B the first score, target = B + p * (best - B) (p = 0.5), T = 12
  sessions and t the sessions from the first score to the latest (capped at T):
  both must carry a session number, the latest a later one, or the rule stays
  silent. Flag when the latest score is worse than expected(t) by more than the
  tolerance: given, else the measure's reliable-change points, else 10% of the
  score range.
* ``reliable_deterioration``: reliable worsening from the first score (or the
  previous one) to the latest; skipped when the measure has no criterion.
* ``alliance_drop`` (alliance measures): the latest score is worse than the
  mean of the prior scores by more than k = 1 SD (sample SD, at least 2 prior
  scores), or fell by at least ``min_drop`` from the previous score (off by
  default), or is at or beyond the measure's cut-off.
* ``readiness_stalled``: over the last N = 3 sessions the least-squares slope
  of the change-talk share (per session, in order) is <= 0 while sustain talk
  occurs in every one of them.

History order: by session number when every entry has one, else by date/time
when every entry has one, else as given.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Sequence
from typing import Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from edgewise.errors import InputError
from edgewise.measures.change import reliable_change
from edgewise.measures.definition import Z_95, MeasureDefinition
from edgewise.measures.scoring import Score

__all__ = [
    "Alert",
    "AlertKind",
    "AllianceDropParams",
    "DeteriorationParams",
    "NotOnTrackParams",
    "ParamValue",
    "ReadinessPoint",
    "ReadinessStalledParams",
    "Severity",
    "alliance_drop",
    "evaluate_measure",
    "expected_score",
    "not_on_track",
    "readiness_stalled",
    "reliable_deterioration",
]

AlertKind = Literal[
    "not_on_track", "reliable_deterioration", "alliance_drop", "readiness_stalled", "safety_item"
]
Severity = Literal["low", "medium", "high"]
ParamValue = float | int | str | bool | None
#: Tolerance for not-on-track when neither a tolerance nor a reliable-change criterion is known.
FALLBACK_TOLERANCE_FRACTION = 0.1


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Alert(_Frozen):
    """A flag for the clinician: which rule, why (one plain sentence), and on what evidence."""

    kind: AlertKind
    measure_id: str | None = None
    reason: str
    evidence: tuple[str, ...] = Field(description="``response:<id>`` and ``session:<id>`` ids.")
    severity: Severity
    params: dict[str, ParamValue] = Field(description="The rule's settings as applied.")
    values: dict[str, ParamValue] = Field(default_factory=dict, description="What it computed.")


class NotOnTrackParams(_Frozen):
    """Settings of the not-on-track rule."""

    target_proportion: float = Field(default=0.5, gt=0, le=1)
    horizon: int = Field(default=12, ge=1, description="T: sessions to reach the target.")
    tolerance: float | None = Field(default=None, ge=0, description="Points; None: see module.")
    z: float = Field(default=Z_95, gt=0)


class DeteriorationParams(_Frozen):
    """Settings of the reliable-deterioration rule."""

    compare: Literal["baseline", "previous"] = "baseline"
    z: float = Field(default=Z_95, gt=0)


class AllianceDropParams(_Frozen):
    """Settings of the alliance-drop rule."""

    sd_multiplier: float = Field(default=1.0, ge=0)
    min_prior: int = Field(default=2, ge=2)
    min_drop: float | None = Field(default=None, gt=0)
    use_cutoff: bool = True


class ReadinessStalledParams(_Frozen):
    """Settings of the readiness-stalled rule."""

    window: int = Field(default=3, ge=2)
    max_slope: float = 0.0
    min_sustain: int = Field(default=1, ge=1)


class ReadinessPoint(_Frozen):
    """One analysed session's readiness figures (from its SessionAnalysis)."""

    session_id: str = Field(min_length=1)
    session_number: int | None = Field(default=None, ge=0)
    date: dt.date | None = None
    change_talk_share: float | None = Field(default=None, ge=0, le=1)
    sustain_count: int = Field(default=0, ge=0)


def expected_score(baseline: float, target: float, t: float, horizon: int) -> float:
    """``baseline + (target - baseline) * log(1 + t) / log(1 + T)``, t capped to [0, T]."""
    if horizon < 1:
        raise InputError("the horizon must be at least one session")
    t = min(max(t, 0.0), float(horizon))
    return baseline + (target - baseline) * math.log1p(t) / math.log1p(horizon)


def not_on_track(
    definition: MeasureDefinition,
    scores: Sequence[Score],
    params: NotOnTrackParams | None = None,
) -> Alert | None:
    """Alert when the latest score lags the expected-change curve by more than the tolerance.

    The curve is in sessions, so the rule needs the session numbers of the first and the
    latest score (the latest at a later session); without them it returns None.
    """
    params = params or NotOnTrackParams()
    history = _ordered(_of_measure(definition, scores))
    if len(history) < 2:
        return None
    first, last = history[0], history[-1]
    t = _sessions_between(first, last)
    if t is None:
        return None
    target = first.total + params.target_proportion * (definition.best - first.total)
    expected = expected_score(first.total, target, t, params.horizon)
    shortfall = definition.improvement(last.total, expected)
    tolerance, source = _tolerance(definition, params)
    if shortfall <= tolerance:
        return None
    return Alert(
        kind="not_on_track",
        measure_id=definition.id,
        reason=(
            f"{definition.label} score {_fmt(last.total)} after {t} sessions is "
            f"{_fmt(shortfall)} points worse than the expected {_fmt(expected)}, "
            f"more than the {_fmt(tolerance)}-point tolerance."
        ),
        evidence=_evidence(first, last),
        severity="medium",
        params={**params.model_dump(), "tolerance_source": source},
        values={
            "baseline": first.total,
            "target": target,
            "t": t,
            "expected": expected,
            "observed": last.total,
            "shortfall": shortfall,
            "tolerance": tolerance,
        },
    )


def reliable_deterioration(
    definition: MeasureDefinition,
    scores: Sequence[Score],
    params: DeteriorationParams | None = None,
) -> Alert | None:
    """Alert when the latest score is reliably worse than the first (or previous) one."""
    params = params or DeteriorationParams()
    history = _ordered(_of_measure(definition, scores))
    if len(history) < 2 or definition.reliable_change is None:
        return None
    last = history[-1]
    before = history[0] if params.compare == "baseline" else history[-2]
    change = reliable_change(definition, before.total, last.total, z=params.z)
    if change.category != "reliably_deteriorated":
        return None
    since = "the first score" if params.compare == "baseline" else "the previous score"
    return Alert(
        kind="reliable_deterioration",
        measure_id=definition.id,
        reason=(
            f"{definition.label} went from {_fmt(before.total)} to {_fmt(last.total)}, "
            f"a reliable deterioration since {since} "
            f"(reliable change is {_fmt(change.threshold)} points)."
        ),
        evidence=_evidence(before, last),
        severity="high",
        params={**params.model_dump(), "method": change.method},
        values={
            "before": before.total,
            "after": last.total,
            "difference": change.difference,
            "threshold": change.threshold,
            "rci": change.rci,
        },
    )


def alliance_drop(
    definition: MeasureDefinition,
    scores: Sequence[Score],
    params: AllianceDropParams | None = None,
) -> Alert | None:
    """Alert when an alliance score falls below the client's own usual level or the cut-off."""
    if definition.kind != "alliance":
        raise InputError(f"alliance_drop needs an alliance measure; {definition.id!r} is not one")
    params = params or AllianceDropParams()
    history = _ordered(_of_measure(definition, scores))
    if not history:
        return None
    last, prior = history[-1], history[:-1]
    reasons: list[str] = []
    values: dict[str, ParamValue] = {"latest": last.total}
    used: list[Score] = []  # the earlier scores the rule looked at
    if len(prior) >= params.min_prior:
        mean = statistics.fmean(s.total for s in prior)
        sd = statistics.stdev(s.total for s in prior)
        floor = mean - params.sd_multiplier * sd
        if definition.direction == "lower_is_better":
            floor = mean + params.sd_multiplier * sd
        values.update(prior_mean=mean, prior_sd=sd, floor=floor)
        used = list(prior)
        if definition.improvement(floor, last.total) < 0:
            reasons.append(
                f"worse than the client's usual level "
                f"({_fmt(mean)} on average, limit {_fmt(floor)})"
            )
    if params.min_drop is not None and prior:
        drop = -definition.improvement(prior[-1].total, last.total)
        values["drop"] = drop
        used = used or [prior[-1]]
        if drop >= params.min_drop:
            reasons.append(f"down {_fmt(drop)} points since the previous session")
    if params.use_cutoff and definition.is_clinical(last.total):
        assert definition.cutoff is not None
        values["cutoff"] = definition.cutoff
        side = "above" if definition.direction == "lower_is_better" else "below"
        reasons.append(f"at or {side} the cut-off of {_fmt(definition.cutoff)}")
    if not reasons:
        return None
    return Alert(
        kind="alliance_drop",
        measure_id=definition.id,
        reason=f"{definition.label} score {_fmt(last.total)} is " + "; ".join(reasons) + ".",
        evidence=_evidence(*used, last),
        severity="medium",
        params=params.model_dump(),
        values=values,
    )


def readiness_stalled(
    points: Sequence[ReadinessPoint], params: ReadinessStalledParams | None = None
) -> Alert | None:
    """Alert when change-talk share has not risen over the last N sessions amid sustain talk."""
    params = params or ReadinessStalledParams()
    recent = _ordered(points)[-params.window :]
    if len(recent) < params.window:
        return None
    shares = [p.change_talk_share for p in recent]
    if any(s is None for s in shares) or any(p.sustain_count < params.min_sustain for p in recent):
        return None
    ys = [float(s) for s in shares if s is not None]
    slope = _slope(ys)
    if slope > params.max_slope:
        return None
    return Alert(
        kind="readiness_stalled",
        measure_id=None,
        reason=(
            f"Change talk has not risen over the last {params.window} sessions "
            f"({_pct(ys[0])} to {_pct(ys[-1])} of client change and sustain talk) "
            "while sustain talk came up in each."
        ),
        evidence=tuple(f"session:{p.session_id}" for p in recent),
        severity="low",
        params=params.model_dump(),
        values={"slope": slope, "first_share": ys[0], "last_share": ys[-1]},
    )


def evaluate_measure(
    definition: MeasureDefinition,
    scores: Sequence[Score],
    *,
    not_on_track_params: NotOnTrackParams | None = None,
    deterioration_params: DeteriorationParams | None = None,
    alliance_params: AllianceDropParams | None = None,
) -> tuple[Alert, ...]:
    """Every measure rule that applies to ``definition``'s kind, on ``scores``."""
    if definition.kind == "alliance":
        found = [alliance_drop(definition, scores, alliance_params)]
    else:
        found = [
            not_on_track(definition, scores, not_on_track_params),
            reliable_deterioration(definition, scores, deterioration_params),
        ]
    return tuple(a for a in found if a is not None)


_T = TypeVar("_T", Score, ReadinessPoint)


def _ordered(history: Sequence[_T]) -> list[_T]:
    """By session number if all have one, else by date/time if all have one, else as given."""
    items = list(history)
    if items and all(h.session_number is not None for h in items):
        return sorted(items, key=lambda h: h.session_number or 0)
    if items and all(_when(h) is not None for h in items):
        return sorted(items, key=lambda h: _sortable(_when(h)))
    return items


def _when(entry: Score | ReadinessPoint) -> dt.date | dt.datetime | None:
    return entry.authored if isinstance(entry, Score) else entry.date


def _sortable(when: dt.date | dt.datetime | None) -> tuple[float, ...]:
    """A key that orders dates and (naive or aware, taken as UTC) date-times together."""
    if when is None:
        return (0.0,)
    if isinstance(when, dt.datetime):
        aware = when if when.tzinfo is not None else when.replace(tzinfo=dt.UTC)
        return (aware.timestamp(),)
    return (dt.datetime.combine(when, dt.time(), tzinfo=dt.UTC).timestamp(),)


def _of_measure(definition: MeasureDefinition, scores: Sequence[Score]) -> list[Score]:
    wrong = [s.response_id for s in scores if s.measure_id != definition.id]
    if wrong:
        raise InputError(f"response {wrong[0]!r} is not a {definition.id!r} response")
    return list(scores)


def _sessions_between(first: Score, last: Score) -> int | None:
    """t: sessions from the first score to the latest; None unless both have a session
    number and the latest is at a later session."""
    if first.session_number is None or last.session_number is None:
        return None
    t = last.session_number - first.session_number
    return t if t > 0 else None


def _tolerance(definition: MeasureDefinition, params: NotOnTrackParams) -> tuple[float, str]:
    if params.tolerance is not None:
        return params.tolerance, "given"
    if definition.reliable_change is not None:
        return definition.reliable_change.points(params.z), "reliable_change"
    rng = definition.score_range
    return FALLBACK_TOLERANCE_FRACTION * (rng.max - rng.min), "range_fraction"


def _evidence(*scores: Score) -> tuple[str, ...]:
    out: list[str] = []
    for score in scores:
        for ref in (f"response:{score.response_id}", f"session:{score.session_id}"):
            if ref not in out and not ref.endswith(":None"):
                out.append(ref)
    return tuple(out)


def _slope(ys: list[float]) -> float:
    """Least-squares slope of ``ys`` against 0, 1, 2, ..."""
    n = len(ys)
    x_mean, y_mean = (n - 1) / 2, statistics.fmean(ys)
    num = sum((x - x_mean) * (y - y_mean) for x, y in enumerate(ys))
    den = sum((x - x_mean) ** 2 for x in range(n))
    return num / den


def _fmt(value: float) -> str:
    """One decimal at most: ``12.4``, ``10``."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text


def _pct(share: float) -> str:
    return f"{round(share * 100)}%"
