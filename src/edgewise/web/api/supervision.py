"""Supervision over the API: comments on a session's turn or key moment, and answers.

A thread is read by its author and the client's clinician only (anyone else gets 404,
E301, exactly as for a comment that does not exist). A colleague the client is shared
with starts one, also with a read-only share; the clinician gets 403 (E491) starting
one, and answers instead. Turns are numbered from 1. Every read and write is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from edgewise.services import supervision
from edgewise.store.supervision import MAX_COMMENT_CHARS, CommentRecord, ThreadRecord
from edgewise.web.api.auth import Caller, context
from edgewise.web.api.problems import refusals

__all__ = ["router"]

router = APIRouter(tags=["supervision"])

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


class CommentIn(BaseModel):
    """A comment on a turn (from 1), or on the key moment of kind ``moment`` at it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"turn": 4, "moment": "rupture", "text": "What did you notice here?"}]
        },
    )

    turn: int = Field(ge=1, le=10_000_000)
    moment: str | None = Field(default=None, min_length=1, max_length=24)
    text: str = Field(min_length=1, max_length=MAX_COMMENT_CHARS)


class AnswerIn(BaseModel):
    """An answer in a thread."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=MAX_COMMENT_CHARS)


class CommentOut(BaseModel):
    """A comment (``thread_id`` null: it starts a thread) or an answer."""

    id: int
    thread_id: int | None
    session_id: int
    author: str
    mine: bool
    turn: int | None
    moment: str | None
    text: str
    created_at: dt.datetime


class ThreadOut(BaseModel):
    """A comment on a turn or moment and its answers, oldest first."""

    comment: CommentOut
    answers: list[CommentOut]


def _out(c: CommentRecord, me: int) -> CommentOut:
    return CommentOut(
        id=c.id,
        thread_id=c.thread_id,
        session_id=c.session_id,
        author=c.author,
        mine=c.author_id == me,
        turn=None if c.turn_index is None else c.turn_index + 1,
        moment=c.moment_kind,
        text=c.body,
        created_at=c.created_at,
    )


def _thread(t: ThreadRecord, me: int) -> ThreadOut:
    return ThreadOut(comment=_out(t.comment, me), answers=[_out(a, me) for a in t.answers])


@router.get("/sessions/{session_id}/supervision", responses=refusals(404))
def list_threads(request: Request, who: Caller, session_id: Id) -> list[ThreadOut]:
    """The session's supervision threads the caller may read (by turn)."""
    me = who.actor.require_user()
    found = supervision.list_threads(context(request).store, who.actor, session_id)
    return [_thread(t, me) for t in found]


@router.post(
    "/sessions/{session_id}/supervision", status_code=201, responses=refusals(400, 403, 404)
)
def add_comment(request: Request, who: Caller, session_id: Id, body: CommentIn) -> CommentOut:
    """Comment on a turn or key moment (a colleague the client is shared with)."""
    saved = supervision.comment(
        context(request).store, who.actor, session_id, body.text, body.turn - 1, moment=body.moment
    )
    return _out(saved, who.actor.require_user())


@router.post("/supervision/{comment_id}/answers", status_code=201, responses=refusals(400, 404))
def add_answer(request: Request, who: Caller, comment_id: Id, body: AnswerIn) -> CommentOut:
    """Answer a thread (its author or the client's clinician)."""
    saved = supervision.answer(context(request).store, who.actor, comment_id, body.text)
    return _out(saved, who.actor.require_user())


@router.delete("/supervision/{comment_id}", status_code=204, responses=refusals(403, 404))
def delete_comment(request: Request, who: Caller, comment_id: Id) -> Response:
    """Remove the caller's own comment (a thread goes with its answers)."""
    supervision.delete_comment(context(request).store, who.actor, comment_id)
    return Response(status_code=204)
