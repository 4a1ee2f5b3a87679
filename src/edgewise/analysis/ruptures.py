"""Rupture markers and repairs.

A rupture shows as therapist confrontation, client discord, or a withdrawn
answer to a challenge. It is repaired when, within the next
``windows.repair_moves`` therapist moves, the clinician returns to support
(support >= ``repair_support`` and not a challenge) or names what happened
(repair marker: apology, owning a push, checking how the talk lands).
"""

from __future__ import annotations

from edgewise.analysis.markers import has_marker
from edgewise.analysis.results import Move, Response, Rupture, RuptureKind
from edgewise.analysis.weights import StressWeights
from edgewise.domain import CodedSession

__all__ = ["find_ruptures"]


def find_ruptures(
    coded: CodedSession,
    moves: tuple[Move, ...],
    responses: tuple[Response, ...],
    w: StressWeights,
) -> tuple[Rupture, ...]:
    """Every rupture marker in session order, each with whether and where it was repaired."""
    found: dict[int, tuple[RuptureKind, tuple[int, ...]]] = {}
    for code in coded.codes:
        if "confrontation" in code.flags:
            found[code.index] = ("confrontation", (code.index,))
        elif "discord" in code.flags:
            found[code.index] = ("discord", (code.index,))
    for r in responses:
        if r.kind == "withdrawn" and r.evidence and r.evidence[0] not in found:
            found[r.evidence[0]] = ("withdrawal", (r.challenge, *r.evidence))
    return tuple(
        _rupture(coded, moves, index, kind, evidence, w)
        for index, (kind, evidence) in sorted(found.items())
    )


def _rupture(
    coded: CodedSession,
    moves: tuple[Move, ...],
    index: int,
    kind: RuptureKind,
    evidence: tuple[int, ...],
    w: StressWeights,
) -> Rupture:
    repair = _repair(coded, moves, index, w)
    return Rupture(
        index=index,
        kind=kind,
        evidence=evidence,
        repaired=repair is not None,
        repair=repair,
    )


def _repair(
    coded: CodedSession, moves: tuple[Move, ...], index: int, w: StressWeights
) -> int | None:
    after = [m for m in moves if m.index > index][: w.windows.repair_moves]
    for move in after:
        text = coded.session.utterances[move.index].text
        if has_marker(text, "repair"):
            return move.index
        if move.support >= w.thresholds.repair_support and not move.is_challenge:
            return move.index
    return None
