"""Key moments: the turns a clinician would want to look at again.

Productive challenges (the most challenging ones that landed), ruptures and
their repairs, overwhelm, and every risk flag (never capped: risk language is
always shown, as a screening prompt).
"""

from __future__ import annotations

from edgewise.analysis.results import KeyMoment, Move, Response, Rupture
from edgewise.analysis.weights import StressWeights
from edgewise.analysis.wording import turn_label
from edgewise.domain import CodedSession

__all__ = ["key_moments"]


def key_moments(
    coded: CodedSession,
    moves: tuple[Move, ...],
    responses: tuple[Response, ...],
    ruptures: tuple[Rupture, ...],
    w: StressWeights,
) -> tuple[KeyMoment, ...]:
    """Key moments in session order."""
    cap = w.windows.moments_per_kind
    found = _productive(moves, responses, cap) + _ruptures(ruptures, cap)
    found += _overwhelm(coded, responses, cap) + _risk(coded)
    return tuple(sorted(found, key=lambda m: (m.index, m.kind)))


def _productive(
    moves: tuple[Move, ...], responses: tuple[Response, ...], cap: int
) -> list[KeyMoment]:
    challenge = {m.index: m.challenge for m in moves}
    landed = sorted(
        (r for r in responses if r.kind == "productive"), key=lambda r: -challenge[r.challenge]
    )[:cap]
    return [
        KeyMoment(
            kind="productive_challenge",
            index=r.challenge,
            evidence=(r.challenge, *r.evidence),
            explanation="A challenge that landed: the client answered with "
            + ("change talk." if "change_talk" in r.reasons else "more about it."),
        )
        for r in landed
    ]


def _ruptures(ruptures: tuple[Rupture, ...], cap: int) -> list[KeyMoment]:
    out = []
    for r in ruptures[:cap]:
        out.append(
            KeyMoment(
                kind="rupture",
                index=r.index,
                evidence=r.evidence,
                explanation=f"{r.label} here.",
            )
        )
        if r.repair is not None:
            out.append(
                KeyMoment(
                    kind="repair",
                    index=r.repair,
                    evidence=(r.index, r.repair),
                    explanation=f"The repair after the strain at {turn_label(r.index)}: "
                    "naming what happened or returning to support.",
                )
            )
    return out


def _overwhelm(coded: CodedSession, responses: tuple[Response, ...], cap: int) -> list[KeyMoment]:
    after = {i: r.challenge for r in responses if r.kind == "overwhelmed" for i in r.evidence}
    distress = [c.index for c in coded.codes if "distress" in c.flags][:cap]
    return [
        KeyMoment(
            kind="overwhelm",
            index=i,
            evidence=(after[i], i) if i in after else (i,),
            explanation="The client sounded overwhelmed"
            + (f" after the challenge at {turn_label(after[i])}." if i in after else "."),
        )
        for i in distress
    ]


def _risk(coded: CodedSession) -> list[KeyMoment]:
    return [
        KeyMoment(
            kind="risk",
            index=c.index,
            evidence=(c.index,),
            explanation="Possible risk language (self-harm, suicide or harm to others). "
            "Screening only, not an assessment: please read this turn.",
        )
        for c in coded.codes
        if "risk" in c.flags
    ]
