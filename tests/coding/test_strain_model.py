"""The strain model: its features, the shipped weights, and when it raises its flag."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.model_store import default_model_dir
from edgewise.coding.strain_cues import text_cues
from edgewise.coding.strain_model import (
    HAND_FEATURES,
    STRAIN_NAME,
    StrainModel,
    load_strain_model,
    save_strain_arrays,
    strain_features,
)
from edgewise.coding.strain_model import ROLES as SCORERS
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


def test_features_read_the_turn_the_turn_before_and_the_turns_around() -> None:
    emb = np.eye(len(TEXTS), DIM + 1, dtype=np.float32)[:, :DIM]
    x = strain_features(emb, TEXTS, ROLES, [0, 3])
    assert x.shape == (2, 2 * DIM + len(HAND_FEATURES))
    assert np.array_equal(x[0, :DIM], emb[0]) and not x[0, DIM : 2 * DIM].any()
    assert np.array_equal(x[1, :DIM], emb[3]) and np.array_equal(x[1, DIM : 2 * DIM], emb[2])
    first, shut = _hand(x[0]), _hand(x[1])
    assert first["opens"] == 1 and first["drop_from_own_earlier"] == 0  # nothing before
    assert first["after_log_words"] > 2  # the client's long answer after it
    assert shut["client_shutdown"] == 1 and shut["short"] == 1 and shut["opens"] == 0
    assert shut["drop_from_own_earlier"] < -1.5  # 17 words, then 3
    assert shut["short_x_long_before"] == 1
    assert shut["own_next_log_words"] == pytest.approx(np.log1p(1))  # "Okay."


def test_features_look_only_within_reach() -> None:
    texts = ["Tell me more.", "A long answer with a great many words in it, more than twelve."]
    texts += ["Mm."] * 20 + ["No."]
    roles = ["therapist", "client"] + ["therapist"] * 20 + ["client"]
    emb = np.zeros((len(texts), DIM), dtype=np.float32)
    (row,) = strain_features(emb, texts, roles, [len(texts) - 1])
    assert _hand(row)["drop_from_own_earlier"] == 0  # the long answer is out of reach


def test_cues_of_pressure_and_pulling_back() -> None:
    lecture = text_cues("Honestly, you need to grow up. If you keep doing this you'll lose it.")
    assert lecture.pressure == (True, False, False, True, True, False, False, True)
    pulling = text_cues("Hm. Anyway, how was your weekend?")
    assert pulling.topic and pulling.question and not pulling.hedge
    assert text_cues("[long pause] ... I don't know.").stage
    assert text_cues("[long pause] I don't know.").hedge
    assert text_cues("Sorry, that was a big jump.").notices
    assert text_cues("I wasn't suggesting you hadn't.").defends
    assert text_cues("Oh, thanks, you counted.").sarcasm


def _model(threshold: float, bias: float) -> StrainModel:
    coef = np.zeros(2 * DIM + len(HAND_FEATURES), dtype=np.float32)
    return StrainModel(
        "0.0.0-test", {r: coef for r in SCORERS}, {r: bias for r in SCORERS}, threshold, {}
    )


def test_raised_never_on_assent_nor_a_session_opening_client_turn() -> None:
    emb = np.zeros((len(TEXTS), DIM), dtype=np.float32)
    always = _model(0.5, 10.0)
    assert always.raised(emb, TEXTS, ROLES, [0, 1, 2, 3, 4]) == [
        True,
        True,
        True,
        True,
        False,  # "Okay."
    ]
    opening = ["client", "therapist"]
    assert always.raised(emb[:2], TEXTS[1:3], opening, [0, 1]) == [False, True]
    assert _model(0.5, -10.0).raised(emb, TEXTS, ROLES, [1, 3]) == [False, False]
    assert always.raised(emb, TEXTS, ROLES, []) == []
    other = [*ROLES[:4], "other"]
    assert always.raised(emb, TEXTS[:4] + ["Hello."], other, [4]) == [False]  # no scorer


def test_each_role_has_its_own_scorer() -> None:
    emb = np.zeros((len(TEXTS), DIM), dtype=np.float32)
    model = _model(0.5, -10.0)
    model.intercept["therapist"] = 10.0
    assert model.raised(emb, TEXTS, ROLES, [0, 1, 2, 3]) == [True, False, True, False]


def test_the_shipped_model_loads_and_matches_its_features() -> None:
    model = load_strain_model(default_model_dir())
    assert model is not None and model.version.startswith("2.")
    assert 0 < model.threshold < 1
    meta = model.meta
    assert meta["tuning_files"] and all(f.startswith("ruptures-t") for f in meta["tuning_files"])
    assert all(c.shape[0] == 2 * 384 + len(HAND_FEATURES) for c in model.coef.values())
    assert set(model.coef) == set(SCORERS)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    model = _model(0.7, 0.25)
    (tmp_path / f"{STRAIN_NAME}.npz").write_bytes(save_strain_arrays(model))
    (tmp_path / f"{STRAIN_NAME}.json").write_text(json.dumps({"version": "9", "threshold": 0.7}))
    back = load_strain_model(tmp_path)
    assert back is not None and back.threshold == 0.7
    assert back.intercept == pytest.approx({r: 0.25 for r in SCORERS})
    assert all(np.array_equal(back.coef[r], model.coef[r]) for r in SCORERS)


def test_a_folder_without_one_has_none_and_a_damaged_one_is_a_model_error(
    tmp_path: Path,
) -> None:
    assert load_strain_model(tmp_path) is None
    (tmp_path / f"{STRAIN_NAME}.json").write_text("{not json")
    with pytest.raises(ModelError, match="strain model"):
        load_strain_model(tmp_path)
