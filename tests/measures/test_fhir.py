"""FHIR R4 QuestionnaireResponse export: shape, codings, total, subject, time."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.errors import InputError
from edgewise.measures.fhir import ALIAS_SYSTEM, TOTAL_LINK_ID, questionnaire_response
from edgewise.measures.loader import load_definition, shipped_definition
from edgewise.measures.scoring import Answer, MeasureResponse, score_response

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "measures" / "session-check.yaml"
WHEN = dt.datetime(2024, 6, 3, 14, 5, tzinfo=dt.timezone(dt.timedelta(hours=1)))


def respond(values: Sequence[int | None], **extra: Any) -> MeasureResponse:
    fields: dict[str, Any] = {
        "id": "resp-1",
        "measure_id": "phq9",
        "client_id": "client-a",
        "authored": WHEN,
        "answers": tuple(Answer(item_id=str(n), value=v) for n, v in enumerate(values, start=1)),
    }
    fields.update(extra)
    return MeasureResponse(**fields)


def test_phq9_questionnaire_response() -> None:
    phq9 = shipped_definition("phq9")
    resource = questionnaire_response(phq9, respond([2] * 9))
    assert resource["resourceType"] == "QuestionnaireResponse"
    assert resource["id"] == "resp-1"
    assert resource["status"] == "completed"
    assert resource["questionnaire"] == "urn:edgewise:questionnaire:phq9|1.0"
    assert resource["subject"] == {"reference": "Patient/client-a", "type": "Patient"}
    assert resource["authored"] == "2024-06-03T14:05:00+01:00"
    items = resource["item"]
    assert [i["linkId"] for i in items] == [*(str(n) for n in range(1, 10)), TOTAL_LINK_ID]
    first = items[0]
    assert first["text"] == phq9.items[0].text
    coding = first["answer"][0]["valueCoding"]
    assert (coding["code"], coding["display"]) == ("2", "More than half the days")
    assert items[-1]["answer"] == [{"valueInteger": 18}]
    assert json.loads(json.dumps(resource)) == resource


def test_missing_items_are_left_out_and_a_fractional_total_is_decimal() -> None:
    resource = questionnaire_response(shipped_definition("phq9"), respond([2] * 7 + [None, 1]))
    link_ids = [i["linkId"] for i in resource["item"]]
    assert "8" not in link_ids and len(link_ids) == 9
    assert resource["item"][-1]["answer"] == [{"valueDecimal": pytest.approx(15 * 9 / 8)}]


def test_alias_that_is_not_a_fhir_id_becomes_an_identifier() -> None:
    resource = questionnaire_response(
        shipped_definition("phq9"), respond([1] * 9, client_id="client a/7", id="r 1")
    )
    assert resource["subject"] == {
        "type": "Patient",
        "identifier": {"system": ALIAS_SYSTEM, "value": "client a/7"},
    }
    assert "id" not in resource
    assert resource["identifier"]["value"] == "r 1"


def test_authored_is_what_was_entered() -> None:
    """A day stays a day; a time of day without a zone gives the day (FHIR needs a zone
    with a time, and none is invented)."""
    phq9 = shipped_definition("phq9")
    for authored, expected in (
        (dt.date(2024, 1, 2), "2024-01-02"),
        (dt.datetime(2024, 1, 2, 3, 4), "2024-01-02"),
        (dt.datetime(2024, 1, 2, 3, 4, tzinfo=dt.UTC), "2024-01-02T03:04:00+00:00"),
    ):
        resource = questionnaire_response(phq9, respond([1] * 9, authored=authored))
        assert resource["authored"] == expected


def test_options_without_labels_display_their_value() -> None:
    check = load_definition(EXAMPLE)
    answers = tuple(
        Answer(item_id=i.id, value=v) for i, v in zip(check.items, (7, 10, 0, 5), strict=True)
    )
    response = MeasureResponse(
        id="x1", measure_id="session-check", client_id="c1", authored=WHEN, answers=answers
    )
    resource = questionnaire_response(check, response)
    displays = [i["answer"][0]["valueCoding"]["display"] for i in resource["item"][:-1]]
    assert displays == ["7", "Completely", "Not at all", "5"]
    assert resource["questionnaire"] == "urn:edgewise:questionnaire:session-check|1"
    assert resource["item"][-1]["answer"] == [{"valueInteger": 22}]


def test_invalid_responses_are_refused() -> None:
    with pytest.raises(InputError, match="not one of its options"):
        questionnaire_response(shipped_definition("phq9"), respond([9] * 9))
    with pytest.raises(InputError, match="not 'gad7'"):
        questionnaire_response(shipped_definition("gad7"), respond([1] * 9))


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["phq9", "gad7"]),
    st.lists(st.integers(0, 3), min_size=9, max_size=9),
    st.one_of(st.none(), st.integers(0, 5)),
)
def test_every_valid_response_exports(which: str, values: list[int], gap: int | None) -> None:
    definition = shipped_definition(which)
    answers: list[int | None] = list(values[: len(definition.items)])
    if gap is not None:
        answers[gap] = None
    response = respond(answers, measure_id=which)
    resource = questionnaire_response(definition, response)
    assert json.loads(json.dumps(resource)) == resource
    answered = sum(v is not None for v in answers)
    assert len(resource["item"]) == answered + 1
    total = resource["item"][-1]["answer"][0]
    value = total.get("valueInteger", total.get("valueDecimal"))
    assert value == pytest.approx(score_response(definition, response).total, abs=1e-4)
