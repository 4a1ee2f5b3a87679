"""Training the commitment model: the tuning set, the split, thresholds and a small fit."""

from __future__ import annotations

import numpy as np

from edgewise.coding.commitment_cues import LABELS
from edgewise.training.commitments_v1 import TRAIN, Example, choose_threshold, load_examples, train


def test_tuning_set_is_labelled_and_split() -> None:
    examples = load_examples(TRAIN)
    assert len(examples) >= 700
    assert all(set(e.labels) <= set(LABELS) for e in examples)
    for label in LABELS:
        assert sum(label in e.labels for e in examples) >= 100
    assert sum(not e.labels for e in examples) >= 300
    apart = sum(e.threshold_set for e in examples) / len(examples)
    assert 0.15 < apart < 0.35
    assert len({e.id for e in examples}) == len(examples)


def test_choose_threshold_best_f1_nearest_half() -> None:
    scores = np.array([0.1, 0.3, 0.6, 0.9], dtype=np.float32)
    assert 0.3 < choose_threshold(scores, np.array([0, 0, 1, 1])) <= 0.6


def test_train_on_separable_rows() -> None:
    rng = np.random.default_rng(0)
    texts = ["I'll call her tonight.", "I'd be willing to try.", "I rang the clinic.", "Okay."]
    examples = [
        Example(f"x{i}", texts[i % 4], "", (LABELS[i % 4],) if i % 4 < 3 else (), "k", i % 5 == 0)
        for i in range(80)
    ]
    emb = rng.normal(size=(80, 8)).astype(np.float32)
    model = train(examples, emb)
    assert model.coef.shape[0] == len(LABELS) and model.width == 8
    found = model.detect(emb[:4], texts, [""] * 4)
    assert [d.labels for d in found] == [("commitment",), ("activation",), ("taking_steps",)]
