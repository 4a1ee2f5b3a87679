"""Export scored responses as FHIR R4 ``QuestionnaireResponse`` resources (plain JSON dicts).

Each answered item becomes ``{"linkId": <item id>, "text": ..., "answer":
[{"valueCoding": {"code": "<value>", "display": "<option label>"}}]}``;
unanswered items are left out (FHIR wants no empty items), and a last item
``linkId: "total"`` carries the score as ``valueInteger`` (``valueDecimal``
when pro-rating or a mean made it fractional). The ``questionnaire`` is the
project-local canonical ``urn:edgewise:questionnaire:<id>|<version>`` (there is
no server behind it). The subject is ``Patient/<alias>`` when the client's
alias is a valid FHIR id, else a logical reference by identifier. ``authored`` is
what was entered: a day gives ``2024-06-03``; an exact (aware) time gives it with its
offset; a time of day entered without a zone gives the day only, since FHIR needs a zone
with a time and edgewise does not invent one. Nothing here sends anything anywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from edgewise.measures.definition import MeasureDefinition
from edgewise.measures.scoring import MeasureResponse, score_response

__all__ = [
    "ALIAS_SYSTEM",
    "RESPONSE_SYSTEM",
    "TOTAL_LINK_ID",
    "questionnaire_response",
    "subject_of",
]

#: linkId of the item that carries the total score.
TOTAL_LINK_ID = "total"
#: Identifier system for client aliases that are not valid FHIR ids.
ALIAS_SYSTEM = "urn:edgewise:client-alias"
#: Identifier system for edgewise response ids.
RESPONSE_SYSTEM = "urn:edgewise:measure-response"
_FHIR_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


def questionnaire_response(
    definition: MeasureDefinition, response: MeasureResponse
) -> dict[str, Any]:
    """The FHIR R4 QuestionnaireResponse for ``response``, checked and scored first."""
    score = score_response(definition, response)
    resource: dict[str, Any] = {"resourceType": "QuestionnaireResponse"}
    if _FHIR_ID.match(response.id):
        resource["id"] = response.id
    resource.update(
        identifier={"system": RESPONSE_SYSTEM, "value": response.id},
        questionnaire=definition.canonical_url,
        status="completed",
        subject=_subject(response.client_id),
        authored=_authored(response.authored),
        item=[*_items(definition, response), _total_item(score.total)],
    )
    return resource


def subject_of(alias: str) -> dict[str, Any]:
    """The FHIR subject of a client's resources (the goals' too): ``Patient/<alias>``
    when the alias is a valid FHIR id, else a logical reference by identifier."""
    return _subject(alias)


def _subject(alias: str) -> dict[str, Any]:
    if _FHIR_ID.match(alias):
        return {"reference": f"Patient/{alias}", "type": "Patient"}
    return {"type": "Patient", "identifier": {"system": ALIAS_SYSTEM, "value": alias}}


def _authored(when: dt.datetime | dt.date) -> str:
    """A FHIR dateTime: the day, or the time with its offset when the offset is known."""
    if isinstance(when, dt.datetime):
        return when.isoformat() if when.utcoffset() is not None else when.date().isoformat()
    return when.isoformat()


def _items(definition: MeasureDefinition, response: MeasureResponse) -> list[dict[str, Any]]:
    values = {a.item_id: a.value for a in response.answers if a.value is not None}
    items: list[dict[str, Any]] = []
    for item in definition.items:
        if item.id not in values:
            continue
        value = values[item.id]
        option = next(o for o in definition.options_for(item) if o.value == value)
        coding = {
            "system": f"urn:edgewise:questionnaire:{definition.id}:options",
            "code": str(value),
            "display": option.display,
        }
        items.append({"linkId": item.id, "text": item.text, "answer": [{"valueCoding": coding}]})
    return items


def _total_item(total: float) -> dict[str, Any]:
    answer: dict[str, Any]
    if float(total).is_integer():
        answer = {"valueInteger": int(total)}
    else:
        answer = {"valueDecimal": round(total, 4)}
    return {"linkId": TOTAL_LINK_ID, "text": "Total score", "answer": [answer]}
