"""Support and challenge per therapist move: code weights, probability mixtures, markers, flags."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.analysis import load_weights
from edgewise.analysis.moves import score_moves
from edgewise.analysis.results import Move
from edgewise.analysis.weights import StressWeights
from edgewise.domain import CodedSession

Build = Callable[..., CodedSession]
BEHAVIOURS = ("question", "reflection", "therapist_input", "other")
WEIGHTS = load_weights()

PLAIN = "So the evenings are when it tends to happen."
DOUBLE = "On the one hand the evenings help you unwind, on the other hand mornings are hard."
AUTONOMY = "What you do with this is entirely up to you."
PERMISSION = "Would it be okay if I shared what some people try?"
EVOCATIVE = "How important is it to you to sleep better?"
IMMEDIACY = "I notice we keep coming back to your brother."

CODES = [
    ("reflection", "simple"),
    ("reflection", "complex"),
    ("question", "open"),
    ("question", "closed"),
    ("therapist_input", "information"),
    ("therapist_input", "advice"),
    ("therapist_input", "options"),
    ("therapist_input", "negotiation"),
    ("other", None),
]


def one_move(
    build: Build,
    text: str,
    code: str | dict[str, float],
    subtype: str | dict[str, float] | None = None,
) -> Move:
    return one_flagged(build, text, code, subtype, set())


def one_flagged(
    build: Build,
    text: str,
    code: str | dict[str, float],
    subtype: str | dict[str, float] | None,
    flags: set[str],
) -> Move:
    coded = build([("therapist", text, code, subtype, flags)])
    (move,) = score_moves(coded, WEIGHTS)
    return move


def test_one_hot_codes_take_their_weights(build: Build, weights: StressWeights) -> None:
    for behaviour, subtype in CODES:
        move = one_move(build, PLAIN, behaviour, subtype)
        key = f"{behaviour}.{subtype}" if subtype else behaviour
        assert (move.support, move.challenge) == pytest.approx(
            (weights.codes[key].support, weights.codes[key].challenge)
        ), key
        assert move.reasons == (key,)


def test_complex_reflection_challenges_more_than_simple(build: Build) -> None:
    simple = one_move(build, PLAIN, "reflection", "simple")
    complex_ = one_move(build, PLAIN, "reflection", "complex")
    assert complex_.challenge > simple.challenge
    assert complex_.support < simple.support


def test_subtype_without_probabilities_uses_the_subtype_weights(
    build: Build, weights: StressWeights
) -> None:
    coded = build([("therapist", PLAIN, "reflection", "complex")])
    code = coded.codes[0].model_copy(update={"subtype_probabilities": {}})
    bare = coded.model_copy(update={"codes": (code,)})
    (move,) = score_moves(bare, weights)
    assert move.challenge == pytest.approx(weights.codes["reflection.complex"].challenge)


def test_unknown_behaviour_counts_as_other(build: Build, weights: StressWeights) -> None:
    move = one_move(build, PLAIN, {"humming": 1.0})
    assert (move.support, move.challenge) == (weights.codes["other"].support, 0.0)


@pytest.mark.parametrize(("behaviour", "subtype"), CODES)
@pytest.mark.parametrize("text", [PLAIN, DOUBLE, AUTONOMY, PERMISSION, EVOCATIVE])
@pytest.mark.parametrize("extra", [set(), {"affirmation"}, {"unsolicited_advice", "affirmation"}])
def test_confrontation_is_low_support_high_challenge_whatever_the_code(
    build: Build, behaviour: str, subtype: str | None, text: str, extra: set[str]
) -> None:
    move = one_flagged(build, text, behaviour, subtype, {"confrontation"} | extra)
    assert move.support <= 0.05
    assert move.challenge >= 0.9
    assert move.is_challenge
    assert "confrontation" in move.reasons


@pytest.mark.parametrize(
    "order", [("confrontation", "affirmation"), ("affirmation", "confrontation")]
)
def test_confrontation_wins_in_any_flag_order(
    build: Build, weights: StressWeights, order: tuple[str, str]
) -> None:
    coded = build([("therapist", PERMISSION, "reflection", "simple")])
    code = coded.codes[0].model_copy(update={"flags": order})
    (move,) = score_moves(coded.model_copy(update={"codes": (code,)}), weights)
    assert move.support <= 0.05 and move.challenge >= 0.9


@pytest.mark.parametrize(("behaviour", "subtype"), CODES)
def test_unsolicited_advice_ceiling(build: Build, behaviour: str, subtype: str | None) -> None:
    move = one_flagged(build, AUTONOMY, behaviour, subtype, {"unsolicited_advice", "affirmation"})
    assert move.support <= 0.15
    assert move.challenge >= 0.75


def test_affirmation_floor(build: Build) -> None:
    move = one_flagged(build, PLAIN, "question", "closed", {"affirmation"})
    assert move.support >= 0.9
    assert move.reasons == ("question.closed", "affirmation")


@pytest.mark.parametrize(("behaviour", "subtype"), CODES)
def test_double_sided_raises_both(build: Build, behaviour: str, subtype: str | None) -> None:
    plain = one_move(build, PLAIN, behaviour, subtype)
    double = one_move(build, DOUBLE, behaviour, subtype)
    assert double.support >= max(plain.support, 0.75)
    assert double.challenge >= max(plain.challenge, 0.6)
    assert "double_sided" in double.reasons
    assert double.is_challenge


@pytest.mark.parametrize("text", ["Part of you wants to stop, and part of you doesn't."])
def test_part_of_you_is_double_sided(build: Build, text: str) -> None:
    assert "double_sided" in one_move(build, text, "reflection", "complex").reasons


@pytest.mark.parametrize(("text", "marker"), [(AUTONOMY, "autonomy"), (PERMISSION, "permission")])
@pytest.mark.parametrize(("behaviour", "subtype"), CODES)
def test_autonomy_and_permission_raise_support(
    build: Build, text: str, marker: str, behaviour: str, subtype: str | None
) -> None:
    plain = one_move(build, PLAIN, behaviour, subtype)
    marked = one_move(build, text, behaviour, subtype)
    assert marker in marked.reasons
    assert marked.support >= plain.support
    if plain.support < 0.75:
        assert marked.support > plain.support
    assert marked.challenge == plain.challenge


@pytest.mark.parametrize(("text", "floor"), [(EVOCATIVE, 0.5), (IMMEDIACY, 0.55)])
def test_evocative_and_immediacy_raise_challenge(build: Build, text: str, floor: float) -> None:
    move = one_move(build, text, "question", "closed")
    assert move.challenge >= floor
    assert move.support == one_move(build, PLAIN, "question", "closed").support


def test_mixture_lies_between_its_parts(build: Build) -> None:
    reflection = one_move(build, PLAIN, "reflection", "complex")
    question = one_move(
        build, PLAIN, "question", "complex"
    )  # no question.complex: behaviour weights
    mixed = one_move(build, PLAIN, {"reflection": 0.5, "question": 0.5}, "complex")
    for field in ("support", "challenge"):
        lo, hi = sorted((getattr(reflection, field), getattr(question, field)))
        assert lo <= getattr(mixed, field) <= hi
        middle = (getattr(reflection, field) + getattr(question, field)) / 2
        assert getattr(mixed, field) == pytest.approx(middle, abs=1e-4)


def test_subtype_mixture_lies_between_subtypes(build: Build) -> None:
    simple = one_move(build, PLAIN, "reflection", "simple")
    complex_ = one_move(build, PLAIN, "reflection", "complex")
    mixed = one_move(build, PLAIN, "reflection", {"simple": 0.3, "complex": 0.7})
    assert simple.challenge < mixed.challenge < complex_.challenge
    assert complex_.support < mixed.support < simple.support


def test_unnormalised_probabilities_are_normalised(build: Build) -> None:
    half = one_move(build, PLAIN, {"reflection": 0.5, "question": 0.5}, "simple")
    scaled = one_move(build, PLAIN, {"reflection": 0.2, "question": 0.2}, "simple")
    assert (half.support, half.challenge) == (scaled.support, scaled.challenge)


def test_only_therapist_utterances_get_moves(build: Build, weights: StressWeights) -> None:
    coded = build(
        [
            ("client", "I've been meaning to come for a while.", "neutral"),
            ("therapist", "What brought you in now?", "question", "open"),
            ("other", "Sorry, wrong room."),
            ("client", "My sister pushed me, honestly.", "neutral"),
            ("therapist", "Your sister cares about this.", "reflection", "complex"),
            ("therapist", "And you?", "question", "open"),
        ]
    )
    moves = score_moves(coded, weights)
    assert [m.index for m in moves] == [1, 4, 5]
    for move in moves:
        assert move.is_challenge is (move.challenge >= weights.thresholds.challenge_move)


def test_therapist_turn_without_a_code_counts_as_other(
    build: Build, weights: StressWeights
) -> None:
    coded = build([("therapist", PLAIN)])
    (move,) = score_moves(coded, weights)
    assert (move.support, move.challenge) == (weights.codes["other"].support, 0.0)
    assert move.reasons == ("other",)


MARKER_TEXTS = [PLAIN, DOUBLE, AUTONOMY, PERMISSION, EVOCATIVE, IMMEDIACY, "Sorry, you're right."]
FLAGS = ["affirmation", "confrontation", "unsolicited_advice", "risk"]


@settings(max_examples=100, deadline=None)
@given(
    probs=st.dictionaries(
        st.sampled_from([*BEHAVIOURS, "unknown"]), st.floats(0, 1), min_size=0, max_size=5
    ),
    subs=st.dictionaries(
        st.sampled_from(["simple", "complex", "open", "advice", "weird"]),
        st.floats(0, 1),
        max_size=3,
    ),
    texts=st.lists(st.sampled_from(MARKER_TEXTS), min_size=1, max_size=3),
    flags=st.sets(st.sampled_from(FLAGS)),
)
def test_scores_always_in_unit_interval(
    build: Build, probs: dict[str, float], subs: dict[str, float], texts: list[str], flags: set[str]
) -> None:
    move = one_flagged(build, " ".join(texts), probs or "other", subs or None, flags)
    assert 0.0 <= move.support <= 1.0
    assert 0.0 <= move.challenge <= 1.0
    assert move.reasons and move.reasons[0].split(".")[0] in {*BEHAVIOURS, "unknown"}
