"""Growing-edge drafts and saved language over the API.

``GET /sessions/{id}/drafts`` drafts from the session's analysis (409 E355 until it has
one); ``GET /clients/{id}/drafts`` drafts across the client's analysed sessions. Saved
language is the author's own until shared: another's unshared entry is a 404 exactly like
one that does not exist; a colleague may read a shared one and gets 403 (E461) changing
it. Turns are numbered from 1, as on the pages. Every read and write is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from edgewise.analysis.drafts import Draft
from edgewise.services import language
from edgewise.store.language import (
    MAX_CITATIONS,
    MAX_LANGUAGE_CHARS,
    SavedLanguageRecord,
    TurnRef,
)
from edgewise.web.api.auth import Caller, context
from edgewise.web.api.errors import NoAnalysisError
from edgewise.web.api.problems import refusals

__all__ = ["router"]

router = APIRouter(tags=["drafts"])

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Kind = Literal["double_sided", "feeling_torn", "conjecture", "own"]


class TurnIn(BaseModel):
    """A cited client turn: the session's id and the turn number (from 1)."""

    model_config = ConfigDict(extra="forbid")

    session_id: int = Field(ge=1, le=2**31 - 1)
    turn: int = Field(ge=1, le=10_000_000)


class LanguageIn(BaseModel):
    """Language to keep for the client: usually a draft, edited into one's own words."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Part of you wants your evenings back, and part of you ...",
                    "kind": "double_sided",
                    "session_id": 12,
                    "turns": [{"session_id": 12, "turn": 14}, {"session_id": 12, "turn": 22}],
                }
            ]
        },
    )

    text: str = Field(min_length=1, max_length=MAX_LANGUAGE_CHARS)
    kind: Kind = "own"
    theme: str | None = Field(default=None, max_length=200)
    session_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    turns: list[TurnIn] = Field(default_factory=list, max_length=MAX_CITATIONS)
    shared: bool = False


class LanguagePatch(BaseModel):
    """New words, or sharing switched on or off (either or both)."""

    model_config = ConfigDict(extra="forbid")

    text: str | None = Field(default=None, min_length=1, max_length=MAX_LANGUAGE_CHARS)
    shared: bool | None = None


class TurnOut(BaseModel):
    """A cited turn (from 1)."""

    session_id: int
    turn: int


class LanguageOut(BaseModel):
    """Saved language the caller may read."""

    id: int
    author: str
    mine: bool
    client_id: int
    session_id: int | None
    kind: str
    theme: str | None
    text: str
    turns: list[TurnOut]
    shared: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class SessionDraftsOut(BaseModel):
    """A session's drafts; each cites its turns (``turn`` from 1) and the client's words."""

    session_id: int
    client_id: int
    drafts: list[Draft]


def _out(r: SavedLanguageRecord, me: int) -> LanguageOut:
    return LanguageOut(
        id=r.id,
        author=r.author,
        mine=r.author_id == me,
        client_id=r.client_id,
        session_id=r.session_id,
        kind=r.kind,
        theme=r.theme,
        text=r.body,
        turns=[TurnOut(session_id=t.session_id, turn=t.index + 1) for t in r.citations],
        shared=r.shared,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


@router.get("/sessions/{session_id}/drafts", responses=refusals(404, 409))
def session_drafts(request: Request, who: Caller, session_id: Id) -> SessionDraftsOut:
    """The session's growing-edge drafts (computed from its analysis; nothing is stored)."""
    found = language.session_language_drafts(context(request).store, who.actor, session_id)
    if found.drafts is None:
        raise NoAnalysisError(session=session_id, status=found.status)
    return SessionDraftsOut(
        session_id=found.session_id, client_id=found.client_id, drafts=list(found.drafts)
    )


@router.get("/clients/{client_id}/drafts", responses=refusals(404))
def client_drafts(request: Request, who: Caller, client_id: Id) -> list[Draft]:
    """Drafts across the client's analysed sessions (citations name the transcript's
    session ids)."""
    return list(language.client_language_drafts(context(request).store, who.actor, client_id))


@router.get("/clients/{client_id}/language", responses=refusals(404))
def list_language(request: Request, who: Caller, client_id: Id) -> list[LanguageOut]:
    """The client's saved language the caller may read (theirs and shared), newest first."""
    me = who.actor.require_user()
    found = language.list_language(context(request).store, who.actor, client_id)
    return [_out(r, me) for r in found]


@router.post("/clients/{client_id}/language", status_code=201, responses=refusals(400, 403, 404))
def save_language(request: Request, who: Caller, client_id: Id, body: LanguageIn) -> LanguageOut:
    """Keep language for the client as the caller's own (private unless ``shared``)."""
    saved = language.save_language(
        context(request).store,
        who.actor,
        client_id,
        body.text,
        kind=body.kind,
        theme=body.theme,
        session_id=body.session_id,
        citations=[TurnRef(t.session_id, t.turn - 1) for t in body.turns],
        shared=body.shared,
    )
    return _out(saved, who.actor.require_user())


@router.get("/language/{language_id}", responses=refusals(404))
def get_language(request: Request, who: Caller, language_id: Id) -> LanguageOut:
    """One entry the caller may read."""
    found = language.get_language(context(request).store, who.actor, language_id)
    return _out(found, who.actor.require_user())


@router.patch("/language/{language_id}", responses=refusals(400, 403, 404))
def update_language(
    request: Request, who: Caller, language_id: Id, body: LanguagePatch
) -> LanguageOut:
    """Change the caller's own entry (403 E461 for a colleague's shared one)."""
    saved = language.update_language(
        context(request).store, who.actor, language_id, body=body.text, shared=body.shared
    )
    return _out(saved, who.actor.require_user())


@router.delete("/language/{language_id}", status_code=204, responses=refusals(403, 404))
def delete_language(request: Request, who: Caller, language_id: Id) -> Response:
    """Remove the caller's own entry."""
    language.delete_language(context(request).store, who.actor, language_id)
    return Response(status_code=204)
