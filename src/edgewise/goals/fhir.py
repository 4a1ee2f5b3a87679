"""The goals record as FHIR R4 resources (plain JSON dicts): a ``Goal`` per goal and one
``CarePlan`` whose activities are the action steps.

* ``Goal``: ``lifecycleStatus`` ``active`` (edgewise's active), ``completed`` with
  ``achievementStatus`` ``achieved`` (achieved) or ``cancelled`` (set aside);
  ``description.text`` the goal in the client's words; the value behind it as a ``note``.
* ``CarePlan`` (``status`` ``active``, ``intent`` ``plan``): one ``activity`` per step
  that was accepted, done or dismissed (a step only proposed is no one's plan yet), its
  ``detail``: ``description`` the step, ``status`` ``not-started`` / ``scheduled`` (it has
  a date) / ``completed`` / ``cancelled``, ``scheduledPeriod.end`` its date or
  ``scheduledString`` when as the client said it, ``goal`` the Goal it serves; each
  follow-through as a ``progress`` note ("Session 2: partly done (confirmed)").

References inside the Bundle are ``urn:uuid:`` full URLs made from the record ids, so the
same record exports to the same URL. The subject is the one the QuestionnaireResponses
use (:func:`edgewise.measures.fhir.subject_of`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from edgewise.goals.plan import PlanGoal, PlanStep
from edgewise.measures.fhir import subject_of

__all__ = ["FollowNote", "goal_entries"]

_NAMESPACE = uuid.UUID("3f0c9a52-6c1e-4d7b-8a0f-9e2b7c4d5a61")
_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
_LIFECYCLE = {"active": "active", "achieved": "completed", "set_aside": "cancelled"}
_OUTCOME_WORDS = {
    "done": "done",
    "partly": "partly done",
    "not_done": "not done",
    "not_mentioned": "not mentioned",
}


@dataclass(frozen=True)
class FollowNote:
    """One follow-through of a step, for its ``progress`` note."""

    step_id: int
    session_number: int
    outcome: str
    reviewed: bool


def _url(kind: str, record_id: int) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}:{record_id}')}"


def _goal(goal: PlanGoal, subject: dict[str, Any]) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "resourceType": "Goal",
        "identifier": [{"system": "urn:edgewise:goal", "value": str(goal.id)}],
        "lifecycleStatus": _LIFECYCLE.get(goal.status, "active"),
        "description": {"text": goal.title},
        "subject": subject,
    }
    if goal.status == "achieved":
        code = {"system": _ACHIEVEMENT, "code": "achieved", "display": "Achieved"}
        resource["achievementStatus"] = {"coding": [code]}
    if goal.value:
        resource["note"] = [{"text": f"What matters behind it: {goal.value}"}]
    return resource


def _detail_status(step: PlanStep) -> str:
    if step.status == "done":
        return "completed"
    if step.status == "dismissed":
        return "cancelled"
    return "scheduled" if step.due_on is not None else "not-started"


def _activity(step: PlanStep, goals: set[int], notes: Sequence[FollowNote]) -> dict[str, Any]:
    detail: dict[str, Any] = {"status": _detail_status(step), "description": step.what}
    if step.due_on is not None:
        detail["scheduledPeriod"] = {"end": step.due_on.isoformat()}
    elif step.when:
        detail["scheduledString"] = step.when
    if step.goal_id in goals:
        detail["goal"] = [{"reference": _url("goal", step.goal_id or 0)}]
    activity: dict[str, Any] = {"detail": detail}
    mine = [n for n in notes if n.step_id == step.id]
    if mine:
        activity["progress"] = [
            {
                "text": f"Session {n.session_number}: {_OUTCOME_WORDS.get(n.outcome, n.outcome)}"
                f" ({'reviewed' if n.reviewed else 'proposed, not yet reviewed'})"
            }
            for n in mine
        ]
    return activity


def goal_entries(
    alias: str,
    client_id: int,
    goals: Sequence[PlanGoal],
    steps: Sequence[PlanStep],
    notes: Sequence[FollowNote] = (),
) -> list[dict[str, Any]]:
    """Bundle entries (``fullUrl`` and ``resource``): the Goals, then the CarePlan when
    any step was decided. Empty when the record has neither."""
    subject = subject_of(alias)
    entries = [{"fullUrl": _url("goal", g.id), "resource": _goal(g, subject)} for g in goals]
    decided = [s for s in steps if s.status in ("accepted", "done", "dismissed")]
    if decided:
        known = {g.id for g in goals}
        plan = {
            "resourceType": "CarePlan",
            "identifier": [{"system": "urn:edgewise:action-plan", "value": str(client_id)}],
            "status": "active",
            "intent": "plan",
            "title": "Action steps",
            "subject": subject,
            "goal": [{"reference": _url("goal", g.id)} for g in goals],
            "activity": [_activity(s, known, notes) for s in decided],
        }
        if not plan["goal"]:
            del plan["goal"]
        entries.append({"fullUrl": _url("careplan", client_id), "resource": plan})
    return entries
