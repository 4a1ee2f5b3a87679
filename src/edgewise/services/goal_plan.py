"""The client's take-away from the goals record: the action plan and the steps' calendar.

Both are exports of the client's record for the client (as are its FHIR Goal and
CarePlan resources, :func:`fhir_entries`): audited as an ``export`` of the ``goal``
record with ``client=<id> plan``, ``client=<id> plan pdf`` (the plan as a PDF) or
``client=<id> calendar`` (never the words).
Whoever may see the client may make them (a read-only colleague too, as with the other
exports).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from edgewise.goals.fhir import FollowNote, goal_entries
from edgewise.goals.plan import ActionPlan, PlanGoal, PlanStep, action_plan, steps_calendar
from edgewise.services.actor import Actor, record
from edgewise.services.clients import find_client
from edgewise.store import ClientRecord, Store
from edgewise.store.goal_records import GoalRecord, StepRecord

__all__ = ["PlanFile", "calendar_file", "fhir_entries", "plan_file", "plan_pdf_file"]


@dataclass(frozen=True)
class PlanFile:
    """The plan and the client it is for."""

    client: ClientRecord
    plan: ActionPlan


def _read(
    store: Store, actor: Actor, client_id: int
) -> tuple[ClientRecord, list[PlanGoal], list[PlanStep]]:
    user_id = actor.require_user()
    client = find_client(store, actor, client_id)
    goals = [_goal(g) for g in store.goals.list_goals(user_id, client_id)]
    steps = [_step(s) for s in store.goals.list_steps(user_id, client_id)]
    return client, goals, steps


def plan_file(store: Store, actor: Actor, client_id: int, today: dt.date | None = None) -> PlanFile:
    """The client's action plan (NotFoundError if the actor may not see the client)."""
    client, goals, steps = _read(store, actor, client_id)
    plan = action_plan(goals, steps, today or dt.date.today())
    record(store, actor, "export", "goal", None, detail=f"client={client_id} plan")
    return PlanFile(client, plan)


def plan_pdf_file(
    store: Store, actor: Actor, client_id: int, today: dt.date | None = None
) -> bytes:
    """The client's action plan as a PDF: the plan page's words, nothing more."""
    from edgewise.goals.plan_pdf import plan_pdf  # reportlab (0.4 s) only when a PDF is asked

    client, goals, steps = _read(store, actor, client_id)
    found = plan_pdf(action_plan(goals, steps, today or dt.date.today()))
    record(store, actor, "export", "goal", None, detail=f"client={client.id} plan pdf")
    return found


def calendar_file(store: Store, actor: Actor, client_id: int) -> bytes:
    """The accepted steps with a date as an iCalendar file."""
    _, goals, steps = _read(store, actor, client_id)
    found = steps_calendar(steps, goals, stamp=dt.datetime.now(dt.UTC))
    record(store, actor, "export", "goal", None, detail=f"client={client_id} calendar")
    return found


def fhir_entries(store: Store, actor: Actor, client_id: int) -> list[dict[str, Any]]:
    """The goals record as FHIR Bundle entries: a Goal per goal, a CarePlan of the steps
    (:func:`edgewise.goals.fhir.goal_entries`); audited with ``client=<id> fhir``."""
    client, goals, steps = _read(store, actor, client_id)
    follow = store.goals.list_follow_throughs(actor.require_user(), client_id)
    notes = [
        FollowNote(f.step_id, f.session_number, f.final, f.outcome is not None) for f in follow
    ]
    entries = goal_entries(client.alias, client.id, goals, steps, notes)
    record(store, actor, "export", "goal", None, detail=f"client={client_id} fhir")
    return entries


def _goal(g: GoalRecord) -> PlanGoal:
    return PlanGoal(g.id, g.title, g.value, g.status)


def _step(s: StepRecord) -> PlanStep:
    return PlanStep(s.id, s.what, s.when, s.due_on, s.goal_id, s.status)
