"""The versioned analysis weights: the shipped file loads; damaged weights are a coded error."""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.analysis import StressAnalyzer, StressWeights, load_weights
from edgewise.analysis.markers import THERAPIST_MARKERS
from edgewise.errors import ModelError

SHIPPED = resources.files("edgewise.analysis").joinpath("weights-v1.json").read_text("utf-8")
SUBTYPES = {
    "reflection": ("simple", "complex"),
    "question": ("open", "closed"),
    "therapist_input": ("information", "advice", "options", "negotiation"),
    "other": (),
}


def test_shipped_weights_load() -> None:
    w = load_weights()
    assert isinstance(w, StressWeights)
    assert w.label == "edgewise.stress.v1@1.1.0"
    assert StressAnalyzer().version == w.label
    assert load_weights(SHIPPED) == w


def test_trend_is_called_by_a_t_statistic() -> None:
    t = load_weights().thresholds
    assert (t.trend_t, t.trend_statements) == (2.0, 6)
    assert "trend_slope" not in json.loads(SHIPPED)["thresholds"]


def test_every_code_has_weights() -> None:
    codes = load_weights().codes
    for behaviour, subtypes in SUBTYPES.items():
        assert behaviour in codes
        for subtype in subtypes:
            assert f"{behaviour}.{subtype}" in codes


def test_every_marker_and_flag_has_an_adjustment() -> None:
    adjustments = load_weights().adjustments
    markers = set(THERAPIST_MARKERS) - {"repair"}  # repair is read by the rupture rules
    assert markers | {"affirmation", "confrontation", "unsolicited_advice"} == set(adjustments)


def _damaged(change: Callable[[dict[str, Any]], None]) -> str:
    doc = json.loads(SHIPPED)
    change(doc)
    return json.dumps(doc)


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, leaf = path.split(".")
        for key in parents:
            doc = doc[key]
        doc[leaf] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(doc: dict[str, Any]) -> None:
        *parents, leaf = path.split("/")
        for key in parents:
            doc = doc[key]
        del doc[leaf]

    return change


DAMAGE = {
    "not-json": "{ this is not json",
    "empty": "",
    "list": "[]",
    "support-above-1": _damaged(_set("codes.reflection.support", 1.5)),
    "challenge-negative": _damaged(_set("codes.question.challenge", -0.1)),
    "support-text": _damaged(_set("codes.question.support", "high")),
    "floor-above-1": _damaged(_set("adjustments.affirmation.support_min", 2)),
    "threshold-zero": _damaged(_set("thresholds.challenge_move", 0)),
    "window-zero": _damaged(_set("windows.response_utterances", 0)),
    "run-of-one": _damaged(_set("windows.challenge_run", 1)),
    "support-full-zero": _damaged(_set("optimal_stress.support_full", 0)),
    "support-full-at-floor": _damaged(_set("optimal_stress.support_full", 0.2)),
    "unknown-key": _damaged(_set("thresholds.surprise", 1)),
    "unknown-adjustment-field": _damaged(_set("adjustments.autonomy.support_mult", 2)),
    "no-thresholds": _damaged(_drop("thresholds")),
    "no-version": _damaged(_drop("version")),
    "no-other": _damaged(_drop("codes/other")),
    "trend-t-zero": _damaged(_set("thresholds.trend_t", 0)),
    "trend-statements-negative": _damaged(_set("thresholds.trend_statements", -1)),
    "no-trend-t": _damaged(_drop("thresholds/trend_t")),
    "no-trend-statements": _damaged(_drop("thresholds/trend_statements")),
    "old-trend-slope": _damaged(_set("thresholds.trend_slope", 0.05)),
}


@pytest.mark.parametrize("text", DAMAGE.values(), ids=DAMAGE.keys())
def test_damaged_weights_are_a_coded_error(text: str) -> None:
    with pytest.raises(ModelError) as caught:
        load_weights(text)
    error = caught.value
    assert str(error).startswith("E200 ")
    assert "analysis weights" in error.message
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    assert "\n" not in str(error)


def test_custom_weights_reach_the_analyser() -> None:
    custom = load_weights(_damaged(_set("version", "9.9.9")))
    analyzer = StressAnalyzer(weights=custom)
    assert analyzer.version == "edgewise.stress.v1@9.9.9"
    assert analyzer.weights_ is custom


@settings(max_examples=100, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=200),
        st.recursive(
            st.none() | st.booleans() | st.floats(allow_nan=False) | st.text(max_size=8),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.text(max_size=8), inner, max_size=4)
            ),
            max_leaves=20,
        ).map(json.dumps),
    )
)
def test_any_text_loads_or_is_a_model_error(text: str) -> None:
    try:
        load_weights(text)
    except ModelError:
        pass
