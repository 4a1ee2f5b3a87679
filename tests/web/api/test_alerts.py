"""Alerts through the API: listed (open or all, one client or all), resolved, audited."""

from __future__ import annotations

from typing import Any

from edgewise.store import Store

Api = Any


def test_list_and_resolve(ann_api: Api, store: Store) -> None:
    a, b = ann_api.add_client("A"), ann_api.add_client("B")
    ann_api.phq9(a, 1, item9=1)
    ann_api.phq9(b, 1, item9=2)
    listed = ann_api.get("/alerts").json()["items"]
    assert [x["client_id"] for x in listed] == [b, a]  # newest first
    only_a = ann_api.get(f"/alerts?client_id={a}").json()["items"]
    assert [x["client_id"] for x in only_a] == [a]
    alert_id = only_a[0]["id"]
    resolved = ann_api.post(f"/alerts/{alert_id}/resolve")
    assert resolved.status_code == 200
    assert resolved.json()["resolved_at"] and resolved.json()["resolver"] == "ann"
    assert ann_api.post(f"/alerts/{alert_id}/resolve").json() == resolved.json()  # idempotent
    assert [x["client_id"] for x in ann_api.get("/alerts").json()["items"]] == [b]
    every = ann_api.get("/alerts?open=false").json()["items"]
    assert {x["id"] for x in every} >= {alert_id}
    rows = store.list_audit(record_type="alert", record_id=alert_id)
    [token] = store.list_tokens(ann_api.user.id)
    reviews = [r.detail or "" for r in rows if r.action == "update"]
    assert len(reviews) == 2  # each call audited; the first review stands
    assert reviews[0].startswith(f"api token={token.id} reviewed safety_item response=")


def test_alerts_page(ann_api: Api) -> None:
    for i in range(3):
        ann_api.phq9(ann_api.add_client(f"c{i}"), 1, item9=1)
    first = ann_api.get("/alerts?limit=2").json()
    assert len(first["items"]) == 2 and first["next"] == "/api/v1/alerts?limit=2&cursor=2"
    assert len(ann_api.get(first["next"]).json()["items"]) == 1
