"""The follow-through matcher: where a step comes up in a later session and what was said."""

from __future__ import annotations

import numpy as np
import pytest

from edgewise.analysis.followthrough import (
    FollowRules,
    follow_through,
    follow_through_session,
    outcome_of,
)
from edgewise.coding.coder import Coder
from edgewise.domain import Session, Utterance

STEP = "go for a walk three mornings this week"


def _unit(*values: float) -> np.ndarray:
    v = np.array(values, dtype=np.float32)
    return v / np.linalg.norm(v)


@pytest.mark.parametrize(
    ("said", "outcome"),
    [
        ("I did all three, Monday, Wednesday and Friday.", "done"),
        ("I haven't had a drink since Sunday.", "done"),
        ("I managed one. Then it rained and I gave up.", "partly"),
        ("I went on Monday but skipped the rest.", "partly"),
        ("No. I didn't go once.", "not_done"),
        ("Same as before, honestly.", "not_done"),
        ("I still haven't booked it.", "not_done"),
    ],
)
def test_outcome_cues(said: str, outcome: str) -> None:
    assert outcome_of([said])[0] == outcome


def test_evidence_is_the_close_client_turns_and_answers_borrow_the_question() -> None:
    step = _unit(1, 0, 0)
    texts = ["How were the walks?", "I did them.", "And work?", "Busy."]
    roles = ["therapist", "client", "therapist", "client"]
    emb = np.vstack([_unit(1, 0.2, 0), _unit(0, 1, 0), _unit(0, 0, 1), _unit(0, 1, 1)])
    found = follow_through(STEP, step, texts, roles, emb)
    assert found.outcome == "done" and found.evidence == (1,)
    strict = follow_through(STEP, step, texts, roles, emb, rules=FollowRules(asked=0.0))
    assert strict.outcome == "not_mentioned" and strict.evidence == ()


def test_nothing_close_is_not_mentioned() -> None:
    emb = np.vstack([_unit(0, 1, 0), _unit(0, 0, 1)])
    found = follow_through(
        STEP, _unit(1, 0, 0), ["Hello.", "My mum's ill."], ["therapist", "client"], emb
    )
    assert found.outcome == "not_mentioned" and found.evidence == ()
    empty = follow_through(STEP, _unit(1, 0, 0), [], [], emb[:0])
    assert empty.outcome == "not_mentioned"


def test_a_later_session_with_the_coders_embeddings(coder: Coder) -> None:
    turns = [
        ("therapist", "How did the morning walks go this week?"),
        ("client", "I managed one, on Tuesday. Then it poured and I gave up."),
        ("therapist", "What else happened?"),
        ("client", "My sister came to stay, which was nice."),
    ]
    session = Session(
        id="later",
        utterances=tuple(
            Utterance(index=i, role=r, speaker=r, text=t) for i, (r, t) in enumerate(turns)
        ),
    )
    vectors = coder.embedder_.embed([STEP, *(t for _, t in turns)])
    found = follow_through_session(STEP, vectors[0], session, vectors[1:])
    assert found.outcome == "partly" and found.evidence[0] == 1
