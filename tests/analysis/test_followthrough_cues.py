"""The wording of follow-through: failure, done and partial clauses, counts, where a step is."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgewise.analysis.followthrough_cues import (
    ALL,
    OUTCOME_FEATURES,
    TURN_FEATURES,
    outcome_features,
    step_count,
    turn_features,
)
from edgewise.analysis.followthrough_model import (
    FOLLOW_NAME,
    default_follow_model,
    follow_model_json,
    load_follow_model,
)
from edgewise.errors import ModelError


def _cues(text: str, step: str = "go to the gym three times") -> dict[str, float]:
    return dict(zip(OUTCOME_FEATURES, outcome_features(text, step), strict=True))


def test_failure_done_and_mixed_clauses() -> None:
    assert _cues("No. I bottled it.")["only_fail"] == 1
    assert _cues("I went on Monday, Wednesday and Friday.")["only_done"] == 1
    mixed = _cues("Made the first. Cancelled the second, work thing.")
    assert mixed["mixed"] == 1 and mixed["done_clauses"] == 1


def test_partial_markers_and_counts() -> None:
    assert _cues("Two out of three. Friday just didn't happen.")["partial"] == 1
    assert _cues("Twice.")["count_below"] == 1
    assert _cues("All three, and a swim.")["only_done"] == 1
    assert _cues("Three times, like I said.")["count_meets"] == 1


def test_abstaining_is_done_for_a_not_step_only() -> None:
    said = _cues("Haven't looked once.", "not check his location")
    assert said["not_step"] == 1 and said["not_step_done"] == 1 and said["fail_clauses"] == 0
    wine = _cues("I didn't buy any. Not a single bottle.", "I'm also going to stop buying wine")
    assert wine["only_done"] == 1
    look = _cues("I didn't look at it once.", "look at the bank statement")
    assert look["not_step"] == 0 and look["only_fail"] == 1


@pytest.mark.parametrize(
    ("step", "count"),
    [
        ("walk to work twice this week", 2),
        ("take the tablets every morning", ALL),
        ("call both grandparents", 2),
        ("ring the dentist", None),
    ],
)
def test_step_count(step: str, count: int | None) -> None:
    assert step_count(step) == count


def test_turn_features_are_for_client_turns_only() -> None:
    emb = np.eye(3, dtype=np.float32)[[0, 1, 2]]
    rows = turn_features(
        "go for a walk",
        np.array([0, 1, 0], dtype=np.float32),
        ["How were the walks?", "I went for a walk.", "Nice."],
        ["therapist", "client", "therapist"],
        emb,
    )
    assert [i for i, _ in rows] == [1]
    named = dict(zip(TURN_FEATURES, rows[0][1], strict=True))
    assert named["cosine"] == 1.0 and named["words"] == 1.0 and named["closest"] == 1.0
    assert named["answers_a_question"] == 1.0


def test_model_file_round_trip_and_damage(tmp_path: Path) -> None:
    shipped = default_follow_model()
    assert shipped is not None
    (tmp_path / f"{FOLLOW_NAME}.json").write_text(follow_model_json(shipped))
    loaded = load_follow_model(tmp_path)
    assert loaded is not None and loaded.mention == shipped.mention
    assert np.allclose(loaded.outcome.coef, shipped.outcome.coef)
    data = json.loads(follow_model_json(shipped))
    data["turn_features"] = data["turn_features"][:-1]
    (tmp_path / f"{FOLLOW_NAME}.json").write_text(json.dumps(data))
    with pytest.raises(ModelError, match="do not match"):
        load_follow_model(tmp_path)
    (tmp_path / f"{FOLLOW_NAME}.json").write_text("{")
    with pytest.raises(ModelError, match="damaged"):
        load_follow_model(tmp_path)
    assert load_follow_model(tmp_path / "none") is None
