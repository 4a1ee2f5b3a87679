"""Goals, action steps and follow-through over the API, on SQLite and on the real
PostgreSQL server: add and change goals and steps, confirm or correct follow-through,
E480 for a bad one, 403 for a read-only colleague or a read token, 404 for a stranger."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edgewise.store import Store

Api = Any
pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def test_goals_record_over_the_api(
    ann_api: Api, bob_api: Api, make_api: Any, store: Store, short_session: Path
) -> None:
    client_id = ann_api.add_client("Wren")
    uploaded = ann_api.upload(client_id, short_session)
    session_id = int(uploaded.json()["sessions"][0]["id"])
    goal = ann_api.post(f"/clients/{client_id}/goals", json={"title": "Sleep", "value": "work"})
    assert goal.status_code == 201, goal.text
    goal_id = goal.json()["id"]
    step = ann_api.post(
        f"/clients/{client_id}/steps",
        json={"what": "walk at night", "due_on": "2024-05-08", "goal_id": goal_id},
    )
    assert step.status_code == 201 and step.json()["status"] == "accepted"
    step_id = step.json()["id"]
    follow = store.goals.record_follow_through(step_id, session_id, "done", [1, 3], 0.7)

    record = ann_api.get(f"/clients/{client_id}/goals").json()
    [got] = record["steps"]
    assert got["follow_through"][0]["evidence_turns"] == [2, 4]
    assert record["rate"][0]["rate"] == 1.0 and record["goals"][0]["value"] == "work"

    changed = ann_api.request("PATCH", f"/steps/{step_id}", json={"what": "walk", "when": None})
    assert changed.status_code == 200 and changed.json()["what"] == "walk"
    assert changed.json()["due_on"] == "2024-05-08"  # left out: kept
    review = ann_api.request("PATCH", f"/follow-through/{follow.id}", json={"outcome": "partly"})
    assert review.status_code == 200 and review.json()["final"] == "partly"
    done = ann_api.request("PATCH", f"/goals/{goal_id}", json={"status": "achieved"})
    assert done.json()["status"] == "achieved" and done.json()["title"] == "Sleep"

    blank = ann_api.request("PATCH", f"/steps/{step_id}", json={"what": "   "})
    assert blank.status_code == 400 and blank.json()["code"] == "E480"
    bad = ann_api.request("PATCH", f"/follow-through/{follow.id}", json={"outcome": "maybe"})
    assert bad.status_code == 422
    assert bob_api.get(f"/clients/{client_id}/goals").status_code == 404
    assert bob_api.request("PATCH", f"/steps/{step_id}", json={"status": "done"}).status_code == 404
    store.share_client(ann_api.user.id, client_id, bob_api.user.id, can_write=False)
    assert bob_api.get(f"/clients/{client_id}/goals").status_code == 200
    refused = bob_api.request("PATCH", f"/steps/{step_id}", json={"status": "done"})
    assert refused.status_code == 403 and refused.json()["code"] == "E304"
    reader = make_api("ann", scope="read")
    assert reader.request("PATCH", f"/goals/{goal_id}", json={"title": "x"}).status_code == 403
    details = " ".join(a.detail or "" for a in store.list_audit())
    assert "walk" not in details and "Sleep" not in details
