"""Readiness within a session: change-talk share, its trend, and per-segment drift."""

from __future__ import annotations

from typing import Literal

from edgewise.analysis.headline import quadrant
from edgewise.analysis.results import Move, Score, Segment, Trend
from edgewise.analysis.weights import StressWeights
from edgewise.domain import CodedSession

__all__ = ["change_talk_share", "segments", "trend"]

_NAMES = ("first third", "middle third", "last third")


def _ct_st(coded: CodedSession, start: int, end: int) -> tuple[list[int], list[int]]:
    codes = coded.codes[start : end + 1]
    change = [c.index for c in codes if c.talk_type == "change"]
    sustain = [c.index for c in codes if c.talk_type == "sustain"]
    return change, sustain


def change_talk_share(coded: CodedSession) -> Score:
    """CT / (CT + ST) over the client's utterances, with both sets as evidence."""
    change, sustain = _ct_st(coded, 0, len(coded.codes) - 1)
    if not change and not sustain:
        return Score(
            value=None,
            explanation="The client voiced no change talk or sustain talk, so readiness "
            "cannot be read from this session.",
        )
    share = len(change) / (len(change) + len(sustain))
    return Score(
        value=round(share, 4),
        evidence=tuple(sorted(change + sustain)),
        explanation=f"Of the client's statements for or against change, {len(change)} were "
        f"for it (change talk) and {len(sustain)} against it (sustain talk).",
    )


def _bounds(n: int, short: int) -> list[tuple[str, int, int]]:
    if n == 0:
        return []
    if n < max(short, 6):
        return [("whole session", 0, n - 1)]
    cuts = [0, n // 3, 2 * n // 3, n]
    return [(_NAMES[k], cuts[k], cuts[k + 1] - 1) for k in range(3)]


def segments(coded: CodedSession, moves: tuple[Move, ...], w: StressWeights) -> tuple[Segment, ...]:
    """Support, challenge, quadrant and change-talk share per third of the session."""
    out = []
    for name, start, end in _bounds(len(coded.codes), w.windows.short_session):
        inside = [m for m in moves if start <= m.index <= end]
        support = _mean([m.support for m in inside])
        challenge = _mean([m.challenge for m in inside])
        change, sustain = _ct_st(coded, start, end)
        share = len(change) / (len(change) + len(sustain)) if change or sustain else None
        out.append(
            Segment(
                name=name,
                start=start,
                end=end,
                support=support,
                challenge=challenge,
                quadrant=quadrant(support, challenge, w),
                change_talk_share=None if share is None else round(share, 4),
                evidence=tuple(sorted([m.index for m in inside if m.is_challenge] + change)),
            )
        )
    return tuple(out)


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 4) if values else None


def trend(coded: CodedSession, parts: tuple[Segment, ...], w: StressWeights) -> Trend:
    """Whether readiness clearly rose or fell across the session.

    Each client utterance gives ``P(change) - P(sustain)`` (calibrated; one-hot when
    there are no probabilities) at its position in the session (0 to 1). The
    least-squares slope of that against position is called *rising* or *falling*
    only when its t statistic passes ``trend_t`` and the session holds at least
    ``trend_statements`` expected change-or-sustain statements; otherwise the trend
    is *flat* (no clear change) or *unknown* (too little to read). ``values`` are the
    segments' change-talk shares, for display.
    """
    values = tuple(s.change_talk_share for s in parts)
    xs, ys, mass = _readiness_points(coded)
    t = w.thresholds
    if mass < t.trend_statements or len(xs) < 3:
        return Trend(
            values=values,
            slope=None,
            direction="unknown",
            explanation="Too little change or sustain talk to see a trend.",
        )
    slope, stat = _slope_t(xs, ys)
    direction: Literal["rising", "falling", "flat"] = (
        "rising" if stat > t.trend_t else "falling" if stat < -t.trend_t else "flat"
    )
    said = {
        "rising": "readiness grew: change talk gained on sustain talk as the session went on.",
        "falling": "readiness fell: sustain talk gained on change talk as the session went on.",
        "flat": "no clear change in readiness across the session.",
    }[direction]
    return Trend(
        values=values,
        slope=round(slope, 4),
        direction=direction,
        explanation=f"{said[:1].upper()}{said[1:]} (slope {slope:+.2f} from start to end, "
        f"t = {stat:+.1f}; a trend is called at |t| > {t.trend_t:g}).",
    )


def _readiness_points(coded: CodedSession) -> tuple[list[float], list[float], float]:
    """(positions 0-1, P(change) - P(sustain), expected change-or-sustain count) of client turns."""
    n = max(1, len(coded.codes) - 1)
    xs, ys, mass = [], [], 0.0
    for u, c in zip(coded.session.utterances, coded.codes, strict=True):
        if u.role != "client":
            continue
        p = c.probabilities or ({c.talk_type: 1.0} if c.talk_type else {})
        change, sustain = p.get("change", 0.0), p.get("sustain", 0.0)
        xs.append(u.index / n)
        ys.append(change - sustain)
        mass += change + sustain
    return xs, ys, mass


def _slope_t(xs: list[float], ys: list[float]) -> tuple[float, float]:
    """Least-squares slope of ys on xs and its t statistic (0 when undefined)."""
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    if sxx == 0:
        return 0.0, 0.0
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx
    rss = sum((y - my - slope * (x - mx)) ** 2 for x, y in zip(xs, ys, strict=True))
    se = (rss / (len(xs) - 2) / sxx) ** 0.5
    if se == 0:
        return slope, 0.0 if slope == 0 else (float("inf") if slope > 0 else float("-inf"))
    return slope, slope / se
