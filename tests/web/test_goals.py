"""The goals page on SQLite and PostgreSQL (shipped coder): steps proposed from an uploaded
session, accepted with edits, dismissed; follow-through of a later session corrected; a
bad outcome is E480; a stranger gets 404, a read-only colleague sees no forms and gets 403;
the chart is SVG drawn on the server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fhir.resources.R4B.careplan import CarePlan
from fhir.resources.R4B.goal import Goal
from tests.web.conftest import Browser

from edgewise.store import Store

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)

DATA = Path(__file__).resolve().parents[1] / "data" / "goals"


def _steps(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<li class="step proposed-step" id="step-(\d+)"', html)]


def test_goals_page(ann: Browser, bob: Browser, store: Store) -> None:
    client_id = ann.add_client("Wren")
    assert f"/clients/{client_id}/goals" in ann.http.get(f"/clients/{client_id}").text
    assert ann.upload(client_id, DATA / "session-1.txt").status_code == 303
    page = ann.http.get(f"/clients/{client_id}/goals")
    assert page.status_code == 200
    walk, sister, pottery, wine = _steps(page.text)
    assert "walk to work three mornings" in page.text

    edited = ann.post(
        f"/steps/{walk}",
        {"action": "accept", "what": "walk to work Mon, Wed, Fri", "when": "this week"},
    )
    assert edited.status_code == 303 and edited.headers["location"].endswith(f"#step-{walk}")
    for step in (pottery, wine):
        assert ann.post(f"/steps/{step}", {"action": "accept"}).status_code == 303
    assert ann.post(f"/steps/{sister}", {"action": "dismiss"}).status_code == 303
    goal = ann.post(f"/clients/{client_id}/goals", {"title": "Feel like me", "value": "family"})
    assert goal.status_code == 303
    page = ann.http.get(f"/clients/{client_id}/goals").text
    assert "walk to work Mon, Wed, Fri" in page and "edited" in page and not _steps(page)

    assert ann.upload(client_id, DATA / "session-2.txt").status_code == 303
    page = ann.http.get(f"/clients/{client_id}/goals").text
    entries = [int(i) for i in re.findall(r'action="/follow-through/(\d+)"', page)]
    assert len(entries) == 3
    assert '<svg class="ft-chart"' in page and "Follow-through per session" in page
    fixed = ann.post(f"/follow-through/{entries[0]}", {"outcome": "partly", "client_id": "0"})
    assert fixed.status_code == 303
    assert "corrected by ann" in ann.http.get(f"/clients/{client_id}/goals").text
    bad = ann.post(
        f"/follow-through/{entries[0]}", {"outcome": "maybe", "client_id": str(client_id)}
    )
    assert bad.status_code == 400 and "E480" in bad.text

    dated = ann.post(
        f"/steps/{wine}", {"action": "save", "what": "no wine", "due_on": "2024-05-12"}
    )
    assert dated.status_code == 303
    plan = ann.http.get(f"/clients/{client_id}/goals/plan")
    assert plan.status_code == 200 and "Your action plan" in plan.text and "no wine" in plan.text
    assert "Wren" not in plan.text.split("<main", 1)[1]  # the plan does not name the client
    ics = ann.http.get(f"/clients/{client_id}/goals/steps.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert b"SUMMARY:no wine" in ics.content and b"DTSTART;VALUE=DATE:20240512" in ics.content
    assert "attachment" in ics.headers["content-disposition"]
    bad_date = ann.post(f"/steps/{wine}", {"action": "save", "due_on": "12/05/2024"})
    assert bad_date.status_code == 400 and "E480" in bad_date.text

    insight = ann.http.get(f"/clients/{client_id}/insight")
    assert insight.status_code == 200 and 'id="darn-cat"' in insight.text
    assert insight.text.count('<tr class="theme-row">') >= 2  # the themes of both sessions
    assert f'href="/clients/{client_id}/goals#step-{walk}"' in insight.text

    bundle = ann.http.get(f"/clients/{client_id}/fhir.json").json()
    resources = [e["resource"] for e in bundle["entry"]]
    [goal_resource] = [r for r in resources if r["resourceType"] == "Goal"]
    [plan_resource] = [r for r in resources if r["resourceType"] == "CarePlan"]
    Goal.model_validate(goal_resource)
    CarePlan.model_validate(plan_resource)
    assert goal_resource["description"]["text"] == "Feel like me"
    assert len(plan_resource["activity"]) == 4  # three accepted, one dismissed

    assert bob.http.get(f"/clients/{client_id}/goals").status_code == 404
    assert bob.http.get(f"/clients/{client_id}/insight").status_code == 404
    assert bob.http.get(f"/clients/{client_id}/goals/plan").status_code == 404
    assert bob.http.get(f"/clients/{client_id}/goals/steps.ics").status_code == 404
    assert bob.post(f"/steps/{walk}", {"action": "done"}).status_code == 404
    store.share_client(ann.user.id, client_id, bob.user.id, can_write=False)  # type: ignore[union-attr]
    seen = bob.http.get(f"/clients/{client_id}/goals")
    assert seen.status_code == 200 and "walk to work Mon, Wed, Fri" in seen.text
    assert 'action="/steps/' not in seen.text and 'action="/follow-through/' not in seen.text
    assert bob.post(f"/steps/{walk}", {"action": "done"}).status_code == 403
    details = " ".join(a.detail or "" for a in store.list_audit())
    assert "walk" not in details and "pottery" not in details
    assert f"client={client_id} calendar" in details and f"client={client_id} plan" in details


def test_needs_sign_in_and_token(anon: Browser, ann: Browser) -> None:
    client_id = ann.add_client("Wren")
    assert anon.http.get(f"/clients/{client_id}/goals", follow_redirects=False).status_code == 303
    no_token = ann.http.post(f"/clients/{client_id}/goals", data={"title": "x"})
    assert no_token.status_code == 403
