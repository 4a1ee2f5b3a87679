"""The analyser contract, purity, and sensible output on edge cases (never NaN, never a crash)."""

from __future__ import annotations

import inspect
import json
import math
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from edgewise.analysis import SessionAnalysis, StressAnalyzer
from edgewise.domain import CodedSession
from edgewise.steps import drain_counting

Build = Callable[..., CodedSession]
MODEL = "test"  # the model name the builder writes

ANALYSERS = [StressAnalyzer]

SESSION = [
    ("therapist", "What would you like to focus on today?", "question", "open"),
    ("client", "My drinking. My partner keeps bringing it up.", "sustain"),
    ("therapist", "Part of you is fed up with hearing it, and part of you wonders.", "reflection"),
    ("client", "I do wonder. I want to feel clearer in the mornings.", "change"),
    ("therapist", "You should stop drinking on weeknights.", "therapist_input", "advice"),
    ("client", "I don't know.", "neutral"),
    ("therapist", "Sorry, I jumped ahead there. It's your call.", "reflection", "simple"),
    ("other", "The interpreter repeats the last sentence."),
    ("client", "It's okay. Maybe weekends only could work for me.", "change"),
    ("therapist", "You've thought this through carefully.", "reflection", "complex"),
    ("client", "Some nights it feels like there's no way out.", "neutral", {"risk", "distress"}),
    ("therapist", "That sounds really heavy. What is that like?", "question", "open"),
]


def embeddings_for(n: int, dim: int = 8, seed: int = 3) -> npt.NDArray[np.float32]:
    return np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)


def walk(value: Any, path: str = "") -> None:
    """Every number in a dumped model is finite."""
    if isinstance(value, dict):
        for key, item in value.items():
            walk(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for k, item in enumerate(value):
            walk(item, f"{path}[{k}]")
    elif isinstance(value, float):
        assert math.isfinite(value), path


#: Fields whose integers are utterance indexes.
INDEX_KEYS = {
    "evidence",
    "index",
    "challenge",
    "repair",
    "start",
    "end",
    "challenge_runs",
    "stalled_stretches",
}


def check_sane(a: SessionAnalysis, coded: CodedSession) -> None:
    """No NaN or infinity, JSON-serialisable, round-trips, and evidence points at utterances."""
    dumped = a.model_dump()
    walk(dumped)
    text = json.dumps(a.model_dump(mode="json"), allow_nan=False)
    assert SessionAnalysis.model_validate_json(text) == a
    assert SessionAnalysis.model_validate_json(a.model_dump_json()) == a
    n = len(coded.codes)
    assert a.utterances == n
    indexes: list[int] = []

    def collect(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, item in value.items():
                collect(item, k)
        elif isinstance(value, list | tuple):
            for item in value:
                collect(item, key)
        elif isinstance(value, int) and not isinstance(value, bool):
            if key in INDEX_KEYS:
                indexes.append(value)

    collect(dumped)
    assert all(0 <= i < n for i in indexes), indexes
    for score in (a.scores.optimal_stress, a.scores.support, a.scores.challenge):
        assert score.value is None or 0.0 <= score.value <= 1.0
        assert score.explanation
    therapist = [u.index for u in coded.session.utterances if u.role == "therapist"]
    assert [m.index for m in a.moves] == therapist


@pytest.mark.parametrize("with_embeddings", [False, True])
def test_analyze_steps_pauses_between_parts_with_the_same_result(
    build: Build, with_embeddings: bool
) -> None:
    """The stepped analysis (the web's fair queue runs it) pauses between its parts and
    ends with analyze_session's result."""
    coded = build(SESSION, sid="steps")
    emb = embeddings_for(len(SESSION)) if with_embeddings else None
    analyzer = StressAnalyzer()
    result, pauses = drain_counting(analyzer.analyze_steps(coded, emb))
    assert result == analyzer.analyze_session(coded, emb)
    assert pauses >= 5


# --- the contract ------------------------------------------------------------------------


@pytest.mark.parametrize("cls", ANALYSERS, ids=lambda c: c.__name__)
def test_contract(cls: type[StressAnalyzer]) -> None:
    params = list(inspect.signature(cls.__init__).parameters.values())[1:]
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in params)
    with pytest.raises(TypeError):
        cls(None)  # type: ignore[call-arg]
    assert isinstance(cls.name, str) and cls.name
    assert cls.requires and all(isinstance(r, str) for r in cls.requires)
    assert cls.assigns == ("analysis",)
    instance = cls()
    assert instance.version.startswith(f"{cls.name}@")
    assert vars(instance) and all(k.endswith("_") for k in vars(instance))


@pytest.mark.parametrize("cls", ANALYSERS, ids=lambda c: c.__name__)
@pytest.mark.parametrize("with_embeddings", [False, True])
def test_analyze_session_is_pure(
    build: Build, cls: type[StressAnalyzer], with_embeddings: bool
) -> None:
    coded = build(SESSION, sid="pure")
    before = coded.model_copy(deep=True)
    emb = embeddings_for(len(SESSION)) if with_embeddings else None
    emb_before = None if emb is None else emb.copy()
    analyzer = cls()
    first = analyzer.analyze_session(coded, emb)
    second = analyzer.analyze_session(coded, emb)
    assert first == second
    assert first == cls().analyze_session(build(SESSION, sid="pure"), emb)
    assert coded == before
    if emb is not None and emb_before is not None:
        np.testing.assert_array_equal(emb, emb_before)


def test_analysis_names_the_session_analyser_and_coder(build: Build) -> None:
    coded = build(SESSION, sid="named")
    a = StressAnalyzer().analyze_session(coded)
    assert (a.session_id, a.analyser, a.coder) == ("named", "edgewise.stress.v1@1.1.0", MODEL)
    check_sane(a, coded)
    assert any("risk" in note.lower() for note in a.notes)
    assert any(m.kind == "risk" and m.index == 10 for m in a.key_moments)


RISK_NOTE = "Possible risk language was flagged."


def _check(turn: Sequence[Any]) -> tuple[Any, ...]:
    """The client turn ``turn`` with its flags replaced by ``{"risk_check"}``."""
    return (*turn[:3], {"risk_check"})


def test_worth_checking_turns_get_a_quiet_note_and_no_risk_note(build: Build) -> None:
    turns = list(SESSION[:10])
    turns[3] = _check(turns[3])
    a = StressAnalyzer().analyze_session(build(turns))
    assert "1 client turn marked 'worth checking'" in " ".join(a.notes)
    assert not any(n.startswith(RISK_NOTE) for n in a.notes)
    assert not any(m.kind == "risk" for m in a.key_moments)
    turns[1] = _check(turns[1])
    a = StressAnalyzer().analyze_session(build(turns))
    assert "2 client turns marked 'worth checking'" in " ".join(a.notes)


def test_explicit_risk_and_worth_checking_both_noted(build: Build) -> None:
    turns = list(SESSION)
    turns[1] = _check(turns[1])
    a = StressAnalyzer().analyze_session(build(turns))
    notes = list(a.notes)
    assert notes[0].startswith(RISK_NOTE)
    assert notes[1].startswith("1 client turn marked 'worth checking'")
    assert [m.index for m in a.key_moments if m.kind == "risk"] == [10]


# --- edge cases --------------------------------------------------------------------------

EDGE_CASES: dict[str, list[Sequence[Any]]] = {
    "no-challenge": [
        ("therapist", "How was the week?", "question", "closed"),
        ("client", "Okay, nothing much.", "neutral"),
        ("therapist", "A quiet week.", "reflection", "simple"),
        ("client", "I like it that way.", "sustain"),
    ]
    * 4,
    "no-client-talk": [
        ("therapist", "Hello, can you hear me?", "question", "closed"),
        ("other", "The line is breaking up."),
        ("therapist", "You should try the other link.", "therapist_input", "advice"),
    ],
    "therapist-only": [
        ("therapist", "Part of you wants this and part of you doesn't.", "reflection"),
        ("therapist", "Would it be okay if I shared something?", "question", "closed"),
    ],
    "client-only": [
        ("client", "I want to stop, but it's hard.", "change"),
        ("client", "Smoking is how I cope.", "sustain", {"discord"}),
        ("client", "Some nights I can't go on.", "neutral", {"risk"}),
    ],
    "three-turns": [
        ("therapist", "What brings you in?", "question", "open"),
        ("client", "I don't know.", "neutral"),
        ("therapist", "You're not sure yet.", "reflection", "simple"),
    ],
    "one-turn": [("client", "Hello?", "neutral")],
    "empty": [],
    "other-only": [("other", "Recording started."), ("other", "Recording stopped.")],
    "uncoded": [("therapist", "Hi."), ("client", "Hi.")],
    "all-challenge": [
        ("therapist", "That's an excuse.", "therapist_input", "advice", {"confrontation"})
    ]
    * 12,
}


@pytest.mark.parametrize("turns", EDGE_CASES.values(), ids=EDGE_CASES.keys())
@pytest.mark.parametrize("with_embeddings", [False, True])
def test_edge_cases_give_sensible_output(
    build: Build, turns: list[Sequence[Any]], with_embeddings: bool
) -> None:
    coded = build(turns, sid="edge", uncertain=range(0, len(turns), 2))
    emb = embeddings_for(len(turns)) if with_embeddings else None
    a = StressAnalyzer().analyze_session(coded, emb)
    check_sane(a, coded)
    roles = {u.role for u in coded.session.utterances}
    notes = " ".join(a.notes)
    if "therapist" not in roles:
        assert a.scores.optimal_stress.value is None and a.quadrant is None
        assert a.moves == () and a.responses == ()
        assert "No clinician talk" in notes
    if "client" not in roles:
        assert a.responses == () and a.change_talk_share.value is None
        assert a.challenge_landing.value is None and a.parts == ()
        assert "No client talk" in notes
    if len(turns) < 10:
        assert "very short" in notes
        assert len(a.segments) == (1 if turns else 0)
        assert a.change_talk_trend.direction == "unknown"


def test_no_challenge_session(build: Build) -> None:
    coded = build(EDGE_CASES["no-challenge"])
    a = StressAnalyzer().analyze_session(coded)
    assert a.responses == () and a.challenge_landing.value is None
    assert not any(m.is_challenge for m in a.moves)
    assert a.quadrant == "comfort"
    value = a.scores.optimal_stress.value
    assert value is not None and 0.0 < value < 1.0
    assert "no challenging move" in " ".join(a.notes)


def test_empty_session(build: Build) -> None:
    a = StressAnalyzer().analyze_session(build([], sid="empty"))
    assert (a.utterances, a.coder, a.segments, a.moves, a.key_moments) == (0, "", (), (), ())
    assert a.pacing.therapist_talk_share.value is None
    assert a.miti.reflection_to_question.value is None


def test_many_uncertain_codes_are_noted(build: Build) -> None:
    coded = build(SESSION, uncertain=range(len(SESSION)))
    a = StressAnalyzer().analyze_session(coded)
    coded_turns = sum(turn[0] != "other" for turn in SESSION)  # "other" turns get no code
    assert f"unsure of {coded_turns} of {len(SESSION)}" in " ".join(a.notes)
    calm = StressAnalyzer().analyze_session(build(SESSION, uncertain=[0, 1]))
    assert "unsure" not in " ".join(calm.notes)


PATTERN: list[Sequence[Any]] = [
    ("therapist", "What matters most to you about this?", "question", "open"),
    ("client", "Being well enough to work, I think, and to see my friends.", "change"),
    ("therapist", "On the one hand you value work, on the other hand rest.", "reflection"),
    ("client", "But I like my evenings the way they are.", "sustain"),
    ("therapist", "You should cut down.", "therapist_input", "advice", {"unsolicited_advice"}),
    ("client", "Whatever.", "neutral"),
    ("therapist", "Sorry, that was pushy. It's your decision.", "reflection", "simple"),
    ("client", "Sometimes it's all too much.", "neutral", {"distress", "risk"}),
]


@pytest.mark.parametrize("with_embeddings", [False, True])
def test_two_thousand_turns_quickly(build: Build, with_embeddings: bool) -> None:
    turns = PATTERN * 250
    coded = build(turns, sid="long")
    emb = embeddings_for(len(turns), dim=384) if with_embeddings else None
    started = time.perf_counter()
    a = StressAnalyzer().analyze_session(coded, emb)
    assert time.perf_counter() - started < 5.0
    check_sane(a, coded)
    assert len(a.moves) == 1000 and len(a.segments) == 3
    cap = StressAnalyzer().weights_.windows.moments_per_kind
    counts: dict[str, int] = {}
    for m in a.key_moments:
        counts[m.kind] = counts.get(m.kind, 0) + 1
    assert counts["risk"] == 250
    assert all(v <= cap for k, v in counts.items() if k != "risk")
    assert 1 <= len(a.parts) <= StressAnalyzer().weights_.windows.max_themes
