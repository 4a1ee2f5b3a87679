"""The strain model: its features, the shipped weights, and when it raises its flag."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.model_store import default_model_dir
from edgewise.coding.strain_model import (
    HAND_FEATURES,
    STRAIN_NAME,
    StrainModel,
    load_strain_model,
    save_strain_arrays,
    strain_features,
)
from edgewise.errors import ModelError

DIM = 4
TEXTS = [
    "What would you like to talk about?",
    "Well, there's a lot going on at work and at home, and I keep putting things off.",
    "It sounds like you're avoiding it.",
    "Whatever you think.",
    "Okay.",
]
ROLES = ["therapist", "client", "therapist", "client", "client"]


def _hand(row: np.ndarray) -> dict[str, float]:
    return dict(zip(HAND_FEATURES, row[2 * DIM :].tolist(), strict=True))


def test_features_read_the_turn_the_turn_before_and_plain_cues() -> None:
    emb = np.arange(len(TEXTS) * DIM, dtype=np.float32).reshape(len(TEXTS), DIM)
    x = strain_features(emb, TEXTS, ROLES, [(), ("discord",)], [0, 3])
    assert x.shape == (2, 2 * DIM + len(HAND_FEATURES))
    assert np.array_equal(x[0, :DIM], emb[0]) and not x[0, DIM : 2 * DIM].any()
    assert np.array_equal(x[1, :DIM], emb[3]) and np.array_equal(x[1, DIM : 2 * DIM], emb[2])
    first, shut = _hand(x[0]), _hand(x[1])
    assert first["client"] == 0 and first["log_words_change"] == 0  # no earlier turn of theirs
    assert shut["client_shutdown"] == 1 and shut["discord_flag"] == 1 and shut["client"] == 1
    assert shut["log_words_change"] < -1.5  # 17 words, then 3


def _model(threshold: float, bias: float) -> StrainModel:
    coef = np.zeros(2 * DIM + len(HAND_FEATURES), dtype=np.float32)
    return StrainModel("0.0.0-test", coef, bias, threshold, {})


def test_raised_never_on_assent_nor_a_session_opening_client_turn() -> None:
    emb = np.zeros((len(TEXTS), DIM), dtype=np.float32)
    always = _model(0.5, 10.0)
    assert always.raised(emb, TEXTS, ROLES, [()] * 5, [0, 1, 2, 3, 4]) == [
        True,
        True,
        True,
        True,
        False,  # "Okay."
    ]
    opening = ["client", "therapist"]
    assert always.raised(emb[:2], TEXTS[1:3], opening, [(), ()], [0, 1]) == [False, True]
    assert _model(0.5, -10.0).raised(emb, TEXTS, ROLES, [()] * 5, [1, 3]) == [False, False]
    assert always.raised(emb, TEXTS, ROLES, [], []) == []


def test_the_shipped_model_loads_and_matches_its_features() -> None:
    model = load_strain_model(default_model_dir())
    assert model is not None and model.version
    assert 0 < model.threshold < 1
    meta = model.meta
    assert meta["tuning_files"] and all(f.startswith("ruptures-t") for f in meta["tuning_files"])
    assert model.coef.shape[0] == 2 * 384 + len(HAND_FEATURES)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    model = _model(0.7, 0.25)
    (tmp_path / f"{STRAIN_NAME}.npz").write_bytes(save_strain_arrays(model))
    (tmp_path / f"{STRAIN_NAME}.json").write_text(json.dumps({"version": "9", "threshold": 0.7}))
    back = load_strain_model(tmp_path)
    assert back is not None and back.threshold == 0.7 and back.intercept == pytest.approx(0.25)
    assert np.array_equal(back.coef, model.coef)


def test_a_folder_without_one_has_none_and_a_damaged_one_is_a_model_error(
    tmp_path: Path,
) -> None:
    assert load_strain_model(tmp_path) is None
    (tmp_path / f"{STRAIN_NAME}.json").write_text("{not json")
    with pytest.raises(ModelError, match="strain model"):
        load_strain_model(tmp_path)
