"""Scoring checks every answer, pro-rates only what the definition allows, and stays in range."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from edgewise.errors import InputError
from edgewise.measures.definition import MeasureDefinition
from edgewise.measures.loader import shipped_definition
from edgewise.measures.scoring import Answer, MeasureResponse, score_response, total

WHEN = dt.datetime(2024, 3, 4, 10, 30, tzinfo=dt.UTC)


def respond(values: Sequence[int | None], measure: str = "phq9", **extra: Any) -> MeasureResponse:
    answers = tuple(Answer(item_id=str(n), value=v) for n, v in enumerate(values, start=1))
    fields: dict[str, Any] = {"id": "r1", "measure_id": measure, "client_id": "client-a"}
    fields.update(extra)
    return MeasureResponse(authored=WHEN, answers=answers, **fields)


def test_phq9_total_band_and_clinical() -> None:
    score = score_response(shipped_definition("phq9"), respond([2] * 9, session_id="s3"))
    assert score.total == 18
    assert score.band == "moderately severe"
    assert score.clinical is True
    assert score.missing == () and score.prorated is False
    assert (score.response_id, score.session_id, score.measure_version) == ("r1", "s3", "1.0")


def test_gad7_total() -> None:
    score = score_response(shipped_definition("gad7"), respond([0, 1, 2, 3, 0, 1, 2], "gad7"))
    assert (score.total, score.band, score.clinical) == (9, "mild", False)


def test_one_missing_item_is_prorated() -> None:
    score = score_response(shipped_definition("phq9"), respond([None] + [2] * 8))
    assert score.total == 18  # 16 * 9 / 8
    assert score.missing == ("1",) and score.prorated is True


def test_prorated_total_may_be_fractional() -> None:
    values: list[int | None] = [2, 2, 2, 2, 2, 2, 2, None, 1]
    score = score_response(shipped_definition("phq9"), respond(values))
    assert score.total == pytest.approx(15 * 9 / 8)
    assert score.band == "moderately severe"


def test_unlisted_items_count_as_missing() -> None:
    response = respond([2] * 9)
    short = response.model_copy(update={"answers": response.answers[1:]})
    assert score_response(shipped_definition("phq9"), short).missing == ("1",)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([None, None] + [1] * 7, "2 of 9 items unanswered"),
        ([1] * 8 + [None], "item '9' must be answered"),
        ([4] + [1] * 8, "not one of its options"),
        ([-1] + [1] * 8, "not one of its options"),
    ],
)
def test_bad_answers_are_refused(values: list[int | None], message: str) -> None:
    with pytest.raises(InputError, match=message):
        score_response(shipped_definition("phq9"), respond(values))


def test_bad_responses_are_refused() -> None:
    phq9 = shipped_definition("phq9")
    with pytest.raises(InputError, match="is for measure 'gad7'"):
        score_response(phq9, respond([1] * 9, measure="gad7"))
    with pytest.raises(InputError, match="version '2.0'"):
        score_response(phq9, respond([1] * 9, measure_version="2.0"))
    twice = respond([1] * 9)
    twice = twice.model_copy(update={"answers": (*twice.answers, Answer(item_id="1", value=0))})
    with pytest.raises(InputError, match="answered twice"):
        score_response(phq9, twice)
    extra = respond([1] * 9)
    extra = extra.model_copy(update={"answers": (*extra.answers, Answer(item_id="10", value=0))})
    with pytest.raises(InputError, match="no item '10'"):
        score_response(phq9, extra)


def test_errors_are_coded_and_quote_no_item_text() -> None:
    phq9 = shipped_definition("phq9")
    with pytest.raises(InputError) as info:
        score_response(phq9, respond([1] * 8 + [None]))
    assert str(info.value).startswith("E100 ")
    assert phq9.items[8].text not in str(info.value)


def mini(**overrides: Any) -> MeasureDefinition:
    data: dict[str, Any] = {
        "id": "mini",
        "name": "Mini",
        "version": "1",
        "licence": "Test.",
        "options": [{"value": v} for v in range(5)],
        "items": [{"id": i, "text": i} for i in ("a", "b", "c")],
    }
    data.update(overrides)
    return MeasureDefinition.model_validate(data)


def test_reverse_scored_items() -> None:
    d = mini(scoring={"reverse": ["b"]})
    assert total(d, {"a": 4, "b": 4, "c": 4}) == 8
    assert total(d, {"a": 0, "b": 0, "c": 0}) == 4


def test_mean_scoring() -> None:
    d = mini(scoring={"method": "mean", "max_missing": 1})
    assert total(d, {"a": 1, "b": 2, "c": 3}) == 2
    assert total(d, {"a": 1, "b": None, "c": 3}) == 2


def test_prorating_items_of_different_scales_stays_in_range() -> None:
    d = mini(
        options=[],
        items=[
            {"id": "a", "text": "a", "options": [{"value": v} for v in range(4)]},
            {"id": "b", "text": "b", "options": [{"value": v} for v in range(1, 11)]},
        ],
        scoring={"max_missing": 1},
    )
    assert total(d, {"b": 10}) == 13
    assert total(d, {"b": 1}) == 1
    assert total(d, {"a": 3}) == 13


@st.composite
def definitions_and_answers(draw: st.DrawFn) -> tuple[MeasureDefinition, dict[str, int | None]]:
    """A random valid definition and a random valid set of answers to it."""
    scales = draw(
        st.lists(st.tuples(st.integers(-3, 3), st.integers(1, 10)), min_size=1, max_size=10)
    )
    items = [
        {
            "id": f"i{n}",
            "text": "Q",
            "options": [{"value": low + k} for k in range(width + 1)],
        }
        for n, (low, width) in enumerate(scales)
    ]
    ids = [str(i["id"]) for i in items]
    reverse = draw(st.lists(st.sampled_from(ids), unique=True))
    max_missing = draw(st.integers(0, len(ids) - 1))
    method = draw(st.sampled_from(["sum", "mean"]))
    direction = draw(st.sampled_from(["lower_is_better", "higher_is_better"]))
    d = mini(
        options=[],
        items=items,
        scoring={"method": method, "reverse": reverse, "max_missing": max_missing},
        direction=direction,
    )
    answers: dict[str, int | None] = {}
    for (low, width), item_id in zip(scales, ids, strict=True):
        answers[item_id] = draw(st.integers(low, low + width))
    for item_id in draw(st.lists(st.sampled_from(ids), unique=True, max_size=max_missing)):
        answers[item_id] = None
    return d, answers


@settings(max_examples=200, deadline=None)
@given(definitions_and_answers())
def test_scores_always_within_range(case: tuple[MeasureDefinition, dict[str, int | None]]) -> None:
    definition, answers = case
    value = total(definition, answers)
    assert definition.score_range.contains(value)


@settings(max_examples=100, deadline=None)
@given(definitions_and_answers())
def test_complete_sums_are_exact(case: tuple[MeasureDefinition, dict[str, int | None]]) -> None:
    definition, answers = case
    assume(all(v is not None for v in answers.values()) and definition.scoring.method == "sum")
    expected = 0
    for item in definition.items:
        value = answers[item.id]
        assert value is not None
        if item.id in definition.scoring.reverse:
            value = definition.item_min(item) + definition.item_max(item) - value
        expected += value
    assert total(definition, answers) == expected


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=9, max_size=9),
    st.one_of(st.none(), st.integers(0, 7)),
)
def test_phq9_prorating_is_the_usual_formula(given_values: list[int], gap: int | None) -> None:
    values: list[int | None] = list(given_values)
    if gap is not None:
        values[gap] = None
    answered = [v for v in values if v is not None]
    score = score_response(shipped_definition("phq9"), respond(values))
    assert score.total == pytest.approx(sum(answered) * 9 / len(answered))
    assert 0 <= score.total <= 27
    assert score.band is not None
