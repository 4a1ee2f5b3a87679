"""Matcher 3.2: the stacked model over the reader's and version 2's per-turn readings."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgewise.analysis.followthrough import follow_through_steps
from edgewise.analysis.followthrough_model import Linear
from edgewise.analysis.followthrough_stack import (
    STACK_CLASSES,
    STACK_FEATURES,
    StackModel,
    default_stack,
    load_stack,
    stack_features,
    stack_json,
    tops,
)
from edgewise.coding.commitment_reader import shipped_reader
from edgewise.errors import ModelError

STEP = "go for a walk three mornings this week"
TEXTS = ["And the walks?", "Monday, yes.", "And after that?", "Nothing, rain all week."]
ROLES = ["therapist", "client", "therapist", "client"]
CHANCES = [[0.05, 0.45, 0.40, 0.10], [0.10, 0.00, 0.35, 0.55]]


class _Fixed:
    """A stand-in reader whose chances per client turn are given."""

    follows = True
    reads_when = False
    mention = 0.15

    def __init__(self, version: str) -> None:
        self.version = version

    def follow_scores(self, step: str, windows: list[str]) -> np.ndarray:
        return np.array(CHANCES)


def _always(outcome: str, reader: str = "test") -> StackModel:
    """A stack that answers ``outcome`` whatever it reads."""
    width = len(STACK_FEATURES)
    intercept = np.array([5.0 if c == outcome else 0.0 for c in STACK_CLASSES])
    coef = np.zeros((len(STACK_CLASSES), width))
    return StackModel(reader, Linear(coef, intercept, np.zeros(width), np.ones(width)), {})


def _run(stack: StackModel | bool, version: str = "test") -> object:
    emb = np.zeros((len(TEXTS), 3), dtype=np.float32)
    step = np.array([[1.0, 0.0, 0.0]], dtype=np.float32)
    found = follow_through_steps(
        [STEP], step, TEXTS, ROLES, emb, reader=_Fixed(version), stack=stack
    )
    assert found is not None
    return found[0]


def test_the_features_read_the_whole_session() -> None:
    chances = np.array([[0.9, 0.05, 0.03, 0.02], [0.2, 0.1, 0.2, 0.5], [0.6, 0.4, 0.0, 0.0]])
    topic = np.array([0.1, 0.3, 0.8])
    x = stack_features(chances, topic, np.array([0.7, 0.2, 0.1]), np.array([0.1, 0.1, 0.8]))
    named = dict(zip(STACK_FEATURES, x, strict=True))
    assert len(x) == len(STACK_FEATURES)
    assert tops(chances, topic) == (1, 2)
    assert named["log_about_max"] == pytest.approx(np.log(0.8 + 1e-4))
    assert named["turns_0.05"] == 3 and named["turns_0.15"] == 2 and named["turns_0.5"] == 1
    assert named["share_not_done_0.5"] == pytest.approx(0.5 / 0.8)
    assert named["top_share_not_done"] == pytest.approx(0.5 / 0.8)
    assert named["v2_top_about"] == pytest.approx(0.4) and named["v2_top_share_done"] == 1.0
    assert named["v2_top_v2_done"] == 0.7 and named["top_v2_not_done"] == 0.8


def test_no_turn_about_the_step_gives_zero_shares_not_a_division_by_zero() -> None:
    chances = np.array([[1.0, 0.0, 0.0, 0.0]])
    x = stack_features(chances, np.array([0.0]), np.zeros(3), np.zeros(3))
    assert np.isfinite(x).all()


@pytest.mark.parametrize("outcome", STACK_CLASSES)
def test_the_stack_decides_the_outcome_for_its_own_reader(outcome: str) -> None:
    found = _run(_always(outcome))
    assert found.outcome == outcome  # type: ignore[attr-defined]
    assert found.reasons[1].startswith(outcome)  # type: ignore[attr-defined]
    if outcome == "not_mentioned":
        assert found.evidence == ()  # type: ignore[attr-defined]
    else:
        assert found.evidence == (1, 3)  # type: ignore[attr-defined]


def test_another_readers_stack_is_not_used_and_3_1_answers() -> None:
    # 3.1 over the same chances: partly (0.75 summed) against done 0.45 and not done 0.65
    assert _run(_always("not_mentioned", reader="5.0.0")).outcome == "partly"  # type: ignore[attr-defined]
    assert _run(False).outcome == "partly"  # type: ignore[attr-defined]


def test_a_stack_saying_mentioned_with_no_turn_at_the_cut_names_the_top_turn() -> None:
    global CHANCES
    saved, CHANCES = CHANCES, [[0.95, 0.02, 0.02, 0.01], [0.90, 0.05, 0.03, 0.02]]
    try:
        found = _run(_always("done"))
    finally:
        CHANCES = saved
    assert found.outcome == "done" and found.evidence == (3,)  # type: ignore[attr-defined]


def test_a_shipped_stack_fits_the_shipped_reader() -> None:
    # a stack fitted on another reader's outputs would be ignored (3.1 answers): shipping
    # one is a packaging mistake
    stack, reader = default_stack(), shipped_reader()
    assert reader is not None
    if stack is not None:
        assert stack.reader == reader.version
        assert stack.model.coef.shape == (len(STACK_CLASSES), len(STACK_FEATURES))


def test_the_file_round_trips_and_damage_is_a_model_error(tmp_path: Path) -> None:
    model = _always("done")
    (tmp_path / "followthrough-stack.json").write_text(stack_json(model), encoding="utf-8")
    again = load_stack(tmp_path)
    assert again is not None and again.reader == "test"
    assert np.array_equal(again.model.intercept, model.model.intercept)
    data = json.loads(stack_json(model))
    data["features"] = data["features"][:-1]
    (tmp_path / "followthrough-stack.json").write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError, match="do not match"):
        load_stack(tmp_path)
    (tmp_path / "followthrough-stack.json").write_text("{", encoding="utf-8")
    with pytest.raises(ModelError, match="damaged"):
        load_stack(tmp_path)
    assert load_stack(tmp_path / "none") is None
