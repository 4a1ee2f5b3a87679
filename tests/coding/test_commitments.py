"""The commitment model: the shipped weights, detection, and the step in the client's words."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.commitment_cues import CUE_FEATURES, LABELS
from edgewise.coding.commitments import (
    COMMITMENTS_NAME,
    CommitmentModel,
    asked_step,
    commitment_features,
    load_commitment_model,
    save_commitment_arrays,
    step_words,
    when_words,
)
from edgewise.coding.model_store import default_model_dir
from edgewise.errors import ModelError

DIM = 4


def _model(bias: tuple[float, float, float]) -> CommitmentModel:
    coef = np.zeros((len(LABELS), DIM + len(CUE_FEATURES)), dtype=np.float32)
    return CommitmentModel("0-test", coef, np.array(bias, np.float32), (0.5, 0.5, 0.5), {})


def test_shipped_model_loads_small_with_a_threshold_per_label() -> None:
    model = load_commitment_model(default_model_dir())
    assert model is not None and model.width == 384
    assert set(model.meta["thresholds"]) == set(LABELS)
    assert (default_model_dir() / f"{COMMITMENTS_NAME}.npz").stat().st_size < 100_000


def test_features_are_the_embedding_then_the_cues() -> None:
    emb = np.ones((2, DIM), dtype=np.float32)
    x = commitment_features(emb, ["I'll go.", "No."], ["", "Will you?"])
    assert x.shape == (2, DIM + len(CUE_FEATURES)) and (x[:, :DIM] == 1).all()


def test_detect_keeps_labels_at_their_thresholds() -> None:
    emb = np.zeros((2, DIM), dtype=np.float32)
    found = _model((5.0, -5.0, 5.0)).detect(emb, ["a", "b"], ["", ""])
    assert [d.row for d in found] == [0, 1]
    assert found[0].labels == ("commitment", "taking_steps")
    assert found[0].scores["activation"] < 0.01
    assert _model((-5.0, -5.0, -5.0)).detect(emb[:1], ["a"], [""]) == []
    assert _model((5.0, 5.0, 5.0)).detect(emb[:0], [], []) == []


def test_round_trip_and_damage(tmp_path: Path) -> None:
    model = _model((1.0, 2.0, 3.0))
    (tmp_path / f"{COMMITMENTS_NAME}.npz").write_bytes(save_commitment_arrays(model))
    meta = {"version": "0-test", "thresholds": dict.fromkeys(LABELS, 0.4)}
    (tmp_path / f"{COMMITMENTS_NAME}.json").write_text(json.dumps(meta))
    loaded = load_commitment_model(tmp_path)
    assert loaded is not None and loaded.thresholds == (0.4, 0.4, 0.4)
    assert np.allclose(loaded.intercept, [1, 2, 3]) and loaded.width == DIM
    (tmp_path / f"{COMMITMENTS_NAME}.npz").write_bytes(b"not a zip")
    with pytest.raises(ModelError, match="damaged"):
        load_commitment_model(tmp_path)
    assert load_commitment_model(tmp_path / "none") is None


@pytest.mark.parametrize(
    ("text", "label", "step"),
    [
        ("Yeah, I'll ring the clinic tomorrow.", "commitment", "ring the clinic tomorrow"),
        ("Okay. I'm going to walk on Mondays.", "commitment", "walk on Mondays"),
        ("I'd be willing to try the group.", "activation", "try the group"),
        ("Well. I rang the clinic on Monday.", "taking_steps", "I rang the clinic on Monday"),
    ],
)
def test_step_words_take_off_the_lead_in(text: str, label: str, step: str) -> None:
    assert step_words(text, label) == step


def test_step_words_fall_back_to_another_labels_wording() -> None:
    text = "I am. I'm also going to stop buying wine with the weekly shop."
    assert step_words(text, "activation") == "stop buying wine with the weekly shop"
    assert step_words("Maybe, we'll see.", "activation") == "Maybe, we'll see"


def test_when_and_asked_step() -> None:
    assert when_words("I'll call her on Thursday evening.") == "on thursday evening"
    assert when_words("I'll call her.") is None
    assert asked_step("So will you call her this week?") == "call her this week"
