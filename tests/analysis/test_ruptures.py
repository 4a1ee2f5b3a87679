"""Ruptures (confrontation, discord, withdrawal) and whether the clinician repaired them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from edgewise.analysis import load_weights
from edgewise.analysis.moves import score_moves
from edgewise.analysis.responses import classify_responses
from edgewise.analysis.results import Rupture
from edgewise.analysis.ruptures import find_ruptures
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]

WEIGHTS = load_weights()

CONFRONT = (
    "therapist",
    "You're in denial about this.",
    "therapist_input",
    "advice",
    {"confrontation"},
)
PUSH = ("therapist", "You should just stop buying it.", "therapist_input", "advice")
SIMPLE = ("therapist", "It's been a hard few weeks.", "reflection", "simple")
NEUTRAL = ("client", "I went to my sister's on Sunday afternoon.", "neutral")


def ruptures(build: Build, turns: Sequence[Sequence[Any]]) -> tuple[Rupture, ...]:
    coded = build(turns)
    moves = score_moves(coded, WEIGHTS)
    return find_ruptures(coded, moves, classify_responses(coded, moves, WEIGHTS), WEIGHTS)


def test_confrontation_repaired_by_a_return_to_support(build: Build) -> None:
    (r,) = ruptures(build, [CONFRONT, NEUTRAL, SIMPLE])
    assert (r.index, r.kind, r.evidence) == (0, "confrontation", (0,))
    assert r.repaired and r.repair == 2


def test_discord_repaired_by_a_repair_marker_even_on_a_challenging_move(build: Build) -> None:
    turns = [
        ("therapist", "What would it take to cut down?", "question", "open"),
        ("client", "You sound just like my wife.", "sustain", {"discord"}),
        ("therapist", "Sorry, I may have pushed there. Try cutting by half.", *PUSH[2:]),
    ]
    (r,) = ruptures(build, turns)
    assert (r.index, r.kind, r.evidence) == (1, "discord", (1,))
    assert r.repair == 2


def test_withdrawn_answer_is_a_rupture(build: Build) -> None:
    (r,) = ruptures(build, [PUSH, ("client", "I don't know.", "neutral"), PUSH])
    assert (r.index, r.kind, r.evidence) == (1, "withdrawal", (0, 1))
    assert not r.repaired and r.repair is None


def test_no_repair_within_the_window(build: Build) -> None:
    window = WEIGHTS.windows.repair_moves
    turns = [CONFRONT, NEUTRAL] + [PUSH, NEUTRAL] * window + [SIMPLE]
    (r,) = ruptures(build, turns)
    assert r.kind == "confrontation" and not r.repaired and r.repair is None


def test_repair_on_the_last_move_of_the_window(build: Build) -> None:
    window = WEIGHTS.windows.repair_moves
    turns = [CONFRONT, NEUTRAL] + [PUSH, NEUTRAL] * (window - 1) + [SIMPLE]
    (r,) = ruptures(build, turns)
    assert r.repair == len(turns) - 1


def test_supportive_challenge_is_not_a_return_to_support(build: Build) -> None:
    double = ("therapist", "Part of you wants to quit and part of you doesn't.", "reflection")
    (r,) = ruptures(build, [CONFRONT, NEUTRAL, double])
    assert not r.repaired


def test_a_rupture_does_not_repair_itself(build: Build) -> None:
    apologetic = (*CONFRONT[:1], "Sorry, but you're kidding yourself.", *CONFRONT[2:])
    (r,) = ruptures(build, [apologetic, NEUTRAL])
    assert r.kind == "confrontation" and not r.repaired


def test_ruptures_in_session_order(build: Build) -> None:
    turns = [
        PUSH,
        ("client", "Whatever.", "neutral"),
        CONFRONT,
        ("client", "Don't tell me what to do.", "sustain", {"discord"}),
        SIMPLE,
        ("client", "Fine.", "neutral"),
        PUSH,
        ("client", "Fine.", "neutral"),
    ]
    found = ruptures(build, turns)
    assert [(r.index, r.kind, r.repair) for r in found] == [
        (1, "withdrawal", 4),
        (2, "confrontation", 4),
        (3, "discord", 4),
        (7, "withdrawal", None),
    ]


def test_calm_session_has_no_ruptures(build: Build) -> None:
    assert (
        ruptures(build, [SIMPLE, NEUTRAL, SIMPLE, ("client", "I want to change.", "change")]) == ()
    )
