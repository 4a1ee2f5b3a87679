"""The take-away for the client: a plain-language action plan and a calendar (.ics) of
the steps that have a date. Pure: the service hands in the goals and steps.

The plan holds the active goals (in the client's words, with why they matter), the
accepted steps under each, the steps under no goal, and the steps already done. The
calendar has one all-day event per accepted step with a date (RFC 5545, through the
``icalendar`` package): the step as its title, "by when" as the client said it and the
goal in its description. Neither names the client, the clinician's notes or anything
the analysis inferred: only what was agreed together.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from icalendar import Calendar, Event

__all__ = ["PlanGoal", "PlanStep", "ActionPlan", "action_plan", "steps_calendar"]

PRODID = "-//edgewise//action steps//EN"


@dataclass(frozen=True)
class PlanStep:
    """A step as the client reads it."""

    id: int
    what: str
    when: str | None
    due_on: dt.date | None
    goal_id: int | None
    status: str

    def __repr__(self) -> str:
        return f"PlanStep(id={self.id})"


@dataclass(frozen=True)
class PlanGoal:
    """A goal as the client reads it."""

    id: int
    title: str
    value: str | None
    status: str

    def __repr__(self) -> str:
        return f"PlanGoal(id={self.id})"


@dataclass(frozen=True)
class ActionPlan:
    """The plan: each active goal with its open steps, the open steps under no goal, and
    the steps done."""

    made_on: dt.date
    goals: list[tuple[PlanGoal, list[PlanStep]]] = field(default_factory=list)
    other: list[PlanStep] = field(default_factory=list)
    done: list[PlanStep] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.goals or self.other or self.done)


def _order(steps: Sequence[PlanStep]) -> list[PlanStep]:
    """Dated steps first, soonest first; then the rest as set."""
    return sorted(steps, key=lambda s: (s.due_on is None, s.due_on or dt.date.min))


def action_plan(
    goals: Sequence[PlanGoal], steps: Sequence[PlanStep], made_on: dt.date
) -> ActionPlan:
    """The plan from the record (only accepted steps are open; proposed and dismissed
    ones are not the client's plan)."""
    open_steps = [s for s in steps if s.status == "accepted"]
    active = [g for g in goals if g.status == "active"]
    known = {g.id for g in active}
    return ActionPlan(
        made_on=made_on,
        goals=[(g, _order([s for s in open_steps if s.goal_id == g.id])) for g in active],
        other=_order([s for s in open_steps if s.goal_id not in known]),
        done=[s for s in steps if s.status == "done"],
    )


def steps_calendar(
    steps: Sequence[PlanStep],
    goals: Sequence[PlanGoal],
    *,
    stamp: dt.datetime,
    uid_domain: str = "edgewise.invalid",
) -> bytes:
    """An iCalendar file with an all-day event for each accepted step with a date."""
    titles = {g.id: g.title for g in goals}
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    for step in _order([s for s in steps if s.status == "accepted" and s.due_on is not None]):
        assert step.due_on is not None
        event = Event()
        event.add("uid", f"step-{step.id}@{uid_domain}")
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("dtstart", step.due_on)
        event.add("dtend", step.due_on + dt.timedelta(days=1))
        event.add("summary", step.what)
        said = [f"When: {step.when}"] if step.when else []
        if step.goal_id in titles:
            said.append(f"Towards: {titles[step.goal_id]}")
        if said:
            event.add("description", "\n".join(said))
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical())
