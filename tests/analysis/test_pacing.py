"""Pacing: talk share, input before reflecting, runs of challenge, stalled stretches."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from edgewise.analysis import load_weights
from edgewise.analysis.moves import score_moves
from edgewise.analysis.pacing import pacing
from edgewise.analysis.results import Pacing
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]

WEIGHTS = load_weights()

PUSH = ("therapist", "You could try a nicotine patch.", "therapist_input", "advice")
INFO = ("therapist", "Patches double the chance of quitting.", "therapist_input", "information")
SIMPLE = ("therapist", "It's been a lot.", "reflection", "simple")
SUSTAIN = ("client", "I like smoking, it calms me.", "sustain")
CHANGE = ("client", "I'd like to quit by spring.", "change")
NEUTRAL = ("client", "Work was busy.", "neutral")


def pace(build: Build, turns: Sequence[Sequence[Any]]) -> Pacing:
    coded = build(turns)
    return pacing(coded, score_moves(coded, WEIGHTS), WEIGHTS)


def test_talk_share_counts_words_of_clinician_and_client_only(build: Build) -> None:
    p = pace(
        build,
        [
            ("therapist", "one two three four five", "question", "open"),
            ("client", " ".join(["word"] * 12), "neutral"),
            ("other", "an interpreter says many many many words here"),
            ("therapist", "six seven eight", "reflection", "simple"),
            ("client", "a b c", "neutral"),
        ],
    )
    assert p.therapist_talk_share.value == pytest.approx(8 / 23, abs=1e-4)
    assert p.therapist_talk_share.evidence == (0, 3)


def test_talk_share_evidence_is_the_five_longest_clinician_turns(build: Build) -> None:
    turns: list[tuple[str, ...]] = []
    for n in range(1, 9):
        turns.append(("therapist", " ".join(["so"] * n), "other"))
        turns.append(NEUTRAL)
    p = pace(build, turns)
    assert p.therapist_talk_share.evidence == (6, 8, 10, 12, 14)


@pytest.mark.parametrize(
    ("turns", "expected"),
    [([SIMPLE, SIMPLE], None), ([NEUTRAL, SUSTAIN], None), ([], None)],
    ids=["therapist-only", "client-only", "empty"],
)
def test_talk_share_with_one_side(
    build: Build, turns: list[tuple[str, ...]], expected: float | None
) -> None:
    share = pace(build, turns).therapist_talk_share
    assert share.value == expected
    assert share.explanation


def test_input_before_reflection(build: Build) -> None:
    lookback = WEIGHTS.windows.reflect_lookback
    turns = [
        INFO,  # 0: nothing before: counted
        NEUTRAL,
        SIMPLE,  # 2: a reflection
        NEUTRAL,
        PUSH,  # 4: reflection among the previous moves: not counted
        NEUTRAL,
        *[("therapist", "Okay.", "other"), NEUTRAL] * lookback,
        PUSH,  # the reflection is now beyond the lookback: counted
    ]
    p = pace(build, turns)
    assert p.input_before_reflection.evidence == (0, len(turns) - 1)
    assert p.input_before_reflection.value == 2.0


def test_challenge_runs(build: Build) -> None:
    run = WEIGHTS.windows.challenge_run
    turns = [PUSH, NEUTRAL] * (run - 1) + [SIMPLE, NEUTRAL] + [PUSH, NEUTRAL] * run
    p = pace(build, turns)
    long_run = tuple(range(2 * run, 4 * run, 2))
    assert p.challenge_runs == (long_run,)
    assert p.longest_challenge_run.value == float(run)
    assert p.longest_challenge_run.evidence == long_run


def test_short_runs_are_not_listed(build: Build) -> None:
    p = pace(build, [PUSH, NEUTRAL, PUSH, NEUTRAL, SIMPLE])
    assert p.challenge_runs == ()
    assert p.longest_challenge_run.value == 2.0


def test_no_challenge_no_run(build: Build) -> None:
    p = pace(build, [SIMPLE, NEUTRAL])
    assert p.longest_challenge_run.value == 0.0 and p.longest_challenge_run.evidence == ()


def test_stalled_stretch_while_sustain_talk_persists(build: Build) -> None:
    moves = WEIGHTS.windows.stall_moves
    turns = [PUSH, NEUTRAL] + [SIMPLE, SUSTAIN] * moves + [PUSH, NEUTRAL]
    p = pace(build, turns)
    assert p.stalled_stretches == (tuple(range(2, 2 + 2 * moves - 1)),)


@pytest.mark.parametrize(
    "turns",
    [
        [SIMPLE, SUSTAIN] * (WEIGHTS.windows.stall_moves - 1),  # too few moves
        [SIMPLE, SUSTAIN, CHANGE] * WEIGHTS.windows.stall_moves,  # change matches sustain
        [SIMPLE, NEUTRAL] * WEIGHTS.windows.stall_moves,  # no sustain talk
        [SIMPLE, SUSTAIN] + [SIMPLE, NEUTRAL] * WEIGHTS.windows.stall_moves,  # one sustain only
    ],
    ids=["short", "balanced", "neutral", "one-sustain"],
)
def test_no_stall(build: Build, turns: list[tuple[str, ...]]) -> None:
    assert pace(build, turns).stalled_stretches == ()
