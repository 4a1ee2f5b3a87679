"""The clinician's journal, reflective exercises and mirror over the API.

The same services and privacy as the pages: an entry is the author's own until they
share it; another's unshared entry is a 404 exactly like one that does not exist. Turns
are numbered from 1, as on the pages. Every read and write is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from edgewise.analysis.follow_up import FollowUpKind
from edgewise.journal import Exercise, Vocabulary
from edgewise.journal.mirror import Mirror
from edgewise.journal.talk import SessionTalk, TalkTrend
from edgewise.services import exercises, journal, mirror
from edgewise.store.journal_records import ExerciseAnswerRecord, JournalEntryRecord
from edgewise.web.api.auth import Caller, context
from edgewise.web.api.problems import refusals

__all__ = ["router"]

router = APIRouter(tags=["journal"])

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
ExerciseKey = Annotated[str, Path(pattern=r"^[a-z][a-z0-9_]{0,47}$")]


class EntryIn(BaseModel):
    """A signal noticed in oneself: ``kind.signal`` from the vocabulary, 1-5, and optionally
    the turn (from 1) and a note in one's own words."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"signal": "urge.fix", "intensity": 4, "turn": 12}]},
    )

    signal: str = Field(pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$", max_length=97)
    intensity: int = Field(ge=1, le=5)
    turn: int | None = Field(default=None, ge=1, le=10_000_000)
    note: str | None = Field(default=None, max_length=10_000)


class EntryOut(BaseModel):
    """A journal entry the caller may read."""

    id: int
    author: str
    mine: bool
    client_id: int
    session_id: int
    session_number: int
    turn: int | None = Field(description="From 1; null: the session as a whole.")
    signal: str
    label: str
    vocabulary_version: int
    intensity: int
    note: str | None
    shared: bool
    created_at: dt.datetime


class ShareIn(BaseModel):
    """Share the entry with whoever may see the client, or make it private again."""

    model_config = ConfigDict(extra="forbid")

    shared: bool


class AnswerIn(BaseModel):
    """An answer to one question, about one client or (``client_id`` null) in general."""

    model_config = ConfigDict(extra="forbid")

    question: str = Field(pattern=r"^[a-z][a-z0-9_]{0,47}$")
    text: str = Field(min_length=1, max_length=10_000)
    client_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class AnswerOut(BaseModel):
    """One kept answer."""

    id: int
    question: str
    exercise_version: int
    client_id: int | None
    text: str
    answered_at: dt.datetime


class ClientTalkOut(BaseModel):
    """One client's change and sustain talk per session, and its trend."""

    client_id: int
    sessions: list[SessionTalk]
    trend: TalkTrend


class FollowUpOut(BaseModel):
    """A strained response, in a session, and what the clinician did next."""

    session_id: int
    response: str
    client_turn: int
    clinician_turn: int
    kind: FollowUpKind
    reason: str


class FollowUpsOut(BaseModel):
    """Counts of each follow-up kind, the sessions read, and every follow-up."""

    sessions: int
    counts: dict[str, int]
    items: list[FollowUpOut]


class ExerciseOut(BaseModel):
    """An exercise, the caller's answers (oldest first) and the evidence it asks for."""

    exercise: Exercise
    client_id: int | None
    answers: list[AnswerOut]
    client_talk: list[ClientTalkOut] | None
    strain_follow_ups: FollowUpsOut | None


def _entry(e: JournalEntryRecord, vocabulary: Vocabulary, me: int) -> EntryOut:
    return EntryOut(
        id=e.id,
        author=e.author,
        mine=e.author_id == me,
        client_id=e.client_id,
        session_id=e.session_id,
        session_number=e.session_number,
        turn=None if e.turn_index is None else e.turn_index + 1,
        signal=f"{e.kind}.{e.signal}",
        label=vocabulary.label(e.kind, e.signal),
        vocabulary_version=e.vocabulary_version,
        intensity=e.intensity,
        note=e.note,
        shared=e.shared,
        created_at=e.created_at,
    )


def _answer(a: ExerciseAnswerRecord) -> AnswerOut:
    return AnswerOut(
        id=a.id,
        question=a.question_key,
        exercise_version=a.exercise_version,
        client_id=a.client_id,
        text=a.text,
        answered_at=a.answered_at,
    )


@router.get("/journal/vocabulary", responses=refusals())
def vocabulary(request: Request, who: Caller) -> Vocabulary:
    """The signals the caller may note: the shipped vocabulary and their own additions."""
    return journal.vocabulary_for(context(request).store, who.actor.require_user())


@router.get("/sessions/{session_id}/journal", responses=refusals(404))
def list_entries(request: Request, who: Caller, session_id: Id) -> list[EntryOut]:
    """The session's entries the caller may read: their own, and those shared with them."""
    store = context(request).store
    me = who.actor.require_user()
    words = journal.vocabulary_for(store, me)
    return [_entry(e, words, me) for e in journal.list_entries(store, who.actor, session_id)]


@router.post("/sessions/{session_id}/journal", status_code=201, responses=refusals(400, 404))
def add_entry(request: Request, who: Caller, session_id: Id, body: EntryIn) -> EntryOut:
    """Note a signal in the session (private until shared)."""
    store = context(request).store
    kind, _, signal = body.signal.partition(".")
    saved = journal.add_entry(
        store,
        who.actor,
        session_id,
        kind,
        signal,
        body.intensity,
        turn=None if body.turn is None else body.turn - 1,
        note=body.note,
    )
    me = who.actor.require_user()
    return _entry(saved, journal.vocabulary_for(store, me), me)


@router.get("/journal/{entry_id}", responses=refusals(404))
def get_entry(request: Request, who: Caller, entry_id: Id) -> EntryOut:
    """One entry the caller may read."""
    store = context(request).store
    me = who.actor.require_user()
    found = journal.get_entry(store, who.actor, entry_id)
    return _entry(found, journal.vocabulary_for(store, me), me)


@router.patch("/journal/{entry_id}", responses=refusals(404))
def share_entry(request: Request, who: Caller, entry_id: Id, body: ShareIn) -> EntryOut:
    """Share the caller's own entry, or make it private (404 for anyone else's)."""
    store = context(request).store
    me = who.actor.require_user()
    saved = journal.set_shared(store, who.actor, entry_id, body.shared)
    return _entry(saved, journal.vocabulary_for(store, me), me)


@router.delete("/journal/{entry_id}", status_code=204, responses=refusals(404))
def delete_entry(request: Request, who: Caller, entry_id: Id) -> Response:
    """Remove the caller's own entry."""
    journal.delete_entry(context(request).store, who.actor, entry_id)
    return Response(status_code=204)


@router.get("/exercises", responses=refusals())
def list_exercises(request: Request, who: Caller) -> list[Exercise]:
    """The reflective exercises the caller may answer (shipped and their own)."""
    return exercises.list_exercises(context(request).store, who.actor)


@router.get("/exercises/{key}", responses=refusals(404))
def get_exercise(
    request: Request,
    who: Caller,
    key: ExerciseKey,
    client_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> ExerciseOut:
    """The exercise, the caller's answers about the client (or in general) and evidence."""
    page = exercises.exercise_page(context(request).store, who.actor, key, client_id)
    kept = sorted((a for found in page.answers.values() for a in found), key=lambda a: a.id)
    follow = page.follow_ups
    return ExerciseOut(
        exercise=page.exercise,
        client_id=client_id,
        answers=[_answer(a) for a in kept],
        client_talk=None
        if page.talk is None
        else [
            ClientTalkOut(client_id=t.client.id, sessions=list(t.sessions), trend=t.trend)
            for t in page.talk
        ],
        strain_follow_ups=None
        if follow is None
        else FollowUpsOut(
            sessions=follow.sessions,
            counts={str(k): v for k, v in follow.counts.items()},
            items=[
                FollowUpOut(
                    session_id=i.session_id,
                    response=i.follow_up.response,
                    client_turn=i.follow_up.client_turn + 1,
                    clinician_turn=i.follow_up.clinician_turn + 1,
                    kind=i.follow_up.kind,
                    reason=i.follow_up.reason,
                )
                for i in follow.items
            ],
        ),
    )


@router.post("/exercises/{key}/answers", status_code=201, responses=refusals(400, 404))
def answer(request: Request, who: Caller, key: ExerciseKey, body: AnswerIn) -> AnswerOut:
    """Keep an answer, dated now."""
    saved = exercises.answer(
        context(request).store, who.actor, key, body.question, body.text, body.client_id
    )
    return _answer(saved)


@router.get("/mirror", responses=refusals())
def get_mirror(request: Request, who: Caller) -> Mirror:
    """The caller's mirror (nothing shown below the minimum of journaled sessions)."""
    found, _ = mirror.clinician_mirror(context(request).store, who.actor)
    return found
