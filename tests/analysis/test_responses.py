"""How the client answers each challenging move: precedence, window, topic shift, and
reconciling with ruptures (a landed challenge is never a rupture)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pytest

from edgewise.analysis import StressAnalyzer, load_weights
from edgewise.analysis.moves import score_moves
from edgewise.analysis.responses import classify_responses, reconcile
from edgewise.analysis.results import Response, Rupture, RuptureKind
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]

WEIGHTS = load_weights()
#: The text of a challenging move (a complex reflection: challenge 0.45 >= 0.4).
CHALLENGE = "You keep the phone close because the nights feel empty."
LONG = "Well, it started when I moved flats and stopped seeing my old friends at the gym."


def challenge(text: str = CHALLENGE) -> tuple[str, str, str, str]:
    return ("therapist", text, "reflection", "complex")


def respond(
    build: Build, turns: Sequence[Sequence[Any]], embeddings: npt.NDArray[np.float32] | None = None
) -> tuple[Response, ...]:
    coded = build(turns)
    return classify_responses(coded, score_moves(coded, WEIGHTS), WEIGHTS, embeddings)


def only(build: Build, turns: Sequence[Sequence[Any]]) -> Response:
    (response,) = respond(build, turns)
    return response


def test_distress_beats_change_talk(build: Build) -> None:
    r = only(
        build,
        [
            challenge(),
            ("client", "I do want to sleep better, I really do.", "change"),
            ("client", "It's all too much right now.", "neutral", {"distress"}),
        ],
    )
    assert (r.kind, r.reasons, r.evidence) == ("overwhelmed", ("distress",), (1, 2))


def test_discord_is_defensive_even_with_change_talk(build: Build) -> None:
    r = only(
        build,
        [
            challenge(),
            ("client", "I want to change, but you don't get it.", "change", {"discord"}),
        ],
    )
    assert (r.kind, r.reasons) == ("defensive", ("discord",))


def test_sustain_outweighing_change_is_defensive(build: Build) -> None:
    r = only(
        build,
        [
            challenge(),
            ("client", "It helps me relax.", "sustain"),
            ("therapist", "Mm.", "other"),
            ("client", "I need it after work.", "sustain"),
            ("client", "Though I'd like to cut down.", "change"),
        ],
    )
    assert (r.kind, r.reasons) == ("defensive", ("sustain_talk",))


def test_change_talk_is_productive(build: Build) -> None:
    r = only(build, [challenge(), ("client", "I want to be off it by the summer.", "change")])
    assert (r.kind, r.reasons, r.evidence) == ("productive", ("change_talk",), (1,))


def test_change_matching_sustain_is_productive(build: Build) -> None:
    r = only(
        build,
        [
            challenge(),
            ("client", "It helps me relax.", "sustain"),
            ("client", "But I want my evenings back.", "change"),
        ],
    )
    assert (r.kind, r.reasons) == ("productive", ("change_talk",))


@pytest.mark.parametrize(
    "text",
    [
        "I don't know.",
        "Dunno",
        "Whatever.",
        "Maybe.",
        "Fine",
        "Can we talk about something else for a minute, please?",
        "I'd rather not go into all of that today if that's alright.",
    ],
)
def test_minimal_or_deflecting_answer_is_withdrawn(build: Build, text: str) -> None:
    r = only(build, [challenge(), ("client", text, "neutral")])
    assert (r.kind, r.reasons) == ("withdrawn", ("minimal_answer",))


def test_long_neutral_answer_is_productive_elaboration(build: Build) -> None:
    r = only(build, [challenge(), ("client", LONG, "neutral")])
    assert (r.kind, r.reasons) == ("productive", ("elaboration",))


def test_short_neutral_answer_is_withdrawn(build: Build) -> None:
    r = only(build, [challenge(), ("client", "It was on Tuesday, I think.", "neutral")])
    assert (r.kind, r.reasons) == ("withdrawn", ("brief_answer",))


def _embeddings(n: int, answer: list[float]) -> npt.NDArray[np.float32]:
    rows = np.zeros((n, 3), dtype=np.float32)
    rows[:, 0] = 1.0
    rows[-1] = answer
    return rows


TOPIC = [
    ("client", "My evenings are mostly on the phone.", "neutral"),
    challenge(),
    ("client", LONG, "neutral"),
]


def test_topic_shift_is_withdrawn(build: Build) -> None:
    (r,) = respond(build, TOPIC, _embeddings(3, [0.0, 1.0, 0.0]))
    assert (r.kind, r.reasons, r.evidence) == ("withdrawn", ("topic_shift",), (2,))


@pytest.mark.parametrize("answer", [[1.0, 0.2, 0.0], [0.0, 0.0, 0.0]], ids=["same", "zero"])
def test_on_topic_or_unreadable_embedding_is_not_a_shift(build: Build, answer: list[float]) -> None:
    (r,) = respond(build, TOPIC, _embeddings(3, answer))
    assert (r.kind, r.reasons) == ("productive", ("elaboration",))


def test_no_embeddings_no_topic_shift(build: Build) -> None:
    (r,) = respond(build, TOPIC)
    assert (r.kind, r.reasons) == ("productive", ("elaboration",))


def test_change_talk_beats_topic_shift(build: Build) -> None:
    turns = [*TOPIC[:2], ("client", "I'd like to get back to the gym again.", "change")]
    (r,) = respond(build, turns, _embeddings(3, [0.0, 1.0, 0.0]))
    assert r.kind == "productive"


def test_window_stops_at_the_next_challenge(build: Build) -> None:
    responses = respond(
        build,
        [
            challenge(),
            ("client", "Not really.", "neutral"),
            challenge("On the one hand it helps, on the other hand you're exhausted."),
            ("client", "I want to sleep properly again.", "change"),
        ],
    )
    assert [(r.challenge, r.kind, r.evidence) for r in responses] == [
        (0, "withdrawn", (1,)),
        (2, "productive", (3,)),
    ]


def test_back_to_back_challenges_answer_only_the_last(build: Build) -> None:
    responses = respond(
        build, [challenge(), challenge(), ("client", "I want to sleep properly again.", "change")]
    )
    assert [r.challenge for r in responses] == [1]


def test_window_is_limited_to_the_next_utterances(build: Build) -> None:
    size = WEIGHTS.windows.response_utterances
    gap = [("therapist", "Mm-hmm.", "other")] * (size - 1)
    inside = respond(build, [challenge(), *gap, ("client", LONG, "neutral")])
    assert [r.evidence for r in inside] == [(size,)]
    outside = respond(
        build, [challenge(), *gap, ("other", "Knock knock."), ("client", LONG, "neutral")]
    )
    assert outside == ()


def test_no_client_turn_after_means_no_response(build: Build) -> None:
    assert respond(build, [("client", "Hello.", "neutral"), challenge()]) == ()
    assert respond(build, [challenge(), ("therapist", "Take your time.", "other")]) == ()


def test_evidence_is_only_client_turns(build: Build) -> None:
    r = only(
        build,
        [
            challenge(),
            ("other", "The interpreter repeats it."),
            ("therapist", "Take your time.", "other"),
            ("client", LONG, "neutral"),
        ],
    )
    assert r.evidence == (3,)


def test_supportive_moves_get_no_response(build: Build) -> None:
    turns = [
        ("therapist", "You've had a long week.", "reflection", "simple"),
        ("client", "I want to change that.", "change"),
    ]
    assert respond(build, turns) == ()


# --- reconcile: client strain is never a challenge that landed ------------------------------


def _rupture(index: int, kind: RuptureKind, evidence: tuple[int, ...] = ()) -> Rupture:
    by: Literal["client", "therapist"] = "therapist" if kind == "confrontation" else "client"
    return Rupture(
        index=index, kind=kind, by=by, label="x", evidence=evidence or (index,), repaired=False
    )


PRODUCTIVE = Response(challenge=0, kind="productive", evidence=(1, 3), reasons=("change_talk",))


@pytest.mark.parametrize(
    ("kinds", "expected"),
    [
        (("discord",), "defensive"),
        (("withdrawal",), "withdrawn"),
        (("withdrawal", "discord"), "defensive"),
    ],
)
def test_productive_answer_with_client_strain_is_not_productive(
    kinds: tuple[RuptureKind, ...], expected: str
) -> None:
    ruptures = tuple(_rupture(i, k) for i, k in zip((1, 3), kinds, strict=False))
    (r,) = reconcile((PRODUCTIVE,), ruptures)
    assert (r.challenge, r.kind, r.evidence, r.reasons) == (0, expected, (1, 3), ("rupture",))


def test_reconcile_leaves_everything_else_alone() -> None:
    others = (
        Response(challenge=5, kind="overwhelmed", evidence=(6,), reasons=("distress",)),
        Response(challenge=7, kind="withdrawn", evidence=(8,), reasons=("minimal_answer",)),
        Response(challenge=9, kind="productive", evidence=(10,), reasons=("elaboration",)),
    )
    ruptures = (_rupture(6, "discord"), _rupture(8, "discord"), _rupture(11, "withdrawal"))
    assert reconcile(others, ruptures) == others  # strain outside a productive answer
    assert reconcile((PRODUCTIVE,), ()) == (PRODUCTIVE,)
    assert reconcile((), ruptures) == ()


def test_clinician_strain_does_not_change_a_response() -> None:
    """A confrontation is the clinician's strain: it says nothing about the client's answer."""
    confrontation = _rupture(1, "confrontation")
    assert confrontation.by == "therapist"
    assert reconcile((PRODUCTIVE,), (confrontation,)) == (PRODUCTIVE,)


def test_reconcile_keeps_order_and_changes_only_the_strained() -> None:
    later = Response(challenge=4, kind="productive", evidence=(5,), reasons=("change_talk",))
    first, second = reconcile((PRODUCTIVE, later), (_rupture(5, "withdrawal"),))
    assert first == PRODUCTIVE
    assert (second.challenge, second.kind, second.reasons) == (4, "withdrawn", ("rupture",))


def test_the_analyser_never_counts_a_strained_answer_as_landed(build: Build) -> None:
    turns = [
        challenge(),
        ("client", "I want to cut down, but you're not listening to me.", "change"),
        challenge("On the one hand it helps, on the other hand you're exhausted."),
        ("client", "I want to sleep properly again.", "change"),
    ]
    coded = build(turns)
    plain = classify_responses(coded, score_moves(coded, WEIGHTS), WEIGHTS)
    assert [r.kind for r in plain] == ["productive", "productive"]  # before reconciling
    a = StressAnalyzer().analyze_session(coded)
    assert [(r.challenge, r.kind, r.reasons) for r in a.responses] == [
        (0, "defensive", ("rupture",)),
        (2, "productive", ("change_talk",)),
    ]
    assert [(r.index, r.kind) for r in a.ruptures] == [(1, "discord")]
    assert a.challenge_landing.value == 0.5
    landed = {m.index for m in a.key_moments if m.kind == "productive_challenge"}
    assert landed == {2}
