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


def trend(parts: tuple[Segment, ...], w: StressWeights) -> Trend:
    """Least-squares slope of change-talk share across segments (per segment)."""
    values = tuple(s.change_talk_share for s in parts)
    points = [(float(k), v) for k, v in enumerate(values) if v is not None]
    if len(points) < 2:
        return Trend(
            values=values,
            slope=None,
            direction="unknown",
            explanation="Too little change or sustain talk in the segments to see a trend.",
        )
    mx = sum(x for x, _ in points) / len(points)
    my = sum(y for _, y in points) / len(points)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x, _ in points)
    step = w.thresholds.trend_slope
    direction: Literal["rising", "falling", "flat"] = (
        "rising" if slope > step else "falling" if slope < -step else "flat"
    )
    return Trend(
        values=values,
        slope=round(slope, 4),
        direction=direction,
        explanation=f"Change-talk share was {direction} across the session "
        f"({slope:+.2f} per third): readiness "
        + {"rising": "grew.", "falling": "fell.", "flat": "held steady."}[direction],
    )
