"""The goals record as FHIR: Goal and CarePlan resources validated by the fhir.resources
models (R4B, 4.3.0: the package's 8.x ships no 4.0.1 models for pydantic 2), and the R4
required bindings (codes the models do not check) checked against the R4 value sets."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.goal import Goal

from edgewise.goals.fhir import FollowNote, goal_entries
from edgewise.goals.plan import PlanGoal, PlanStep

#: R4 (4.0.1) required value sets of the elements written.
GOAL_LIFECYCLE = {
    "proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled",
    "entered-in-error", "rejected",
}  # fmt: skip
CAREPLAN_STATUS = {
    "draft",
    "active",
    "on-hold",
    "revoked",
    "completed",
    "entered-in-error",
    "unknown",
}
CAREPLAN_INTENT = {"proposal", "plan", "order", "option"}
ACTIVITY_STATUS = {
    "not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped",
    "unknown", "entered-in-error",
}  # fmt: skip

GOALS = [
    PlanGoal(1, "Feel like myself again", "my daughter", "active"),
    PlanGoal(2, "Cut down", None, "achieved"),
    PlanGoal(3, "Run a marathon", None, "set_aside"),
]
STEPS = [
    PlanStep(10, "walk to work", "three mornings", None, 1, "accepted"),
    PlanStep(11, "ring my sister", None, dt.date(2024, 5, 12), 1, "accepted"),
    PlanStep(12, "stop buying wine", None, None, 2, "done"),
    PlanStep(13, "try the class", None, None, None, "dismissed"),
    PlanStep(14, "only proposed", None, None, None, "proposed"),
]


def _entries() -> list[dict[str, Any]]:
    notes = [FollowNote(10, 2, "partly", True), FollowNote(10, 3, "not_mentioned", False)]
    return goal_entries("Robin T", 5, GOALS, STEPS, notes)


def test_goals_validate_as_fhir() -> None:
    entries = _entries()
    goals = [e["resource"] for e in entries if e["resource"]["resourceType"] == "Goal"]
    assert len(goals) == 3
    for resource in goals:
        Goal.model_validate(resource)
        assert resource["lifecycleStatus"] in GOAL_LIFECYCLE
    assert [g["lifecycleStatus"] for g in goals] == ["active", "completed", "cancelled"]
    assert goals[1]["achievementStatus"]["coding"][0]["code"] == "achieved"
    assert goals[0]["subject"]["identifier"]["value"] == "Robin T"  # not a FHIR id: by identifier
    assert goal_entries("R", 5, [], []) == []


def test_steps_are_careplan_activities() -> None:
    entries = _entries()
    [plan] = [e["resource"] for e in entries if e["resource"]["resourceType"] == "CarePlan"]
    CarePlan.model_validate(plan)
    assert plan["status"] in CAREPLAN_STATUS and plan["intent"] in CAREPLAN_INTENT
    details = [a["detail"] for a in plan["activity"]]
    assert [d["description"] for d in details] == [
        "walk to work", "ring my sister", "stop buying wine", "try the class"
    ]  # fmt: skip
    assert [d["status"] for d in details] == ["not-started", "scheduled", "completed", "cancelled"]
    assert all(d["status"] in ACTIVITY_STATUS for d in details)
    assert details[1]["scheduledPeriod"] == {"end": "2024-05-12"}
    assert details[0]["scheduledString"] == "three mornings"
    urls = {e["fullUrl"] for e in entries}
    assert details[0]["goal"][0]["reference"] in urls and "goal" not in details[3]
    progress = [p["text"] for p in plan["activity"][0]["progress"]]
    assert progress == [
        "Session 2: partly done (reviewed)",
        "Session 3: not mentioned (proposed, not yet reviewed)",
    ]
    Bundle.model_validate({"resourceType": "Bundle", "type": "collection", "entry": entries})
