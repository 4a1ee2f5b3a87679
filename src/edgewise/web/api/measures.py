"""Measures: the definitions the caller may record, and recording a client's response.

A response is checked and scored by the measure's definition; a safety item answered
beyond its threshold raises its alert at once, then the measure's rules run on the
client's whole history, exactly as when the response is entered on the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from edgewise.errors import InputError
from edgewise.measures import Alert, Answer, MeasureDefinition, Score
from edgewise.services.clients import writable_client
from edgewise.services.measures import definitions
from edgewise.services.responses import find_definition, record_response
from edgewise.web.api.auth import Caller, context
from edgewise.web.api.clients import ClientId
from edgewise.web.api.problems import refusals

__all__ = ["MeasureOut", "RecordedOut", "ResponseIn", "router"]

router = APIRouter(tags=["measures"])

MeasureKey = Annotated[
    str, Path(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$", description="The measure's id (phq9).")
]


#: A PHQ-9's answers, for the schema's example: item id -> option value.
_EXAMPLE_ANSWERS: dict[str, Any] = dict.fromkeys("12345678", 1) | {"9": 0}


class MeasureOut(BaseModel):
    """A measure the caller may record: its key, stored version and definition."""

    key: str
    version: int = Field(description="The stored version responses are recorded against.")
    builtin: bool = Field(description="Shipped with edgewise (else the caller's own).")
    definition: MeasureDefinition


class ResponseIn(BaseModel):
    """A completed questionnaire: each item's chosen option value (null: skipped)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "answers": {
                        "1": 1,
                        "2": 2,
                        "3": 1,
                        "4": 0,
                        "5": 1,
                        "6": 0,
                        "7": 1,
                        "8": 0,
                        "9": 0,
                    },
                    "answered_on": "2024-05-01",
                    "answered_time": "14:30",
                    "session_id": None,
                }
            ]
        },
    )

    answers: dict[str, int | None] = Field(description="Item id -> option value (or null).")
    answered_on: dt.date | None = Field(default=None, description="Default: today.")
    answered_time: dt.time | None = Field(default=None, description="As entered; no zone.")
    session_id: int | None = Field(default=None, description="One of the client's sessions.")


class RecordedOut(BaseModel):
    """The stored response's id, its score, and the alerts it opened or updated."""

    response_id: int
    measure: str
    score: Score
    alerts: list[Alert] = Field(description="Alerts this response opened or updated.")


@router.get("/measures", responses=refusals())
def list_measures(request: Request, who: Caller) -> list[MeasureOut]:
    """The measures the token's user may record: the shipped ones and their own."""
    found = definitions(context(request).store, who.user.id)
    return [
        MeasureOut(
            key=key,
            version=item.record.version,
            builtin=item.record.builtin,
            definition=item.definition,
        )
        for key, item in sorted(found.items())
    ]


@router.post(
    "/clients/{client_id}/measures/{measure}/responses",
    status_code=201,
    response_model=RecordedOut,
    responses=refusals(400, 403, 404),
)
def add_response(
    request: Request, who: Caller, client_id: ClientId, measure: MeasureKey, body: ResponseIn
) -> JSONResponse:
    """Score and store a response of the client to ``measure``, then run its alert rules."""
    store = context(request).store
    writable_client(store, who.actor, client_id)  # another's client: 404 before anything
    definition = find_definition(store, who.actor, measure).definition
    unknown = sorted(set(body.answers) - {item.id for item in definition.items})
    if unknown:
        raise InputError(f"{definition.id} has no item {unknown[0]!r}")
    answers = tuple(Answer(item_id=i.id, value=body.answers.get(i.id)) for i in definition.items)
    time = body.answered_time
    if time is not None:  # as the form takes it: to the minute, no zone
        time = time.replace(second=0, microsecond=0, tzinfo=None)
    recorded = record_response(
        store,
        who.actor,
        client_id,
        measure,
        answers,
        answered_on=_answered_on(body.answered_on, time),
        answered_time=time,
        session_id=body.session_id,
    )
    out = RecordedOut(
        response_id=recorded.response_id,
        measure=measure,
        score=recorded.score,
        alerts=list(recorded.alerts),
    )
    return JSONResponse(out.model_dump(mode="json"), status_code=201)


def _answered_on(day: dt.date | None, time: dt.time | None) -> dt.date:
    """The day answered (today when not given); InputError when it lies in the future."""
    now = dt.datetime.now()
    chosen = day or now.date()
    if chosen > now.date() or (time is not None and dt.datetime.combine(chosen, time) > now):
        raise InputError("the date answered is in the future")
    return chosen
