"""Fitting matcher 3.2: the leave-one-set-out figures and the fitted model."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from edgewise.analysis.followthrough_stack import STACK_CLASSES, STACK_FEATURES
from edgewise.coding.commitment_reader import CommitmentReader
from edgewise.training.followthrough_stack import Read, fit, leave_one_set_out, unseen


def _reads(n: int = 40) -> list[Read]:
    """Pairs whose k-th feature marks outcome k, in two sets that each hold every
    outcome; 3.1 is right on the first half."""
    rng = np.random.default_rng(0)
    out: list[Read] = []
    for i in range(n):
        gold = i % len(STACK_CLASSES)
        x = rng.normal(0, 0.1, len(STACK_FEATURES))
        x[gold] += 3.0
        plain = STACK_CLASSES[gold] if i < n // 2 else STACK_CLASSES[(gold + 1) % 4]
        out.append((f"s{(i // 4) % 2}", gold, x, plain))
    return out


def test_telling_features_are_learned_and_3_1_is_counted_beside_it() -> None:
    cv = leave_one_set_out(_reads(), c=10.0)
    assert set(cv) == {"s0", "s1"}
    assert all(n == 20 for n, _, _ in cv.values())
    assert cv["s0"][2] == 12 and cv["s1"][2] == 8  # 3.1's count is its own
    assert all(right >= 18 for _, right, _ in cv.values())


def test_the_fitted_model_is_standardised_and_reads_its_classes() -> None:
    reads = _reads()
    model = fit(np.vstack([r[2] for r in reads]), np.array([r[1] for r in reads]), c=10.0)
    assert model.coef.shape == (len(STACK_CLASSES), len(STACK_FEATURES))
    x = np.zeros((1, len(STACK_FEATURES)))
    x[0, 2] = 3.0
    assert int(np.argmax(model.softmax(x))) == 2


def test_the_pairs_are_the_spent_sets_the_reader_never_trained_on(tmp_path: Path) -> None:
    for name in ("v1-spent", "v2-spent", "v10-spent", "w1", "v3"):
        (tmp_path / f"followthrough-{name}.jsonl").write_text("", encoding="utf-8")
    reader = CommitmentReader(
        tmp_path / "r.onnx", (0.5, 0.5, 0.5), {"follow_rows": {"v1-spent": 9}}
    )
    assert unseen(reader, tmp_path) == ["v2", "v10"]
