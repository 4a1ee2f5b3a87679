"""What the REST API answers and takes: pydantic models, documented with examples.

Records the store hands out are turned into these by the ``of_*`` functions; nothing
here reads the store. Aliases and file names are the clinician's words and appear as
given; transcript text appears nowhere but in an analysis the caller asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from edgewise.domain import UtteranceCode
from edgewise.store import AlertRecord, ClientRecord, SessionRecord

__all__ = [
    "AlertOut",
    "AlertPage",
    "ClientIn",
    "ClientOut",
    "ClientPage",
    "CodesOut",
    "Problem",
    "ProblemField",
    "SessionOut",
    "SessionPage",
    "SessionScoresOut",
    "UploadOut",
    "of_alert",
    "of_client",
    "of_session",
]

MAX_ALIAS = 200


def _example(**example: Any) -> ConfigDict:
    return ConfigDict(json_schema_extra={"examples": [example]})


class ProblemField(BaseModel):
    """One request field that is not valid: where, and what is wrong (never its value)."""

    loc: list[str | int] = Field(description="Where: ``query``/``path``/``body``, then names.")
    msg: str


class Problem(BaseModel):
    """Problem details (RFC 9457) of a refused request, with the edgewise error code."""

    model_config = _example(
        type="urn:edgewise:error:E301",
        title="no such record, or not one you may see",
        status=404,
        detail="E301 no client 12",
        code="E301",
    )

    type: str = Field(description="``urn:edgewise:error:`` and the code.")
    title: str = Field(description="What the code means (docs/errors.md).")
    status: int
    detail: str = Field(description="The coded message: ids and names, never clinical text.")
    code: str = Field(pattern=r"^E\d{3}$")
    errors: list[ProblemField] | None = Field(
        default=None, description="E353 only: each field that is not valid."
    )
    sessions: list[int] | None = Field(
        default=None, description="E330 only: the sessions the same file made before."
    )


class ClientIn(BaseModel):
    """A new client: an alias (never the client's real name)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"alias": "Wren"}]})

    alias: str = Field(min_length=1, max_length=MAX_ALIAS, description="1 to 200 characters.")

    @field_validator("alias")
    @classmethod
    def _collapsed(cls, value: str) -> str:
        alias = " ".join(value.split())
        if not alias:
            raise ValueError("the alias is blank")
        return alias


class ClientOut(BaseModel):
    """A client as the caller sees it."""

    model_config = _example(
        id=12,
        alias="Wren",
        created_at="2026-03-02T10:00:00Z",
        archived=False,
        shared=False,
        read_only=False,
    )

    id: int
    alias: str
    created_at: dt.datetime
    archived: bool
    shared: bool = Field(description="Another clinician's client, shared with the caller.")
    read_only: bool = Field(description="Shared to read only: the caller may not add to it.")


class ClientPage(BaseModel):
    """A page of clients, by id; ``next`` is the link to the next page (None: the last)."""

    items: list[ClientOut]
    next: str | None = Field(
        description="Path and query of the next page, e.g. /api/v1/clients?limit=50&cursor=62."
    )


class SessionScoresOut(BaseModel):
    """The headline figures of an analysed session (None until it is analysed)."""

    optimal_stress: float | None = None
    change_talk_share: float | None = None
    support: float | None = None
    challenge: float | None = None


class SessionOut(BaseModel):
    """A session and how its analysis is going."""

    model_config = _example(
        id=31,
        client_id=12,
        number=4,
        date="2024-05-01",
        source_name="session-zoom.vtt",
        status="done",
        progress=100,
        message=None,
        analyser="edgewise.analyser@1",
        coder="edgewise.coder.v1",
        scores={
            "optimal_stress": 0.62,
            "change_talk_share": 0.71,
            "support": 0.58,
            "challenge": 0.41,
        },
        created_at="2026-03-02T10:00:00Z",
        updated_at="2026-03-02T10:00:09Z",
    )

    id: int
    client_id: int
    number: int = Field(description="The client's session number, from 1.")
    date: dt.date
    source_name: str | None = Field(description="The uploaded file's name.")
    status: Literal["pending", "analysing", "done", "failed"]
    progress: int = Field(ge=0, le=100, description="Percent of the analysis done.")
    message: str | None = Field(description="Why a failed analysis failed (coded), else None.")
    analyser: str | None = None
    coder: str | None = None
    scores: SessionScoresOut
    created_at: dt.datetime
    updated_at: dt.datetime


class SessionPage(BaseModel):
    """A page of a client's sessions, oldest first."""

    items: list[SessionOut]
    next: str | None


class UploadOut(BaseModel):
    """The sessions one uploaded file made, stored together and queued for analysis."""

    sessions: list[SessionOut]


class CodesOut(BaseModel):
    """The coder's code for each utterance of a session, by utterance index (from 0)."""

    session_id: int
    codes: list[UtteranceCode]


class AlertOut(BaseModel):
    """An alert on a client: open until resolved (reviewed)."""

    model_config = _example(
        id=7,
        client_id=12,
        kind="reliable_deterioration",
        measure_key="phq9",
        reason="PHQ-9 rose from 9 to 18, more than the reliable change of 5.2.",
        evidence=["response:3", "response:9"],
        created_at="2026-03-02T10:00:00Z",
        updated_at="2026-03-09T10:00:00Z",
        lapsed_at=None,
        resolved_at=None,
        resolver=None,
    )

    id: int
    client_id: int
    kind: str
    measure_key: str | None
    reason: str
    evidence: list[str] = Field(description="``response:<id>`` and ``session:<id>`` refs.")
    created_at: dt.datetime
    updated_at: dt.datetime | None
    lapsed_at: dt.datetime | None = Field(description="Set while the rule no longer holds.")
    resolved_at: dt.datetime | None
    resolver: str | None = Field(description="Username of who resolved it.")


class AlertPage(BaseModel):
    """A page of alerts, newest first."""

    items: list[AlertOut]
    next: str | None


def of_client(record: ClientRecord) -> ClientOut:
    """The API's view of a client record."""
    return ClientOut(
        id=record.id,
        alias=record.alias,
        created_at=record.created_at,
        archived=record.archived,
        shared=record.shared,
        read_only=record.read_only,
    )


def of_session(record: SessionRecord, message: str | None) -> SessionOut:
    """The API's view of a session record (``message``: why it failed, if it did)."""
    versions = record.versions
    return SessionOut(
        id=record.id,
        client_id=record.client_id,
        number=record.number,
        date=record.date,
        source_name=record.source_name,
        status=record.status,
        progress=record.analysis_progress,
        message=message,
        analyser=None if versions is None else versions.analyser,
        coder=None if versions is None else versions.coder,
        scores=SessionScoresOut(**record.scores.model_dump()),
        created_at=record.created_at,
        updated_at=record.updated_at,
    )


def of_alert(record: AlertRecord, evidence: list[str]) -> AlertOut:
    """The API's view of an alert (``evidence`` read from its JSON by the caller)."""
    return AlertOut(
        id=record.id,
        client_id=record.client_id,
        kind=record.kind,
        measure_key=record.measure_key,
        reason=record.reason,
        evidence=evidence,
        created_at=record.created_at,
        updated_at=record.updated_at,
        lapsed_at=record.lapsed_at,
        resolved_at=record.resolved_at,
        resolver=record.resolver,
    )
