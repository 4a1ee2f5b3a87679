"""Training the follow-through matcher (v2): its data, grouped folds and a fit (fake vectors)."""

from __future__ import annotations

import hashlib

import numpy as np
import numpy.typing as npt

from edgewise.analysis.followthrough_cues import OUTCOME_FEATURES, TURN_FEATURES
from edgewise.training.followthrough_v2 import (
    ABLATION,
    _fit,
    _predict,
    _setup,
    load_items,
    main_folds,
)


def _fake_embed(texts: list[str]) -> npt.NDArray[np.float32]:
    rows = []
    for text in texts:
        seed = int(hashlib.sha1(text.encode()).hexdigest(), 16) % 2**32
        v = np.random.default_rng(seed).normal(size=8)
        rows.append(v / np.linalg.norm(v))
    return np.array(rows, dtype=np.float32)


def test_items_load_with_their_features_and_folds_keep_a_step_together() -> None:
    items = load_items(_fake_embed)
    sources = {i.source for i in items}
    assert sources == {"dev", "spent", "train", "spent2", "spent3"}
    assert sum(i.kind == "pair" for i in items) >= 250
    assert all(len(row) == len(TURN_FEATURES) for i in items for _, row in i.rows)
    assert all(len(r) == 2 * len(OUTCOME_FEATURES) for i in items for r in i.reads.values())
    folds = main_folds(items, "a")
    by_step: dict[str, set[int]] = {}
    for item, fold in zip(items, folds, strict=True):
        by_step.setdefault(item.step.lower(), set()).add(int(fold))
    assert all(len(f) == 1 for f in by_step.values())


def test_a_fit_predicts_an_outcome_for_every_item() -> None:
    items = load_items(_fake_embed)
    name, families, cues = ABLATION[-1]
    setup = _setup(0.3, 0.3, families, cues)
    model = _fit(items, setup)
    assert 0.0 < model.mention < 1.0
    predicted = [_predict(model, it, setup)[0] for it in items]
    assert set(predicted) <= {0, 1, 2, 3} and len(set(predicted)) > 1
