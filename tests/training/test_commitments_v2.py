"""Training the commitment model (version 3, trainer ``commitments_v2``): the sources, the
grouped folds, thresholds and a fit."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.commitment_cues import LABELS
from edgewise.training.commitments_v2 import (
    SPENT,
    SPENT2,
    TRAIN,
    Example,
    choose_threshold,
    fold_of,
    load_examples,
    load_sessions,
    load_spent,
    train,
)


def test_written_and_spent_turns_are_labelled() -> None:
    written, spent = load_examples(TRAIN), load_spent(SPENT)
    assert len(written) >= 700 and len(spent) >= 700
    for examples in (written, spent):
        assert all(set(e.labels) <= set(LABELS) for e in examples)
        for label in LABELS:
            assert sum(label in e.labels for e in examples) >= 90
        assert sum(not e.labels for e in examples) >= 300
    assert {e.source for e in spent} == {"spent"}
    ids = [e.id for e in written + spent]
    assert len(set(ids)) == len(ids)


def test_the_second_spent_set_is_its_own_source() -> None:
    spent2 = load_spent(SPENT2, "spent2")
    assert len(spent2) >= 700 and {e.source for e in spent2} == {"spent2"}
    assert sum(not e.labels for e in spent2) >= 300
    assert not {e.id for e in spent2} & {e.id for e in load_spent(SPENT)}


def test_spent_context_is_read_only_when_the_clinician_said_it() -> None:
    spent = load_spent(SPENT)
    assert any(e.before for e in spent)
    assert all(e.kind for e in spent)


def test_folds_follow_the_group() -> None:
    assert fold_of("t12") == fold_of("t12")
    folds = [fold_of(f"g{i}") for i in range(500)]
    assert set(folds) == set(range(5)) and min(folds.count(k) for k in range(5)) > 60


def test_choose_threshold_best_f1_nearest_half() -> None:
    scores = np.array([0.1, 0.3, 0.6, 0.9], dtype=np.float32)
    assert 0.3 < choose_threshold(scores, np.array([0, 0, 1, 1]), beta=1.0) <= 0.6


def test_a_larger_beta_buys_recall_with_precision() -> None:
    scores = np.array([0.2, 0.35, 0.4, 0.6, 0.7, 0.8], dtype=np.float32)
    gold = np.array([0, 1, 0, 1, 1, 1])
    assert choose_threshold(scores, gold, beta=3.0) < choose_threshold(scores, gold, beta=0.5)


def test_train_on_separable_rows() -> None:
    rng = np.random.default_rng(0)
    texts = ["I'll call her tonight.", "I'd be willing to try.", "I rang the clinic.", "Okay."]
    examples = [
        Example(
            f"x{i}", texts[i % 4], "", (LABELS[i % 4],) if i % 4 < 3 else (), "k", "train", f"x{i}"
        )
        for i in range(80)
    ]
    emb = rng.normal(size=(80, 8)).astype(np.float32)
    model = train(examples, emb)
    assert model.coef.shape[0] == len(LABELS) and model.width == 8
    assert set(model.meta["cv"]) >= set(LABELS)
    found = model.detect(emb[:4], texts, [""] * 4)
    assert [d.labels for d in found] == [("commitment",), ("activation",), ("taking_steps",)]


def test_whole_sessions_give_every_client_turn_with_the_clinician_turn_before(
    tmp_path: Path,
) -> None:
    turns = [
        {"role": "clinician", "text": "How was the week?", "labels": []},
        {"role": "client", "text": "I rang the GP on Tuesday.", "labels": ["taking_steps"]},
        {"role": "client", "text": "And I'll book the bloods.", "labels": ["commitment"]},
        {"role": "clinician", "text": "Good.", "labels": []},
        {"role": "client", "text": "Mostly rain, though.", "labels": []},
    ]
    path = tmp_path / "sessions.jsonl"
    path.write_text(json.dumps({"id": "s-01", "turns": turns}) + "\n\n", encoding="utf-8")
    rows = load_sessions(path, "sess9")
    assert [(e.id, e.before, e.labels) for e in rows] == [
        ("s-01-1", "How was the week?", ("taking_steps",)),
        ("s-01-2", "", ("commitment",)),
        ("s-01-4", "Good.", ()),
    ]
    assert {e.group for e in rows} == {"s-01"} and {e.source for e in rows} == {"sess9"}
    assert rows[2].kind == "session_turn"


def test_a_session_turn_with_an_unknown_role_names_its_line(tmp_path: Path) -> None:
    turns = [{"role": "therapist", "text": "Hello.", "labels": []}]
    path = tmp_path / "sessions.jsonl"
    path.write_text(json.dumps({"id": 7, "turns": turns}) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="sessions.jsonl:1: turn 1"):
        load_sessions(path, "sess9")
