"""Coder v1: the analyser contract, purity, other-role handling, and sanity on obvious cases."""

from __future__ import annotations

import numpy as np
import pytest

from edgewise.coding.coder import TASK_FIELD, Coder
from edgewise.coding.model_store import load_model
from edgewise.domain import CodedSession, Role, Session, Utterance

TURNS: list[tuple[Role, str]] = [
    ("therapist", "Thanks for coming in. What would you like to talk about today?"),
    ("client", "My drinking, I guess. My partner is worried about it."),
    ("therapist", "Your partner is worried, and you're not sure you are."),
    ("other", "The interpreter repeats the question in Polish."),
    ("client", "I know I should cut down. I want to be there for my kids."),
    ("therapist", "How would cutting down change things for you and your kids?"),
    ("client", "I'd have more energy, I suppose. But it's how I relax."),
]


def session(turns: list[tuple[Role, str]] = TURNS, sid: str = "s1") -> Session:
    """A session of (role, text) turns; speakers are named after their role."""
    return Session(
        id=sid,
        utterances=tuple(
            Utterance(index=i, role=role, speaker=role.title(), text=text)
            for i, (role, text) in enumerate(turns)
        ),
    )


def test_contract(coder: Coder) -> None:
    assert Coder.name == "edgewise.coder.v1"
    assert set(Coder.requires) == {"utterance.text", "utterance.role"}
    assert {"code.behaviour", "code.talk_type", "code.probabilities"} <= set(Coder.assigns)
    assert coder.version == f"edgewise.coder.v1@{coder.model_.version}"
    assert coder.model_.meta["name"] == Coder.name
    assert set(coder.model_.heads) == set(TASK_FIELD) == {"therapist", "client"}


def test_code_session_is_deterministic_and_pure(coder: Coder) -> None:
    s = session()
    emb = coder.embedder_.embed([u.text for u in s.utterances])
    before = emb.copy()
    first = coder.code_session(s, emb)
    second = coder.code_session(s, emb)
    assert first == second
    assert first.session is s or first.session == s
    np.testing.assert_array_equal(emb, before)  # input not modified
    assert s == session()  # the session is unchanged


def test_code_matches_code_session(coder: Coder) -> None:
    sessions = [session(sid="a"), session(TURNS[:3], sid="b"), session(TURNS[2:], sid="c")]
    coded = coder.code(sessions)
    assert [c.session.id for c in coded] == ["a", "b", "c"]
    for s, c in zip(sessions, coded, strict=True):
        alone = coder.code_session(s, coder.embedder_.embed([u.text for u in s.utterances]))
        assert [x.behaviour for x in c.codes] == [x.behaviour for x in alone.codes]
        assert [x.talk_type for x in c.codes] == [x.talk_type for x in alone.codes]
        for x, y in zip(c.codes, alone.codes, strict=True):
            assert x.probabilities.keys() == y.probabilities.keys()
            for label in x.probabilities:
                assert x.probabilities[label] == pytest.approx(y.probabilities[label], abs=2e-3)


def test_codes_follow_roles(coder: Coder) -> None:
    (coded,) = coder.code([session()])
    assert isinstance(coded, CodedSession)
    assert len(coded.codes) == len(TURNS)
    heads = coder.model_.heads
    for i, (code, (role, _)) in enumerate(zip(coded.codes, TURNS, strict=True)):
        assert code.index == i
        assert code.model == coder.version
        if role == "therapist":
            assert code.behaviour in heads["therapist"].labels and code.talk_type is None
            assert tuple(code.probabilities) == heads["therapist"].labels
        elif role == "client":
            assert code.talk_type in heads["client"].labels and code.behaviour is None
            assert tuple(code.probabilities) == heads["client"].labels
        else:
            assert code.behaviour is None and code.talk_type is None
            assert code.probabilities == {}
        if code.probabilities:
            assert sum(code.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
            best = max(code.probabilities, key=code.probabilities.__getitem__)
            assert best in (code.behaviour, code.talk_type)


def test_only_other_speakers(coder: Coder) -> None:
    (coded,) = coder.code([session([("other", "Hello."), ("other", "Hi.")])])
    assert all(c.behaviour is None and c.talk_type is None for c in coded.codes)


def test_empty_inputs(coder: Coder) -> None:
    assert coder.code([]) == []
    (coded,) = coder.code([Session(id="empty")])
    assert coded.codes == ()


def test_progress_is_reported(coder: Coder) -> None:
    ticks: list[int] = []
    coder.code([session(), session(sid="b")], ticks.append)
    assert sum(ticks) == 2 * len(TURNS)


def test_custom_model_and_embedder_are_used(coder: Coder) -> None:
    other = Coder(model=load_model(), embedder=coder.embedder_)
    assert other.embedder_ is coder.embedder_
    assert other.code([session()]) == coder.code([session()])


OBVIOUS = [
    ("What brings you in today?", "question"),
    ("How would you like things to be different a year from now?", "question"),
    ("Would it be okay if we talked about your smoking?", "question"),
    ("It sounds like you're feeling torn.", "reflection"),
    ("So on one hand you enjoy it, and on the other hand it's costing you a lot.", "reflection"),
    ("Hello, nice to meet you.", "other"),
]


def test_obvious_therapist_behaviours(coder: Coder) -> None:
    """The shipped model beats chance clearly on textbook cases (5 of 6 at least)."""
    sessions = [session([("therapist", text)], sid=f"s{i}") for i, (text, _) in enumerate(OBVIOUS)]
    got = [c.codes[0].behaviour for c in coder.code(sessions)]
    right = sum(g == want for g, (_, want) in zip(got, OBVIOUS, strict=True))
    assert right >= 5, list(zip(got, OBVIOUS, strict=True))
