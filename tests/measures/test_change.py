"""Reliable change (threshold or Jacobson-Truax), cut-off crossing, clinical significance."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.errors import InputError
from edgewise.measures.change import (
    change_between,
    reliable_change,
    reliable_change_index,
    s_diff,
)
from edgewise.measures.definition import MeasureDefinition
from edgewise.measures.loader import shipped_definition
from edgewise.measures.scoring import Answer, MeasureResponse, score_response

WHEN = dt.datetime(2024, 5, 1, 9, 0, tzinfo=dt.UTC)


def respond(rid: str, values: list[int], measure: str = "phq9") -> MeasureResponse:
    answers = tuple(Answer(item_id=str(n), value=v) for n, v in enumerate(values, start=1))
    return MeasureResponse(
        id=rid, measure_id=measure, client_id="client-a", authored=WHEN, answers=answers
    )


def jt_measure(**overrides: Any) -> MeasureDefinition:
    """A 0-40 measure with an (illustrative) SD of 6 and reliability of 0.84: S_diff 3.39."""
    data: dict[str, Any] = {
        "id": "jt",
        "name": "JT check",
        "version": "1",
        "licence": "Test.",
        "options": [{"value": v} for v in range(11)],
        "items": [{"id": f"q{i}", "text": "Q"} for i in range(4)],
        "cutoff": 20,
        "reliable_change": {"sd": 6.0, "reliability": 0.84, "source": "illustrative"},
    }
    data.update(overrides)
    return MeasureDefinition.model_validate(data)


def test_phq9_18_to_9_is_clinically_significant_improvement() -> None:
    """The user-facing check: 18 then 9 is reliable (9 >= 6) and crosses below the cut-off 10."""
    phq9 = shipped_definition("phq9")
    first = score_response(phq9, respond("r1", [2] * 9))
    second = score_response(phq9, respond("r2", [1] * 9))
    assert (first.total, second.total) == (18, 9)
    change = change_between(phq9, first, second)
    assert change.difference == -9
    assert change.improvement == 9
    assert change.method == "threshold" and change.threshold == 6
    assert change.category == "reliably_improved"
    assert change.plain == "reliably improved"
    assert change.crossing == "out_of_clinical"
    assert change.clinically_significant is True
    assert (change.before_id, change.after_id) == ("r1", "r2")


@pytest.mark.parametrize(
    ("before", "after", "category", "crossing", "significant"),
    [
        (18, 13, "no_reliable_change", "none", False),
        (18, 12, "reliably_improved", "none", False),
        (15, 9, "reliably_improved", "out_of_clinical", True),
        (10, 9, "no_reliable_change", "out_of_clinical", False),
        (5, 11, "reliably_deteriorated", "into_clinical", False),
        (9, 10, "no_reliable_change", "into_clinical", False),
        (12, 12, "no_reliable_change", "none", False),
        (3, 9, "reliably_deteriorated", "none", False),
    ],
)
def test_phq9_cases(
    before: float, after: float, category: str, crossing: str, significant: bool
) -> None:
    change = reliable_change(shipped_definition("phq9"), before, after)
    assert change.category == category
    assert change.crossing == crossing
    assert change.clinically_significant is significant


def test_gad7_threshold_is_4() -> None:
    gad7 = shipped_definition("gad7")
    assert reliable_change(gad7, 12, 8).clinically_significant is True
    assert reliable_change(gad7, 12, 9).category == "no_reliable_change"
    assert reliable_change(gad7, 6, 10).category == "reliably_deteriorated"


def test_jacobson_truax_formula() -> None:
    assert s_diff(6.0, 0.84) == pytest.approx(6.0 * math.sqrt(2 * 0.16))
    assert reliable_change_index(30, 20, 6.0, 0.84) == pytest.approx(-10 / s_diff(6.0, 0.84))
    d = jt_measure()
    change = reliable_change(d, 20, 27)
    assert change.method == "jacobson_truax"
    assert change.rci == pytest.approx(7 / 3.3941, abs=1e-3)
    assert change.threshold == pytest.approx(1.96 * 3.3941, abs=1e-3)
    assert change.category == "reliably_deteriorated"  # lower is better; |RCI| = 2.06 > 1.96
    assert reliable_change(d, 20, 26).category == "no_reliable_change"


def test_jacobson_truax_uses_strict_inequality_and_z() -> None:
    d = jt_measure()
    sd = s_diff(6.0, 0.84)
    assert reliable_change(d, 10, 17).rci == pytest.approx(7 / sd)
    assert reliable_change(d, 10, 17).category == "reliably_deteriorated"
    assert reliable_change(d, 10, 16).category == "no_reliable_change"
    assert reliable_change(d, 10, 16, z=1.0).category == "reliably_deteriorated"


def test_higher_is_better_direction() -> None:
    d = jt_measure(direction="higher_is_better")
    up = reliable_change(d, 15, 25)
    assert up.category == "reliably_improved"
    assert up.crossing == "out_of_clinical"  # 15 <= 20 is clinical; 25 is not
    assert up.clinically_significant is True
    assert reliable_change(d, 25, 15).category == "reliably_deteriorated"


def test_method_choice() -> None:
    both = jt_measure(
        reliable_change={"threshold": 5, "sd": 6.0, "reliability": 0.84, "source": "x"}
    )
    assert reliable_change(both, 10, 15).method == "threshold"
    assert reliable_change(both, 10, 15).category == "reliably_deteriorated"
    forced = reliable_change(both, 10, 15, method="jacobson_truax")
    assert forced.method == "jacobson_truax" and forced.category == "no_reliable_change"
    with pytest.raises(InputError, match="no reliable-change threshold"):
        reliable_change(jt_measure(), 10, 15, method="threshold")
    with pytest.raises(InputError, match="no SD and reliability"):
        reliable_change(shipped_definition("phq9"), 10, 15, method="jacobson_truax")


def test_errors() -> None:
    with pytest.raises(InputError, match="no reliable-change criterion"):
        reliable_change(jt_measure(reliable_change=None), 1, 2)
    with pytest.raises(InputError, match="outside the range"):
        reliable_change(shipped_definition("phq9"), 18, 28)
    with pytest.raises(InputError):
        s_diff(0, 0.5)
    with pytest.raises(InputError, match="z must be positive"):
        reliable_change(jt_measure(), 1, 2, z=0)
    phq9, gad7 = shipped_definition("phq9"), shipped_definition("gad7")
    gad_score = score_response(gad7, respond("g1", [1] * 7, "gad7"))
    phq_score = score_response(phq9, respond("p1", [1] * 9))
    with pytest.raises(InputError, match="is for 'gad7'"):
        change_between(phq9, phq_score, gad_score)


def test_no_cutoff_means_no_crossing() -> None:
    change = reliable_change(jt_measure(cutoff=None), 30, 5)
    assert change.crossing is None
    assert change.category == "reliably_improved"
    assert change.clinically_significant is False


_FLIP = {
    "reliably_improved": "reliably_deteriorated",
    "reliably_deteriorated": "reliably_improved",
    "no_reliable_change": "no_reliable_change",
}
_CROSS = {"into_clinical": "out_of_clinical", "out_of_clinical": "into_clinical", "none": "none"}


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["phq9", "gad7", "jt", "jt-up"]),
    st.floats(0, 1),
    st.floats(0, 1),
)
def test_reliable_change_is_antisymmetric(which: str, a: float, b: float) -> None:
    if which in ("phq9", "gad7"):
        d = shipped_definition(which)
    else:
        d = jt_measure(direction="higher_is_better" if which == "jt-up" else "lower_is_better")
    top = d.score_range.max
    before, after = a * top, b * top
    forward, backward = reliable_change(d, before, after), reliable_change(d, after, before)
    assert backward.category == _FLIP[forward.category]
    assert backward.difference == -forward.difference
    assert backward.improvement == -forward.improvement
    if forward.rci is not None:
        assert backward.rci == pytest.approx(-forward.rci)
    assert forward.crossing is not None and backward.crossing == _CROSS[forward.crossing]
    assert not (forward.clinically_significant and backward.clinically_significant)
