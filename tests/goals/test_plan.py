"""The take-away: the plan holds active goals with their accepted steps (dated first),
other steps and steps done; the calendar has one all-day event per accepted dated step
and reads back as iCalendar."""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar

from edgewise.goals.plan import PlanGoal, PlanStep, action_plan, steps_calendar

GOALS = [
    PlanGoal(1, "Feel like myself", "my daughter", "active"),
    PlanGoal(2, "Old", None, "achieved"),
]
STEPS = [
    PlanStep(10, "walk to work", "three mornings", None, 1, "accepted"),
    PlanStep(11, "ring my sister", "on Sunday", dt.date(2024, 5, 12), 1, "accepted"),
    PlanStep(12, "try the class", None, dt.date(2024, 5, 20), None, "accepted"),
    PlanStep(13, "stop buying wine", None, dt.date(2024, 5, 9), 2, "done"),
    PlanStep(14, "a proposal", None, dt.date(2024, 5, 9), None, "proposed"),
    PlanStep(15, "dismissed", None, None, None, "dismissed"),
]


def test_plan() -> None:
    plan = action_plan(GOALS, STEPS, dt.date(2024, 5, 8))
    [(goal, steps)] = plan.goals
    assert goal.id == 1 and [s.id for s in steps] == [11, 10]  # dated first
    assert [s.id for s in plan.other] == [12]
    assert [s.id for s in plan.done] == [13]
    assert not plan.empty and action_plan([], [], dt.date(2024, 5, 8)).empty
    assert "walk" not in repr(steps[1])


def test_calendar_reads_back() -> None:
    stamp = dt.datetime(2024, 5, 8, 9, 30, tzinfo=dt.UTC)
    body = steps_calendar(STEPS, GOALS, stamp=stamp)
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["ring my sister", "try the class"]
    first = events[0]
    assert first.decoded("dtstart") == dt.date(2024, 5, 12)
    assert first.decoded("dtend") == dt.date(2024, 5, 13)
    assert str(first["uid"]) == "step-11@edgewise.invalid"
    assert "Towards: Feel like myself" in str(first["description"])
    assert str(calendar["version"]) == "2.0" and b"\r\n" in body
