"""Goals, action steps and follow-through over the API.

``GET /clients/{id}/goals`` is the client's goals record (goals, steps with their
follow-through, the rate per session); goals and steps are added with POST and changed
with PATCH (a step accepted, edited, dismissed, marked done or grouped); a follow-through
entry is confirmed or corrected with PATCH. ``GET /clients/{id}/insight`` is the
insight-to-action view (read only, as the page): each theme of the client's parts and
whether it reached a commitment, a step and a follow-through, and DARN to CAT movement.
The record's rules are the pages': whoever may see the client reads; a read-only
colleague gets 403 (E304); a stranger 404. Turns are numbered from 1, as on the pages.
Every read and write is audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field

from edgewise.goals.insight import CatPoint, Link, ThemeRow
from edgewise.services import goal_insight, goals
from edgewise.services.goal_insight import InsightFile
from edgewise.services.goals import GoalsFile
from edgewise.store.goal_records import (
    MAX_GOAL_CHARS,
    MAX_STEP_CHARS,
    MAX_WHEN_CHARS,
    FollowThroughRecord,
    GoalRecord,
    StepRecord,
)
from edgewise.store.goals import KEEP
from edgewise.web.api.auth import Caller, context
from edgewise.web.api.problems import refusals

__all__ = ["router"]

router = APIRouter(tags=["goals"])

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Outcome = Literal["done", "partly", "not_done", "not_mentioned"]
StepStatus = Literal["accepted", "dismissed", "done"]
GoalStatus = Literal["active", "achieved", "set_aside"]
_Goal = Field(min_length=1, max_length=MAX_GOAL_CHARS)
_Value = Field(default=None, max_length=MAX_GOAL_CHARS)
_When = Field(default=None, max_length=MAX_WHEN_CHARS)
_GoalRef = Field(default=None, ge=1, le=2**31 - 1)


class GoalIn(BaseModel):
    """A goal in the client's words, and the value behind it."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"title": "Feel like myself again", "value": "family"}]},
    )

    title: str = _Goal
    value: str | None = _Value


class GoalPatch(BaseModel):
    """New words, value or status (any of them; a field left out stays as it is)."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=MAX_GOAL_CHARS)
    value: str | None = _Value
    status: GoalStatus | None = None


class StepIn(BaseModel):
    """A step written with the client: accepted at once."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"what": "walk to work three mornings", "when": "weekly"}]},
    )

    what: str = Field(min_length=1, max_length=MAX_STEP_CHARS)
    when: str | None = _When
    due_on: dt.date | None = None
    goal_id: int | None = _GoalRef


class StepPatch(BaseModel):
    """A decision (``status``) and/or edits; a field left out stays as it is, ``null``
    clears ``when``, ``due_on`` or ``goal_id``."""

    model_config = ConfigDict(extra="forbid")

    what: str | None = Field(default=None, min_length=1, max_length=MAX_STEP_CHARS)
    when: str | None = _When
    due_on: dt.date | None = None
    goal_id: int | None = _GoalRef
    status: StepStatus | None = None


class FollowPatch(BaseModel):
    """The outcome the clinician confirms (the one proposed) or corrects it to."""

    model_config = ConfigDict(extra="forbid")

    outcome: Outcome


class GoalOut(BaseModel):
    """A goal (``title`` and ``value`` are the client's words)."""

    id: int
    client_id: int
    title: str
    value: str | None
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime


class FollowOut(BaseModel):
    """What a later session said about a step: proposed by the matcher, reviewed or not."""

    id: int
    step_id: int
    session_id: int
    session_number: int
    proposed: str
    outcome: str | None = Field(description="The clinician's (None until reviewed).")
    final: str
    evidence_turns: list[int] = Field(description="Turns of the session, from 1.")
    reviewed_by: str | None


class StepOut(BaseModel):
    """An action step; ``turn`` is the session's turn (from 1) it came from."""

    id: int
    client_id: int
    goal_id: int | None
    session_id: int | None
    session_number: int | None
    turn: int | None
    what: str
    proposed: str | None = Field(description="The words first proposed (None if written).")
    when: str | None
    due_on: dt.date | None
    labels: list[str]
    status: str
    decided_by: str | None
    follow_through: list[FollowOut] = Field(default_factory=list)


class RateOut(BaseModel):
    """One session's follow-through counts and rate."""

    session_id: int
    session_number: int
    counts: dict[str, int]
    rate: float


class GoalsOut(BaseModel):
    """A client's goals record."""

    client_id: int
    goals: list[GoalOut]
    steps: list[StepOut]
    rate: list[RateOut]


class LinkOut(BaseModel):
    """A step proposed from a commitment: its status and how far it went."""

    step_id: int
    status: str = Field(description="proposed, accepted, dismissed or done.")
    latest: str | None = Field(
        description="Its latest follow-through outcome (final); None if not followed up."
    )
    reached: bool = Field(description="Whether any later session said done or partly done.")


class CommitmentOut(BaseModel):
    """A commitment turn of the session (from 1) and its labels."""

    turn: int
    labels: list[str] = Field(description="commitment, activation, taking_steps.")


class ThemeOut(BaseModel):
    """A theme of one session's parts view and how far it went."""

    session_id: int
    session_number: int
    label: str = Field(description="The theme's most telling words.")
    ready_turns: list[int] = Field(description="Its ready (change talk) turns, from 1.")
    holding_back_turns: list[int] = Field(description="Its holding-back turns, from 1.")
    commitments: list[CommitmentOut]
    steps: list[LinkOut]
    reached_commitment: bool
    reached_step: bool = Field(description="A step from it was accepted (or done).")
    reached_follow_through: bool = Field(description="A later session said done or partly.")


class UnplacedOut(BaseModel):
    """A commitment on no theme's words."""

    session_id: int
    session_number: int
    commitment: CommitmentOut
    step: LinkOut | None


class MovementOut(BaseModel):
    """One session's preparatory (DARN) and mobilising (CAT) talk, in turns."""

    session_id: int
    session_number: int
    darn: int
    cat: int
    by_label: dict[str, int] = Field(description="CAT turns per label.")
    cat_share: float | None = Field(description="CAT / (DARN + CAT); None without either.")


class InsightOut(BaseModel):
    """The insight-to-action view of a client's latest analysed sessions."""

    client_id: int
    sessions_read: int = Field(description="The latest analysed sessions read (at most 12).")
    sessions_done: int = Field(description="The client's analysed sessions.")
    movement: list[MovementOut] = Field(description="DARN to CAT, oldest session first.")
    themes: list[ThemeOut] = Field(description="Each session's themes, oldest session first.")
    unplaced: list[UnplacedOut]


def _goal(g: GoalRecord) -> GoalOut:
    return GoalOut(
        id=g.id,
        client_id=g.client_id,
        title=g.title,
        value=g.value,
        status=g.status,
        created_at=g.created_at,
        updated_at=g.updated_at,
    )


def _follow(f: FollowThroughRecord) -> FollowOut:
    return FollowOut(
        id=f.id,
        step_id=f.step_id,
        session_id=f.session_id,
        session_number=f.session_number,
        proposed=f.proposed,
        outcome=f.outcome,
        final=f.final,
        evidence_turns=[i + 1 for i in f.evidence],
        reviewed_by=f.reviewed_by,
    )


def _step(s: StepRecord, follow: list[FollowThroughRecord] | None = None) -> StepOut:
    return StepOut(
        id=s.id,
        client_id=s.client_id,
        goal_id=s.goal_id,
        session_id=s.session_id,
        session_number=s.session_number,
        turn=None if s.turn_index is None else s.turn_index + 1,
        what=s.what,
        proposed=s.proposed,
        when=s.when,
        due_on=s.due_on,
        labels=list(s.labels),
        status=s.status,
        decided_by=s.decided_by,
        follow_through=[_follow(f) for f in follow or []],
    )


def _record(found: GoalsFile) -> GoalsOut:
    return GoalsOut(
        client_id=found.client.id,
        goals=[_goal(g) for g in found.goals],
        steps=[_step(s, found.follow_of(s.id)) for s in found.steps],
        rate=[
            RateOut(
                session_id=p.session_id,
                session_number=p.session_number,
                counts=p.counts,
                rate=round(p.rate, 4),
            )
            for p in found.rate
        ],
    )


@router.get("/clients/{client_id}/goals", responses=refusals(404))
def goals_record(request: Request, who: Caller, client_id: Id) -> GoalsOut:
    """The client's goals, action steps (with follow-through) and the rate per session."""
    return _record(goals.view_goals(context(request).store, who.actor, client_id))


@router.get("/clients/{client_id}/insight", responses=refusals(404))
def insight(request: Request, who: Caller, client_id: Id) -> InsightOut:
    """From insight to action: each theme's commitments, steps and follow-through, and
    DARN to CAT movement, over the client's latest analysed sessions (turns from 1)."""
    return _insight(goal_insight.insight_view(context(request).store, who.actor, client_id))


@router.post("/clients/{client_id}/goals", status_code=201, responses=refusals(400, 403, 404))
def add_goal(request: Request, who: Caller, client_id: Id, body: GoalIn) -> GoalOut:
    """A new goal for the client."""
    store = context(request).store
    return _goal(goals.add_goal(store, who.actor, client_id, body.title, body.value))


@router.patch("/goals/{goal_id}", responses=refusals(400, 403, 404))
def update_goal(request: Request, who: Caller, goal_id: Id, body: GoalPatch) -> GoalOut:
    """Change a goal's words, value or status."""
    given = _given(body, ("title", "value", "status"))
    found = goals.update_goal(context(request).store, who.actor, goal_id, **given)
    return _goal(found)


@router.post("/clients/{client_id}/steps", status_code=201, responses=refusals(400, 403, 404))
def add_step(request: Request, who: Caller, client_id: Id, body: StepIn) -> StepOut:
    """A step written with the client (accepted at once)."""
    step = goals.add_step(
        context(request).store,
        who.actor,
        client_id,
        body.what,
        when=body.when,
        due_on=body.due_on,
        goal_id=body.goal_id,
    )
    return _step(step)


@router.patch("/steps/{step_id}", responses=refusals(400, 403, 404))
def update_step(request: Request, who: Caller, step_id: Id, body: StepPatch) -> StepOut:
    """Accept, dismiss or mark done a step, edit its words or date, or group it."""
    given = _given(body, ("what", "when", "due_on", "goal_id", "status"))
    return _step(goals.update_step(context(request).store, who.actor, step_id, **given))


@router.patch("/follow-through/{follow_id}", responses=refusals(400, 403, 404))
def review(request: Request, who: Caller, follow_id: Id, body: FollowPatch) -> FollowOut:
    """Confirm or correct what a later session said about a step."""
    found = goals.review_follow_through(context(request).store, who.actor, follow_id, body.outcome)
    return _follow(found)


def _given(body: BaseModel, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields the request sent (others: KEEP); a null sent for a required text or a
    status means KEEP too."""
    keep_if_null = {"title", "what", "status"}
    out: dict[str, Any] = {}
    for name in names:
        value = getattr(body, name)
        sent = name in body.model_fields_set
        out[name] = value if sent and not (value is None and name in keep_if_null) else KEEP
    return out


def _link(link: Link) -> LinkOut:
    return LinkOut(
        step_id=link.step_id, status=link.status, latest=link.latest, reached=link.reached
    )


def _theme(row: ThemeRow) -> ThemeOut:
    return ThemeOut(
        session_id=row.session_id,
        session_number=row.number,
        label=row.theme.label,
        ready_turns=[s.index + 1 for s in row.theme.ready],
        holding_back_turns=[s.index + 1 for s in row.theme.holds_back],
        commitments=[
            CommitmentOut(turn=c.index + 1, labels=list(c.labels)) for c in row.commitments
        ],
        steps=[_link(link) for link in row.steps],
        reached_commitment=bool(row.commitments),
        reached_step=row.reached_step,
        reached_follow_through=row.reached_follow,
    )


def _movement(point: CatPoint) -> MovementOut:
    share = point.cat_share
    return MovementOut(
        session_id=point.session_id,
        session_number=point.number,
        darn=point.darn,
        cat=point.cat,
        by_label=dict(point.by_label),
        cat_share=None if share is None else round(share, 4),
    )


def _insight(found: InsightFile) -> InsightOut:
    return InsightOut(
        client_id=found.client.id,
        sessions_read=found.sessions_read,
        sessions_done=found.sessions_done,
        movement=[_movement(p) for p in found.movement],
        themes=[_theme(r) for r in found.rows],
        unplaced=[
            UnplacedOut(
                session_id=session.session_id,
                session_number=session.number,
                commitment=CommitmentOut(turn=c.index + 1, labels=list(c.labels)),
                step=None if link is None else _link(link),
            )
            for session, c, link in found.loose
        ],
    )
