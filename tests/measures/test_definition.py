"""MeasureDefinition validates itself; the shipped PHQ-9 and GAD-7 are what the literature says."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from edgewise.measures.definition import MeasureDefinition, ReliableChangeSpec
from edgewise.measures.loader import shipped_definition

LABELS = ("Not at all", "Several days", "More than half the days", "Nearly every day")


def make(**overrides: Any) -> MeasureDefinition:
    """A small valid 3-item 0-4 measure, with ``overrides`` applied."""
    data: dict[str, Any] = {
        "id": "mini",
        "name": "Mini check",
        "version": "1",
        "licence": "Written for these tests.",
        "options": [{"value": v} for v in range(5)],
        "items": [{"id": f"q{i}", "text": f"Question {i}"} for i in range(1, 4)],
    }
    data.update(overrides)
    return MeasureDefinition.model_validate(data)


@pytest.mark.parametrize(("measure_id", "n_items", "top"), [("phq9", 9, 27), ("gad7", 7, 21)])
def test_shipped_measures(measure_id: str, n_items: int, top: float) -> None:
    d = shipped_definition(measure_id)
    assert len(d.items) == n_items
    assert [i.id for i in d.items] == [str(n) for n in range(1, n_items + 1)]
    assert tuple(o.label for o in d.options) == LABELS
    assert [o.value for o in d.options] == [0, 1, 2, 3]
    assert (d.score_range.min, d.score_range.max) == (0, top)
    assert d.cutoff == 10
    assert d.direction == "lower_is_better"
    assert d.kind == "outcome"
    assert d.canonical_url == f"urn:edgewise:questionnaire:{measure_id}|1.0"
    assert d.reliable_change is not None and d.reliable_change.source
    assert "Pfizer" in d.licence


def test_shipped_reliable_change_thresholds() -> None:
    phq9, gad7 = shipped_definition("phq9"), shipped_definition("gad7")
    assert phq9.reliable_change is not None and phq9.reliable_change.points() == 6
    assert gad7.reliable_change is not None and gad7.reliable_change.points() == 4
    assert phq9.label == "PHQ-9" and gad7.label == "GAD-7"


def test_phq9_item_9_is_required() -> None:
    phq9 = shipped_definition("phq9")
    assert [i.id for i in phq9.items if i.required] == ["9"]


@pytest.mark.parametrize(
    ("score", "band"),
    [(0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"), (14, "moderate")]
    + [(15, "moderately severe"), (19, "moderately severe"), (20, "severe"), (27, "severe")]
    + [(9.5, "mild"), (14.6, "moderate")],
)
def test_phq9_bands(score: float, band: str) -> None:
    assert shipped_definition("phq9").band_for(score) == band


@pytest.mark.parametrize(("score", "band"), [(4, "minimal"), (10, "moderate"), (15, "severe")])
def test_gad7_bands(score: float, band: str) -> None:
    assert shipped_definition("gad7").band_for(score) == band


def test_clinical_range_is_at_or_beyond_the_cutoff() -> None:
    phq9 = shipped_definition("phq9")
    assert phq9.is_clinical(10) is True
    assert phq9.is_clinical(9) is False
    higher = make(direction="higher_is_better", cutoff=6)
    assert higher.is_clinical(6) is True
    assert higher.is_clinical(7) is False
    assert make().is_clinical(3) is None


def test_improvement_is_signed_by_direction() -> None:
    assert shipped_definition("phq9").improvement(18, 9) == 9
    assert make(direction="higher_is_better").improvement(3, 8) == 5
    assert make(direction="higher_is_better").best == 12
    assert shipped_definition("phq9").best == 0


def test_range_is_computed_and_checked() -> None:
    assert (make().score_range.min, make().score_range.max) == (0, 12)
    mean = make(scoring={"method": "mean"})
    assert (mean.score_range.min, mean.score_range.max) == (0, 4)
    with pytest.raises(ValidationError, match="does not match the items"):
        make(range={"min": 0, "max": 15})


def test_item_options_override_the_shared_ones() -> None:
    d = make(
        items=[
            {"id": "a", "text": "A"},
            {"id": "b", "text": "B", "options": [{"value": 1}, {"value": 2}]},
        ]
    )
    assert (d.score_range.min, d.score_range.max) == (1, 6)
    assert d.item("b") is not None and d.item("zzz") is None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"cutoff": 13}, "cutoff 13 is outside"),
        ({"items": [{"id": "a", "text": "A"}, {"id": "a", "text": "B"}]}, "used twice"),
        ({"options": [], "items": [{"id": "a", "text": "A"}]}, "has no options"),
        ({"scoring": {"reverse": ["nope"]}}, "unknown item 'nope'"),
        ({"scoring": {"max_missing": 3}}, "max_missing must be below"),
        ({"options": [{"value": 1}]}, "at least two"),
        ({"options": [{"value": 1}, {"value": 1}]}, "unique"),
        ({"options": [{"value": 0}, {"value": 10**400}]}, "less than or equal to 1000000"),
        (
            {"bands": [{"min": 0, "max": 6, "label": "a"}, {"min": 6, "max": 12, "label": "b"}]},
            "start above",
        ),
        ({"bands": [{"min": 1, "max": 12, "label": "a"}]}, "run from the range min"),
        ({"bands": [{"min": 5, "max": 1, "label": "a"}]}, "min must not be above"),
        ({"id": "Has Spaces"}, "pattern"),
        ({"items": []}, "at least 1"),
        ({"colour": "blue"}, "Extra inputs"),
        ({"cutoff": math.inf}, "finite"),
        ({"reliable_change": {"source": "x"}}, "give a threshold"),
        ({"reliable_change": {"sd": 3, "source": "x"}}, "both sd and reliability"),
        ({"reliable_change": {"sd": 3, "reliability": 1.0, "source": "x"}}, "less than 1"),
        ({"reliable_change": {"threshold": 3}}, "source"),
    ],
)
def test_bad_definitions_are_refused(overrides: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        make(**overrides)


def test_definitions_are_frozen() -> None:
    d = make()
    with pytest.raises(ValidationError):
        d.name = "other"


def test_jacobson_truax_spec() -> None:
    spec = ReliableChangeSpec(sd=6.0, reliability=0.84, source="illustrative")
    assert spec.s_diff == pytest.approx(6.0 * math.sqrt(0.32))
    assert spec.points() == pytest.approx(1.96 * 3.394, abs=1e-3)
    assert spec.points(z=1.0) == pytest.approx(3.394, abs=1e-3)
    both = ReliableChangeSpec(threshold=5, sd=6.0, reliability=0.84, source="x")
    assert both.points() == 5


@settings(max_examples=60, deadline=None)
@given(
    tops=st.lists(st.integers(1, 10), min_size=1, max_size=8),
    method=st.sampled_from(["sum", "mean"]),
)
def test_computed_range_spans_the_items(tops: list[int], method: str) -> None:
    items = [
        {"id": f"i{n}", "text": "Q", "options": [{"value": v} for v in range(top + 1)]}
        for n, top in enumerate(tops)
    ]
    d = make(items=items, options=[], scoring={"method": method})
    expected = sum(tops) / (len(tops) if method == "mean" else 1)
    assert d.score_range.min == 0
    assert d.score_range.max == pytest.approx(expected)
