"""Clients through the API: add, get, list by pages (cursor), archived ones, audit rows."""

from __future__ import annotations

from typing import Any

from edgewise.store import Store

Api = Any


def test_add_and_get(ann_api: Api, store: Store) -> None:
    made = ann_api.post("/clients", json={"alias": "  Wren   Seven "})
    assert made.status_code == 201
    client = made.json()
    assert client["alias"] == "Wren Seven" and not client["shared"] and not client["read_only"]
    assert made.headers["location"] == f"/api/v1/clients/{client['id']}"
    assert ann_api.get(f"/clients/{client['id']}").json() == client
    [token] = store.list_tokens(ann_api.user.id)
    rows = store.list_audit(record_type="client", record_id=client["id"])
    assert [(r.action, r.detail) for r in rows] == [
        ("view", f"api token={token.id}"),
        ("create", f"api token={token.id}"),
    ]


def test_bad_alias_is_422(ann_api: Api) -> None:
    for body in ({"alias": "   "}, {"alias": "x" * 201}, {}, {"alias": "ok", "name": "real"}):
        refused = ann_api.post("/clients", json=body)
        assert refused.status_code == 422 and refused.json()["code"] == "E353", body
    assert ann_api.get("/clients").json()["items"] == []


def test_pages_follow_next_until_none(ann_api: Api) -> None:
    ids = [ann_api.add_client(f"c{i}") for i in range(5)]
    seen: list[int] = []
    url: str | None = "/clients?limit=2"
    pages = 0
    while url:
        page = ann_api.get(url).json()
        seen += [c["id"] for c in page["items"]]
        url = page["next"]
        pages += 1
    assert seen == ids and pages == 3


def test_a_client_added_between_pages_is_neither_repeated_nor_skipped(ann_api: Api) -> None:
    ids = [ann_api.add_client(f"c{i}") for i in range(3)]
    first = ann_api.get("/clients?limit=2").json()
    late = ann_api.add_client("late")
    rest = ann_api.get(first["next"]).json()
    assert [c["id"] for c in first["items"] + rest["items"]] == [*ids, late]


def test_archived_only_when_asked(ann_api: Api, store: Store) -> None:
    kept, archived = ann_api.add_client("kept"), ann_api.add_client("gone")
    store.archive_client(ann_api.user.id, archived)
    assert [c["id"] for c in ann_api.get("/clients").json()["items"]] == [kept]
    listed = ann_api.get("/clients?archived=true&limit=1").json()
    assert listed["next"] == "/api/v1/clients?archived=true&limit=1&cursor=" + str(kept)
    assert [c["id"] for c in ann_api.get(listed["next"]).json()["items"]] == [archived]


def test_bad_cursor_and_limit_are_422(ann_api: Api) -> None:
    for query in ("cursor=abc", "cursor=-1", "limit=0", "limit=201", "limit=x"):
        refused = ann_api.get(f"/clients?{query}")
        assert refused.status_code == 422 and refused.json()["code"] == "E353", query
