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
    head_name,
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
    heads = {
        "therapist",
        "client",
        "subtype.reflection",
        "subtype.question",
        "subtype.therapist_input",
    }
    assert set(model.heads) == heads | {head_name(h, punctuated=False) for h in heads}
    assert model.unpunctuated and model.syntax is model.meta["syntax"] is True
    for task in heads:  # the same labels and temperature range for a head and its twin
        assert model.heads[head_name(task, punctuated=False)].labels == model.heads[task].labels
    assert model.heads["therapist"].labels == ("question", "reflection", "therapist_input", "other")
    assert model.heads["client"].labels == ("change", "neutral", "sustain")
    assert model.heads["subtype.reflection"].labels == ("simple", "complex")
    assert model.heads["subtype.question"].labels == ("open", "closed")
    assert model.heads["subtype.therapist_input"].labels == (
        "information",
        "advice",
        "options",
        "negotiation",
    )
    assert model.uncertain_below == model.meta["uncertain_below"] == 0.5
    assert (model.following, model.ngram_dim) == (model.meta["following"], model.meta["ngram_dim"])
    width = feature_width(
        DIM, model.context, following=model.following, ngram_dim=model.ngram_dim, syntax=True
    )
    for task, head in model.heads.items():
        assert head.coef.shape == (len(head.labels), width)
        assert head.intercept.shape == (len(head.labels),)
        assert head.coef.dtype == np.float32 and np.all(np.isfinite(head.coef))
        assert head.temperature == model.meta["tasks"][task]["temperature"]
        assert 0.25 <= head.temperature <= 6.0  # the fitting grid


def test_shipped_binary_heads_are_two_opposite_rows() -> None:
    """sklearn's one binary weight row is stored as +-w/2, so softmax gives its sigmoid."""
    for task in ("subtype.reflection", "subtype.question"):
        head = load_model().heads[task]
        np.testing.assert_allclose(head.coef[0], -head.coef[1], atol=1e-6)
        np.testing.assert_allclose(head.intercept[0], -head.intercept[1], atol=1e-6)


def test_shipped_model_records_its_validation() -> None:
    model = load_model()
    cv = model.meta["cross_validation"]
    assert cv["therapist"]["macro_f1"] >= 0.75
    assert cv["client"]["macro_f1"] >= 0.52
    # without punctuation: the punctuated heads fall, their unpunctuated twins hold up
    assert cv["therapist"]["macro_f1_on_stripped_text"] < 0.65
    assert cv["unpunctuated.therapist"]["macro_f1"] >= 0.71
    assert cv["unpunctuated.client"]["macro_f1"] >= 0.51
    for task in ("therapist", "client"):  # temperatures weigh every annotator the same
        assert 0.0 <= cv[task]["ece_annotator_balanced"] <= 0.05
    # client decision offsets were chosen out of fold and did not lower macro-F1
    assert cv["client"]["macro_f1"] >= cv["client"]["macro_f1_without_offsets"] - 0.01
    assert len(cv["client"]["offsets"]) == 3 and cv["client"]["offsets"][0] == 0.0
    assert set(cv) == set(model.heads)
    for task, figures in cv.items():
        assert figures["temperature"] == model.meta["tasks"][task]["temperature"]
        assert 0.0 <= figures["ece"] <= 0.1, task
        assert 0.0 <= figures["uncertain_share"] <= 1.0
        assert set(figures["f1_per_label"]) == set(model.heads[task].labels)


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


def test_head_temperature_scales_the_logits() -> None:
    head = _toy_model().heads["therapist"]
    hot = Head(head.labels, head.coef, head.intercept, temperature=2.0)
    feats = np.random.default_rng(1).normal(size=(5, head.coef.shape[1])).astype(np.float32)
    z = head.logits(feats) / 2.0
    want = np.exp(z - z.max(axis=1, keepdims=True))
    want /= want.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(hot.probabilities(feats), want, rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(hot.logits(feats), head.logits(feats))
    # a temperature above 1 softens: the top probability never rises, the ranking never changes
    cold_p, hot_p = head.probabilities(feats), hot.probabilities(feats)
    assert np.all(hot_p.max(axis=1) <= cold_p.max(axis=1) + 1e-6)
    np.testing.assert_array_equal(hot_p.argmax(axis=1), cold_p.argmax(axis=1))


def test_temperature_and_uncertain_below_round_trip(tmp_path: Path) -> None:
    """Both are read from the JSON metadata (defaults 1.0 and 0.5 when absent)."""
    toy = _toy_model()
    assert load_model(_saved(toy, tmp_path / "plain")).uncertain_below == 0.5
    assert all(h.temperature == 1.0 for h in load_model(tmp_path / "plain").heads.values())
    meta = json.loads(json.dumps(toy.meta))
    meta["tasks"]["client"]["temperature"] = 1.7
    meta["uncertain_below"] = 0.6
    loaded = load_model(_saved(CoderModel(toy.version, 1, toy.heads, meta), tmp_path / "warm"))
    assert loaded.heads["client"].temperature == 1.7
    assert loaded.heads["therapist"].temperature == 1.0
    assert loaded.uncertain_below == 0.6


def _saved(model: CoderModel, folder: Path) -> Path:
    save_model(model, folder)
    return folder


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


def _set_subtype_labels(meta: dict[str, object]) -> None:
    meta["tasks"]["subtype.question"]["labels"] = ["open", "closed", "rhetorical"]  # type: ignore[index]


def _set_temperature(value: object) -> Callable[[dict[str, object]], None]:
    def change(meta: dict[str, object]) -> None:
        meta["tasks"]["client"]["temperature"] = value  # type: ignore[index]

    return change


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
    "temperature-not-a-number": _edit_meta(_set_temperature("warm")),
    "subtype-labels-do-not-match-weights": _edit_meta(_set_subtype_labels),
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


@pytest.mark.parametrize("value", [0, -1.0], ids=["zero", "negative"])
def test_non_positive_temperature_is_a_model_error(tmp_path: Path, value: float) -> None:
    folder = tmp_path / "model"
    shutil.copytree(default_model_dir(), folder)
    _edit_meta(_set_temperature(value))(folder)
    assert _load_error(folder) == "E200 ModelError"
