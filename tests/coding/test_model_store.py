"""The coder's stored heads: the shipped model, save/load round trip, damaged folders."""

from __future__ import annotations

import gc
import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.embedder import DIM
from edgewise.coding.features import feature_width
from edgewise.coding.model_store import (
    MODEL_NAME,
    CoderModel,
    Head,
    default_model_dir,
    load_model,
    save_model,
)
from edgewise.errors import ModelError

NPZ = f"{MODEL_NAME}.npz"
META = f"{MODEL_NAME}.json"


def test_shipped_model_is_consistent() -> None:
    model = load_model()
    assert (default_model_dir() / NPZ).is_file() and (default_model_dir() / META).is_file()
    assert model.meta["name"] == "edgewise.coder.v1"
    assert model.version == model.meta["version"]
    assert set(model.heads) == {"therapist", "client"}
    assert model.heads["therapist"].labels == ("question", "reflection", "therapist_input", "other")
    assert model.heads["client"].labels == ("change", "neutral", "sustain")
    width = feature_width(DIM, model.context)
    for head in model.heads.values():
        assert head.coef.shape == (len(head.labels), width)
        assert head.intercept.shape == (len(head.labels),)
        assert head.coef.dtype == np.float32 and np.all(np.isfinite(head.coef))


def test_shipped_model_records_its_validation() -> None:
    cv = load_model().meta["cross_validation"]
    assert cv["therapist"]["macro_f1"] >= 0.70
    assert cv["client"]["macro_f1"] >= 0.50


def _toy_model() -> CoderModel:
    rng = np.random.default_rng(3)
    heads = {
        "therapist": Head(
            labels=("question", "reflection", "therapist_input", "other"),
            coef=rng.normal(size=(4, feature_width(DIM, 1))).astype(np.float32),
            intercept=rng.normal(size=4).astype(np.float32),
        ),
        "client": Head(
            labels=("change", "neutral", "sustain"),
            coef=rng.normal(size=(3, feature_width(DIM, 1))).astype(np.float32),
            intercept=rng.normal(size=3).astype(np.float32),
        ),
    }
    meta = {
        "name": "edgewise.coder.v1",
        "version": "9.9.9-test",
        "context": 1,
        "tasks": {t: {"labels": list(h.labels)} for t, h in heads.items()},
    }
    return CoderModel(version="9.9.9-test", context=1, heads=heads, meta=meta)


def test_save_load_round_trip(tmp_path: Path) -> None:
    model = _toy_model()
    folder = tmp_path / "model"
    save_model(model, folder)
    assert sorted(p.name for p in folder.iterdir()) == [META, NPZ]  # no temp files
    loaded = load_model(folder)
    assert loaded.version == model.version and loaded.context == model.context
    assert loaded.meta == model.meta
    for task, head in model.heads.items():
        assert loaded.heads[task].labels == head.labels
        np.testing.assert_array_equal(loaded.heads[task].coef, head.coef)
        np.testing.assert_array_equal(loaded.heads[task].intercept, head.intercept)


def test_shipped_model_survives_a_round_trip(tmp_path: Path) -> None:
    model = load_model()
    save_model(model, tmp_path)
    again = load_model(tmp_path)
    assert again.meta == model.meta
    for task in model.heads:
        np.testing.assert_array_equal(again.heads[task].coef, model.heads[task].coef)


def test_head_probabilities_are_stable_and_normalised() -> None:
    head = _toy_model().heads["client"]
    feats = np.random.default_rng(0).normal(size=(6, head.coef.shape[1])).astype(np.float32)
    feats[0] *= 1e4  # huge logits must not overflow
    p = head.probabilities(feats)
    assert p.shape == (6, 3)
    assert np.all(np.isfinite(p)) and np.all(p >= 0)
    np.testing.assert_allclose(p.sum(axis=1), 1.0, atol=1e-5)


def _edit_meta(change: Callable[[dict[str, object]], object]) -> Callable[[Path], object]:
    def damage(folder: Path) -> None:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        change(meta)
        (folder / META).write_text(json.dumps(meta), encoding="utf-8")

    return damage


def _drop_array(folder: Path) -> None:
    with np.load(folder / NPZ) as arrays:
        kept = {k: arrays[k] for k in arrays.files if k != "client_coef"}
    np.savez(folder / NPZ, **kept)


def _set_labels(meta: dict[str, object]) -> None:
    meta["tasks"]["therapist"]["labels"] = ["question", "reflection"]  # type: ignore[index]


DAMAGE: dict[str, Callable[[Path], object]] = {
    "no-folder": lambda folder: shutil.rmtree(folder),
    "no-json": lambda folder: (folder / META).unlink(),
    "no-npz": lambda folder: (folder / NPZ).unlink(),
    "json-not-json": lambda folder: (folder / META).write_text("{not json", encoding="utf-8"),
    "json-not-an-object": lambda folder: (folder / META).write_text("[1, 2]", encoding="utf-8"),
    "json-without-tasks": _edit_meta(lambda m: m.pop("tasks")),
    "json-without-version": _edit_meta(lambda m: m.pop("version")),
    "context-not-a-number": _edit_meta(lambda m: m.update(context="two")),
    "npz-garbage": lambda folder: (folder / NPZ).write_bytes(b"not a zip file at all"),
    "npz-truncated": lambda folder: (folder / NPZ).write_bytes((folder / NPZ).read_bytes()[:600]),
    "npz-missing-array": _drop_array,
    "labels-do-not-match-weights": _edit_meta(_set_labels),
    "context-does-not-match-weights": _edit_meta(lambda m: m.update(context=3)),
}


@pytest.mark.parametrize("damage", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_model_dir_is_a_model_error(
    tmp_path: Path, damage: Callable[[Path], object]
) -> None:
    folder = tmp_path / "model"
    shutil.copytree(default_model_dir(), folder)
    damage(folder)
    raised = _load_error(folder)
    gc.collect()  # a file left open by a failed load warns here, inside this test
    assert raised == "E200 ModelError"


def _load_error(folder: Path) -> str:
    """What ``load_model(folder)`` raised, as ``code type`` (nothing kept alive)."""
    try:
        load_model(folder)
    except ModelError as exc:
        assert exc.render().startswith(f"{exc.code} ")
        return f"{exc.code} {type(exc).__name__}"
    except Exception as exc:  # the bug this test guards against: a raw library error
        return f"{type(exc).__name__}: {exc}"
    return "nothing raised"
