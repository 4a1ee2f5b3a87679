"""Pacing: too fast (talk share, input before reflecting, runs of challenge) or too slow.

- therapist talk share: the clinician's share of all words spoken by clinician and client;
- input before reflection: information or advice with no reflection among the
  clinician's previous ``windows.reflect_lookback`` moves;
- challenge runs: ``windows.challenge_run`` or more challenging moves in a row;
- stalled stretches: ``windows.stall_moves`` or more moves without challenge
  while the client voiced at least ``windows.stall_sustain`` sustain statements
  and more sustain than change talk.
"""

from __future__ import annotations

from collections.abc import Callable

from edgewise.analysis.markers import word_count
from edgewise.analysis.results import Move, Pacing, Score
from edgewise.analysis.weights import StressWeights
from edgewise.domain import CodedSession

__all__ = ["pacing"]


def pacing(coded: CodedSession, moves: tuple[Move, ...], w: StressWeights) -> Pacing:
    """All pacing figures for a session."""
    runs = _runs(moves, lambda m: m.is_challenge)
    long_runs = tuple(r for r in runs if len(r) >= w.windows.challenge_run)
    longest = max(runs, key=len, default=())
    return Pacing(
        therapist_talk_share=_talk_share(coded),
        input_before_reflection=_input_first(coded, moves, w.windows.reflect_lookback),
        longest_challenge_run=Score(
            value=float(len(longest)),
            evidence=longest,
            explanation="The most challenging turns the clinician made in a row; long runs "
            "can feel like pressure.",
        ),
        challenge_runs=long_runs,
        stalled_stretches=_stalls(coded, moves, w),
    )


def _talk_share(coded: CodedSession) -> Score:
    words = {"therapist": 0, "client": 0}
    for u in coded.session.utterances:
        if u.role in words:
            words[u.role] += word_count(u.text)
    if not words["therapist"] or not words["client"]:
        return Score(
            value=None,
            explanation="Only one side spoke, so the balance of talk is not meaningful.",
        )
    share = words["therapist"] / (words["therapist"] + words["client"])
    longest = sorted(
        (u for u in coded.session.utterances if u.role == "therapist"),
        key=lambda u: -word_count(u.text),
    )[:5]
    return Score(
        value=round(share, 4),
        evidence=tuple(sorted(u.index for u in longest)),
        explanation=f"The clinician spoke {round(share * 100)}% of the words; in MI the "
        "client usually does most of the talking.",
    )


def _input_first(coded: CodedSession, moves: tuple[Move, ...], lookback: int) -> Score:
    behaviour = {c.index: c.behaviour for c in coded.codes}
    found = []
    for k, move in enumerate(moves):
        if behaviour.get(move.index) != "therapist_input":
            continue
        before = moves[max(0, k - lookback) : k]
        if not any(behaviour.get(m.index) == "reflection" for m in before):
            found.append(move.index)
    return Score(
        value=float(len(found)),
        evidence=tuple(found),
        explanation="Information or advice given without first reflecting what the client "
        "said: the client may not yet feel understood.",
    )


def _runs(moves: tuple[Move, ...], keep: Callable[[Move], bool]) -> list[tuple[int, ...]]:
    runs: list[tuple[int, ...]] = []
    current: list[int] = []
    for move in moves:
        if keep(move):
            current.append(move.index)
            continue
        if current:
            runs.append(tuple(current))
        current = []
    if current:
        runs.append(tuple(current))
    return runs


def _stalls(
    coded: CodedSession, moves: tuple[Move, ...], w: StressWeights
) -> tuple[tuple[int, ...], ...]:
    out = []
    for run in _runs(moves, lambda m: not m.is_challenge):
        if len(run) < w.windows.stall_moves:
            continue
        inside = coded.codes[run[0] : run[-1] + 1]
        sustain = sum(c.talk_type == "sustain" for c in inside)
        change = sum(c.talk_type == "change" for c in inside)
        if sustain >= w.windows.stall_sustain and sustain > change:
            out.append(tuple(range(run[0], run[-1] + 1)))
    return tuple(out)
