"""Ruptures need strain (client discord or shutdown, unrepaired clinician confrontation),
never brief assent and never a challenge that landed; each says who did what."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest

from edgewise.analysis import StressAnalyzer, load_weights
from edgewise.analysis.moves import score_moves
from edgewise.analysis.responses import classify_responses, reconcile
from edgewise.analysis.results import Rupture
from edgewise.analysis.ruptures import find_ruptures
from edgewise.domain import CodedSession
from edgewise.readers import read_sessions

Build = Callable[..., CodedSession]

WEIGHTS = load_weights()
WINDOW = WEIGHTS.windows.repair_moves

#: A clinician turn with a confrontation marker ("no more excuses").
CONFRONT = (
    "therapist",
    "No more excuses. You need to stop buying it.",
    "therapist_input",
    "advice",
)
PUSH = ("therapist", "You should just stop buying it.", "therapist_input", "advice")
SIMPLE = ("therapist", "It's been a hard few weeks.", "reflection", "simple")
OPEN = ("therapist", "What would it take to cut down?", "question", "open")
NEUTRAL = ("client", "I went to my sister's on Sunday afternoon.", "neutral")
#: A brief answer: a challenge it follows has not landed (an 8-word elaboration would have).
BRIEF = ("client", "It was on Tuesday.", "neutral")
#: A challenging question (evocative) with a confrontation marker ("come on").
CONFRONTING_QUESTION = (
    "therapist",
    "Come on, be honest with yourself. What would it take to cut down?",
    "question",
    "open",
)
#: Client strain: discord ("you're not listening") and shutdown ("whatever you think").
DISCORD = ("client", "You're not listening to me.", "sustain")
SHUTDOWN = ("client", "Whatever you think.", "neutral")


def ruptures(build: Build, turns: Sequence[Sequence[Any]], **kw: Any) -> tuple[Rupture, ...]:
    coded = build(turns, **kw)
    moves = score_moves(coded, WEIGHTS)
    return find_ruptures(coded, moves, classify_responses(coded, moves, WEIGHTS), WEIGHTS)


# --- each kind -----------------------------------------------------------------------------


def test_client_discord_after_a_clinician_turn(build: Build) -> None:
    (r,) = ruptures(build, [OPEN, DISCORD])
    assert (r.index, r.kind, r.by, r.evidence) == (1, "discord", "client", (0, 1))
    assert not r.repaired and r.repair is None
    assert r.label == "Cal pushed back against Tess"  # the builder's speaker names


def test_client_shutdown_is_withdrawal(build: Build) -> None:
    (r,) = ruptures(build, [PUSH, SHUTDOWN, PUSH])
    assert (r.index, r.kind, r.by, r.evidence) == (1, "withdrawal", "client", (0, 1))
    assert not r.repaired and r.repair is None
    assert r.label == "Cal pulled back or shut down after Tess spoke"


def test_discord_outranks_shutdown_in_one_turn(build: Build) -> None:
    both = ("client", "Whatever. You're not listening anyway.", "sustain")
    (r,) = ruptures(build, [PUSH, both])
    assert r.kind == "discord"


def test_unrepaired_confrontation(build: Build) -> None:
    (r,) = ruptures(build, [CONFRONT, BRIEF])
    assert (r.index, r.kind, r.by, r.evidence) == (0, "confrontation", "therapist", (0,))
    assert not r.repaired and r.repair is None
    assert r.label == "Tess confronted or blamed Cal"


def test_repaired_confrontation_is_no_rupture(build: Build) -> None:
    assert ruptures(build, [CONFRONT, BRIEF, SIMPLE]) == ()
    assert (
        ruptures(build, [CONFRONT, BRIEF, ("therapist", "Sorry, that was harsh.", "other")]) == ()
    )


# --- repairs -------------------------------------------------------------------------------


def test_discord_repaired_by_a_repair_marker_even_on_a_challenging_move(build: Build) -> None:
    owning = ("therapist", "Sorry, I may have pushed there. Try cutting by half.", *PUSH[2:])
    (r,) = ruptures(build, [OPEN, DISCORD, owning])
    assert (r.index, r.kind) == (1, "discord")
    assert r.repaired and r.repair == 2


def test_withdrawal_repaired_by_a_return_to_support(build: Build) -> None:
    (r,) = ruptures(build, [PUSH, SHUTDOWN, PUSH, NEUTRAL, SIMPLE])
    assert r.kind == "withdrawal" and r.repaired and r.repair == 4


def test_no_repair_within_the_window(build: Build) -> None:
    turns = [OPEN, DISCORD] + [PUSH, NEUTRAL] * WINDOW + [SIMPLE]
    (r,) = ruptures(build, turns)
    assert r.kind == "discord" and not r.repaired and r.repair is None
    late = [CONFRONT, BRIEF] + [PUSH, NEUTRAL] * WINDOW + [SIMPLE]
    (c,) = ruptures(build, late)
    assert c.kind == "confrontation" and not c.repaired


def test_repair_on_the_last_move_of_the_window(build: Build) -> None:
    turns = [OPEN, DISCORD] + [PUSH, NEUTRAL] * (WINDOW - 1) + [SIMPLE]
    (r,) = ruptures(build, turns)
    assert r.repair == len(turns) - 1
    in_time = [CONFRONT, BRIEF] + [PUSH, NEUTRAL] * (WINDOW - 1) + [SIMPLE]
    assert ruptures(build, in_time) == ()


def test_supportive_challenge_is_not_a_return_to_support(build: Build) -> None:
    double = ("therapist", "Part of you wants to quit and part of you doesn't.", "reflection")
    (r,) = ruptures(build, [OPEN, DISCORD, double])
    assert r.kind == "discord" and not r.repaired
    (c,) = ruptures(build, [CONFRONT, BRIEF, double])
    assert c.kind == "confrontation"


def test_a_rupture_does_not_repair_itself(build: Build) -> None:
    apologetic = ("therapist", "Sorry, but no more excuses.", "therapist_input", "advice")
    (r,) = ruptures(build, [apologetic, BRIEF])
    assert r.kind == "confrontation" and not r.repaired


# --- what is never a rupture ---------------------------------------------------------------


@pytest.mark.parametrize("assent", ["Sure.", "Okay", "It makes sense.", "Yeah, okay.", "Mm-hmm."])
def test_brief_assent_is_never_a_rupture(build: Build, assent: str) -> None:
    for clinician in (PUSH, OPEN, CONFRONTING_QUESTION):
        turns = [clinician, ("client", assent, "neutral"), SIMPLE]
        assert ruptures(build, turns) == (), (clinician, assent)


def test_minimal_answers_and_coder_flags_alone_are_no_rupture(build: Build) -> None:
    """The old triggers: a withdrawn answer, the coder's confrontation flag, and its discord
    flag on a turn that argues with the change, not with the clinician."""
    turns = [
        PUSH,
        ("client", "I don't know.", "neutral"),
        (
            "therapist",
            "You're in denial about this.",
            "therapist_input",
            "advice",
            {"confrontation"},
        ),
        ("client", "I see it differently.", "sustain", {"discord"}),
        PUSH,
        ("client", "Fine.", "neutral"),
    ]
    assert ruptures(build, turns) == ()


@pytest.mark.parametrize(
    ("text", "flags", "rupture"),
    [
        ("Your plan just doesn't fit my life.", {"discord"}, False),  # the flag alone: no
        ("Your plan just doesn't fit my life.", {"discord", "strain"}, True),  # the model: yes
        ("Sure.", {"discord", "strain"}, False),  # assent never
        ("You're not listening to me.", set(), True),  # a marker needs no flag
    ],
)
def test_the_coders_discord_flag_alone_is_no_rupture(
    build: Build, text: str, flags: set[str], rupture: bool
) -> None:
    """The strain model reads the same cues (speaking to the clinician among them); the
    flag on its own fired on ordinary talk that mentions the clinician."""
    found = ruptures(build, [OPEN, ("client", text, "sustain", flags)])
    assert [(r.index, r.kind) for r in found] == ([(1, "discord")] if rupture else [])


def test_client_strain_needs_a_clinician_turn_just_before(build: Build) -> None:
    assert ruptures(build, [DISCORD]) == ()
    assert ruptures(build, [NEUTRAL, DISCORD]) == ()
    assert ruptures(build, [OPEN, ("other", "The interpreter repeats it."), DISCORD]) == ()
    assert [r.index for r in ruptures(build, [OPEN, NEUTRAL, OPEN, DISCORD])] == [3]


def test_a_challenge_that_landed_is_never_a_rupture(build: Build) -> None:
    change = ("client", "I want to stop before it costs me my job.", "change")
    assert ruptures(build, [CONFRONTING_QUESTION, change]) == ()
    assert ruptures(build, [CONFRONT, NEUTRAL]) == ()  # an elaboration: it landed too
    # the same confrontations, not taken up: ruptures
    (r,) = ruptures(build, [CONFRONTING_QUESTION, BRIEF])
    assert (r.index, r.kind) == (0, "confrontation")
    (r,) = ruptures(build, [CONFRONT, BRIEF])
    assert (r.index, r.kind) == (0, "confrontation")


def test_change_talk_with_strain_in_it_has_not_landed(build: Build) -> None:
    strained = ("client", "I want to stop, but you're not listening to me.", "change")
    found = ruptures(build, [CONFRONTING_QUESTION, strained])
    assert [(r.index, r.kind, r.by) for r in found] == [
        (0, "confrontation", "therapist"),
        (1, "discord", "client"),
    ]


def test_calm_session_has_no_ruptures(build: Build) -> None:
    turns = [SIMPLE, NEUTRAL, SIMPLE, ("client", "I want to change.", "change")]
    assert ruptures(build, turns) == ()


def test_ruptures_in_session_order(build: Build) -> None:
    turns = [
        PUSH,
        SHUTDOWN,
        CONFRONT,
        ("client", "Please don't start on that again.", "sustain"),
        SIMPLE,
        ("client", "Never mind.", "neutral"),
        PUSH,
        ("client", "Can we talk about something else?", "neutral"),
    ]
    found = ruptures(build, turns)
    assert [(r.index, r.kind, r.by, r.repair) for r in found] == [
        (1, "withdrawal", "client", 4),
        (3, "discord", "client", 4),
        (5, "withdrawal", "client", None),
        (7, "withdrawal", "client", None),
    ]  # the confrontation at 2 was repaired at 4: no rupture


# --- labels in the transcript's own words --------------------------------------------------

COACH_TRANSCRIPT = (
    "Coach: What would it take to cut down?\n"
    "Client: You're not listening to me.\n"
    "Coach: No more excuses. You need to stop buying it.\n"
    "Client: It was on Tuesday.\n"
    "Coach: You should just stop buying it.\n"
    "Client: Whatever you think.\n"
)
COACH_CODES = [OPEN, DISCORD, CONFRONT, BRIEF, PUSH, SHUTDOWN]


def test_labels_use_the_coach_transcripts_role_words(build: Build, tmp_path: Path) -> None:
    path = tmp_path / "coaching.txt"
    path.write_text(COACH_TRANSCRIPT, encoding="utf-8")
    (session,) = read_sessions(path)
    assert [u.speaker for u in session.utterances][:2] == ["Coach", "Client"]
    coded = CodedSession(session=session, codes=build(COACH_CODES).codes)
    a = StressAnalyzer().analyze_session(coded)
    assert [(r.index, r.kind, r.label) for r in a.ruptures] == [
        (1, "discord", "The client pushed back against the coach"),
        (2, "confrontation", "The coach confronted or blamed the client"),
        (5, "withdrawal", "The client pulled back or shut down after the coach spoke"),
    ]
    rupture_moments = [m for m in a.key_moments if m.kind == "rupture"]
    assert [m.explanation for m in rupture_moments] == [f"{r.label} here." for r in a.ruptures]


def test_labels_fall_back_to_generic_words_for_letter_codes(build: Build) -> None:
    (r,) = ruptures(build, [OPEN, DISCORD], names={"therapist": "T", "client": "C"})
    assert r.label == "The client pushed back against the clinician"


# --- the coder's strain flag (edgewise.coding.strain_model) ----------------------------------


@pytest.mark.parametrize(
    ("text", "flags", "kind"),
    [
        ("Your way of putting it bothers me.", {"strain"}, "discord"),  # spoken to them
        ("I'd like to finish early today.", {"strain"}, "withdrawal"),  # pulls away
        ("I'd like to finish early today.", {"strain", "discord"}, "discord"),
        ("I'd like to finish early today.", set(), None),  # no flag, no marker
        ("Okay.", {"strain"}, None),  # assent never
    ],
)
def test_the_strain_flag_on_a_client_turn(
    build: Build, text: str, flags: set[str], kind: str | None
) -> None:
    found = ruptures(build, [OPEN, ("client", text, "neutral", flags)])
    assert [(r.index, r.kind, r.by) for r in found] == ([(1, kind, "client")] if kind else [])


def test_the_strain_flag_on_a_clinician_turn_is_a_confrontation_unless_repaired(
    build: Build,
) -> None:
    flagged = (
        "therapist",
        "Let's look at the numbers again.",
        "therapist_input",
        "info",
        {"strain"},
    )
    (r,) = ruptures(build, [NEUTRAL, flagged, BRIEF])
    assert (r.index, r.kind, r.by, r.repaired) == (1, "confrontation", "therapist", False)
    repaired = [NEUTRAL, flagged, BRIEF, ("therapist", "Sorry, I pushed there.", "other")]
    assert ruptures(build, repaired) == ()
    repaired_later = [NEUTRAL, flagged, BRIEF, SIMPLE]
    assert ruptures(build, repaired_later) == ()


def test_the_strain_flag_stands_where_the_response_rules_saw_a_landed_challenge(
    build: Build,
) -> None:
    """The model has read the client's answer: a flagged confrontation answered with a
    compliant "you're right" is a rupture, and then it is not counted as landed."""
    flagged = ("therapist", "Come on, no more excuses.", "therapist_input", "advice", {"strain"})
    marked = ("therapist", "Come on, no more excuses.", "therapist_input", "advice")
    landed = ("client", "You're right, I have been avoiding the numbers for months now.", "change")
    coded = build([NEUTRAL, flagged, landed])
    moves = score_moves(coded, WEIGHTS)
    responses = classify_responses(coded, moves, WEIGHTS)
    assert [(r.challenge, r.kind) for r in responses] == [(1, "productive")]
    found = find_ruptures(coded, moves, responses, WEIGHTS)
    assert [(r.index, r.kind, r.by) for r in found] == [(1, "confrontation", "therapist")]
    assert [(r.challenge, r.kind) for r in reconcile(responses, found)] == [(1, "withdrawn")]
    assert ruptures(build, [NEUTRAL, marked, landed]) == ()  # a marker alone yields


def test_no_move_is_both_a_landed_challenge_and_a_rupture(build: Build) -> None:
    flagged = ("therapist", "Come on, no more excuses.", "therapist_input", "advice", {"strain"})
    landed = ("client", "You're right, I have been avoiding the numbers for months now.", "change")
    strained = ("client", "I want to stop, but you're not listening to me.", "change")
    for turns in ([NEUTRAL, flagged, landed], [CONFRONTING_QUESTION, strained]):
        a = StressAnalyzer().analyze_session(build(turns))
        ruptured = {r.index for r in a.ruptures} | {
            i for r in a.ruptures for i in r.evidence if r.by == "client"
        }
        for r in a.responses:
            if r.kind == "productive":
                assert r.challenge not in ruptured and not set(r.evidence) & ruptured
