"""Goals, action steps and follow-through on a client's record, audited.

The record's rules (:mod:`edgewise.store.goals`): whoever may see the client reads them;
whoever may add to it adds goals and steps, accepts, edits, dismisses or marks a step
done, and confirms or corrects follow-through. Every read and change is audited with
ids and fixed words only (``goal``, ``action_step``, ``follow_through`` records), never
the words. A decision or review that changes an outcome runs the goals' alert rules
again (:func:`edgewise.services.goal_flow.refresh_goal_alerts`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edgewise.goals import Entry, RatePoint, rate_points
from edgewise.services.actor import Actor, record
from edgewise.services.clients import find_client
from edgewise.services.goal_flow import GOAL_ALERT, STEP_ALERT, refresh_goal_alerts
from edgewise.store import AlertRecord, ClientRecord, SessionRecord, Store
from edgewise.store.goal_records import FollowThroughRecord, GoalRecord, StepRecord
from edgewise.store.goals import KEEP, Keep

__all__ = [
    "GoalsFile",
    "add_goal",
    "add_step",
    "get_step",
    "review_follow_through",
    "update_goal",
    "update_step",
    "view_goals",
]


@dataclass(frozen=True)
class GoalsFile:
    """A client's goals record as the actor may see it: goals, steps, follow-through,
    the sessions, the goals' open alerts and the follow-through rate per session."""

    client: ClientRecord
    goals: list[GoalRecord]
    steps: list[StepRecord]
    follow: list[FollowThroughRecord]
    sessions: list[SessionRecord]
    alerts: list[AlertRecord]
    rate: list[RatePoint]

    def steps_of(self, goal_id: int | None) -> list[StepRecord]:
        """The steps grouped under a goal (None: under none)."""
        return [s for s in self.steps if s.goal_id == goal_id]

    def follow_of(self, step_id: int) -> list[FollowThroughRecord]:
        """A step's follow-through, by session."""
        return [f for f in self.follow if f.step_id == step_id]

    def alert_of(self, key: str) -> AlertRecord | None:
        """The open alert of ``step:<id>`` or ``goal:<id>``, if any."""
        return next((a for a in self.alerts if a.measure_key == key), None)


def view_goals(store: Store, actor: Actor, client_id: int) -> GoalsFile:
    """The client's goals record (NotFoundError if the actor may not see the client)."""
    user_id = actor.require_user()
    client = find_client(store, actor, client_id)
    goals = store.goals.list_goals(user_id, client_id)
    steps = store.goals.list_steps(user_id, client_id)
    follow = store.goals.list_follow_throughs(user_id, client_id)
    sessions = store.list_sessions(user_id, client_id)
    alerts = [
        a
        for a in store.list_alerts(user_id, client_id, open_only=True)
        if a.kind in (STEP_ALERT, GOAL_ALERT)
    ]
    rate = rate_points(
        [Entry(f.step_id, f.session_number, f.final) for f in follow],
        {s.number: s.id for s in sessions},
    )
    record(store, actor, "view", "goal", None, detail=f"client={client_id}")
    return GoalsFile(client, goals, steps, follow, sessions, alerts, rate)


def add_goal(
    store: Store, actor: Actor, client_id: int, title: str, value: str | None = None
) -> GoalRecord:
    """A new goal for the client, in the client's words, with the value behind it."""
    goal = store.goals.add_goal(actor.require_user(), client_id, title=title, value=value)
    record(store, actor, "create", "goal", goal.id, detail=f"client={client_id}")
    return goal


def update_goal(
    store: Store,
    actor: Actor,
    goal_id: int,
    *,
    title: str | Keep = KEEP,
    value: str | None | Keep = KEEP,
    status: str | Keep = KEEP,
) -> GoalRecord:
    """Change a goal's words, value or status (active, achieved, set_aside)."""
    user_id = actor.require_user()
    goal = store.goals.update_goal(user_id, goal_id, title=title, value=value, status=status)
    words = _changed(text=title, value=value) + ([] if isinstance(status, Keep) else [status])
    record(store, actor, "update", "goal", goal.id, detail=" ".join(words) or None)
    return goal


def add_step(
    store: Store,
    actor: Actor,
    client_id: int,
    what: str,
    *,
    when: str | None = None,
    due_on: dt.date | None = None,
    goal_id: int | None = None,
) -> StepRecord:
    """A step the clinician writes with the client: accepted at once."""
    step = store.goals.add_step(
        actor.require_user(), client_id, what=what, when=when, due_on=due_on, goal_id=goal_id
    )
    record(store, actor, "create", "action_step", step.id, detail=f"client={client_id}")
    return step


def get_step(store: Store, actor: Actor, step_id: int) -> StepRecord:
    """One step of a client the actor may see."""
    step = store.goals.get_step(actor.require_user(), step_id)
    record(store, actor, "view", "action_step", step.id)
    return step


def update_step(
    store: Store,
    actor: Actor,
    step_id: int,
    *,
    what: str | Keep = KEEP,
    when: str | None | Keep = KEEP,
    due_on: dt.date | None | Keep = KEEP,
    goal_id: int | None | Keep = KEEP,
    status: str | Keep = KEEP,
) -> StepRecord:
    """Accept, edit, dismiss or mark done a step, or group it under a goal; the goals'
    alerts are run again when its status or goal changed."""
    user_id = actor.require_user()
    step = store.goals.update_step(
        user_id, step_id, what=what, when=when, due_on=due_on, goal_id=goal_id, status=status
    )
    words = _changed(text=what, when=when, date=due_on)
    if not isinstance(goal_id, Keep):
        words.append(f"goal={goal_id}" if goal_id is not None else "ungrouped")
    if not isinstance(status, Keep):
        words.append(status)
    record(store, actor, "update", "action_step", step.id, detail=" ".join(words) or None)
    if not isinstance(status, Keep) or not isinstance(goal_id, Keep):
        refresh_goal_alerts(store, user_id, step.client_id)
    return step


def review_follow_through(
    store: Store, actor: Actor, entry_id: int, outcome: str
) -> FollowThroughRecord:
    """Confirm the proposed outcome of a follow-through entry, or correct it."""
    user_id = actor.require_user()
    entry = store.goals.review_follow_through(user_id, entry_id, outcome)
    verdict = "corrected" if entry.corrected else "confirmed"
    detail = f"{verdict} {entry.final} step={entry.step_id} session={entry.session_id}"
    record(store, actor, "update", "follow_through", entry.id, detail=detail)
    refresh_goal_alerts(store, user_id, entry.client_id)
    return entry


def _changed(**fields: object) -> list[str]:
    """The names of the fields given (not KEEP): what an audit row says changed."""
    return [name for name, value in fields.items() if not isinstance(value, Keep)]
