"""Measures through the API: the definitions, a response recorded -> score and alerts."""

from __future__ import annotations

from typing import Any

from edgewise.store import Store

Api = Any


def test_definitions_listed(ann_api: Api) -> None:
    listed = ann_api.get("/measures").json()
    keys = [m["key"] for m in listed]
    assert keys == sorted(keys) and {"phq9", "gad7"} <= set(keys)
    phq9 = next(m for m in listed if m["key"] == "phq9")
    assert phq9["builtin"] and len(phq9["definition"]["items"]) == 9


def test_record_scores_and_raises_alerts(ann_api: Api, store: Store) -> None:
    client_id = ann_api.add_client("Wren")
    first = ann_api.phq9(client_id, 1, answered_on="2024-05-01")
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["score"]["total"] == 8 and body["alerts"] == []
    assert body["score"]["response_id"] == str(body["response_id"])
    worse = ann_api.phq9(client_id, 3, item9=2, answered_on="2024-06-01", answered_time="14:30")
    kinds = {a["kind"] for a in worse.json()["alerts"]}
    assert worse.json()["score"]["total"] == 26
    assert kinds == {"safety_item", "reliable_deterioration"}
    [response_a, response_b] = store.list_measure_responses(ann_api.user.id, client_id)
    assert (response_b.answered_on.isoformat(), str(response_b.answered_time)) == (
        "2024-06-01",
        "14:30:00",
    )
    open_alerts = ann_api.get(f"/alerts?client_id={client_id}").json()["items"]
    assert {a["kind"] for a in open_alerts} == kinds
    audit = store.list_audit(record_type="measure_response", record_id=response_b.id)
    assert [a.action for a in audit] == ["create"]


def test_bad_responses_are_coded(ann_api: Api) -> None:
    client_id = ann_api.add_client("Wren")
    url = f"/clients/{client_id}/measures/phq9/responses"
    for body, code in (
        ({"answers": {"1": 9}}, "E100"),
        ({"answers": {"42": 1}}, "E100"),
        ({"answers": {str(i): 1 for i in range(1, 10)}, "answered_on": "2999-01-01"}, "E100"),
        ({"answers": {str(i): 1 for i in range(1, 10)}, "session_id": 999}, "E100"),
        ({"answers": "all ones"}, "E353"),
        ({"answers": {}, "extra": 1}, "E353"),
    ):
        refused = ann_api.post(url, json=body)
        assert refused.json()["code"] == code, (body, refused.text)
        assert refused.status_code == (400 if code == "E100" else 422)
    unknown = ann_api.post(f"/clients/{client_id}/measures/nope/responses", json={"answers": {}})
    assert unknown.status_code == 404 and unknown.json()["code"] == "E301"
    assert ann_api.get(f"/alerts?client_id={client_id}").json()["items"] == []


def test_response_linked_to_a_session(ann_api: Api, short_session: Any, store: Store) -> None:
    client_id = ann_api.add_client("Wren")
    session_id = ann_api.upload(client_id, short_session).json()["sessions"][0]["id"]
    recorded = ann_api.phq9(client_id, 1, session_id=session_id)
    assert recorded.status_code == 201
    assert recorded.json()["score"]["session_number"] == 1
