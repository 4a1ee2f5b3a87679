"""The journal over the REST API: entries (private until shared), the vocabulary,
exercises with evidence, answers, the mirror; refusals as problem details."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from tests.journal_seed import KeywordCoder, seed_session, session_text
from tests.web.api.conftest import Api
from tests.web.conftest import SECRET

from edgewise.store import Store, UserRecord
from edgewise.web import create_app


@pytest.fixture
def api_app(store: Store) -> FastAPI:
    """The app analysing with the KeywordCoder (no model)."""
    return create_app(store, secret_key=SECRET, analyse_inline=True, coder_factory=KeywordCoder)


@pytest.fixture
def session_id(store: Store, users: dict[str, UserRecord]) -> int:
    """ann's client shared read-only with bob, and one analysed session."""
    client = store.add_client(users["ann"].id, "Wren")
    store.share_client(users["ann"].id, client.id, users["bob"].id, can_write=False)
    return seed_session(store, users["ann"].id, client.id, session_text("met")).id


def test_an_entry_private_until_shared(ann_api: Api, bob_api: Api, session_id: int) -> None:
    made = ann_api.post(
        f"/sessions/{session_id}/journal",
        json={"signal": "urge.rescue", "intensity": 5, "turn": 4, "note": "wanted to step in"},
    )
    assert made.status_code == 201, made.text
    entry = made.json()
    assert (entry["turn"], entry["label"], entry["shared"], entry["mine"]) == (
        4,
        "Urge: To rescue",
        False,
        True,
    )
    assert bob_api.get(f"/sessions/{session_id}/journal").json() == []
    assert bob_api.get(f"/journal/{entry['id']}").status_code == 404
    refused = bob_api.request("PATCH", f"/journal/{entry['id']}", json={"shared": True})
    assert refused.status_code == 404
    shared = ann_api.request("PATCH", f"/journal/{entry['id']}", json={"shared": True})
    assert shared.status_code == 200 and shared.json()["shared"] is True
    seen = bob_api.get(f"/sessions/{session_id}/journal").json()
    assert [(e["id"], e["mine"], e["note"]) for e in seen] == [
        (entry["id"], False, "wanted to step in")
    ]
    assert bob_api.request("DELETE", f"/journal/{entry['id']}").status_code == 404
    assert ann_api.request("DELETE", f"/journal/{entry['id']}").status_code == 204
    assert ann_api.get(f"/journal/{entry['id']}").status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"signal": "urge.juggle", "intensity": 3}, 400, "E451"),
        ({"signal": "urge.fix", "intensity": 3, "turn": 50}, 400, "E452"),
        ({"signal": "urge.fix", "intensity": 7}, 422, "E353"),
        ({"signal": "Urge fix", "intensity": 3}, 422, "E353"),
    ],
)
def test_bad_entries(
    ann_api: Api, session_id: int, body: dict[str, Any], status: int, code: str
) -> None:
    response = ann_api.post(f"/sessions/{session_id}/journal", json=body)
    assert response.status_code == status
    assert response.json()["code"] == code


def test_a_read_token_may_not_note(make_api: Any, session_id: int) -> None:
    reader: Api = make_api("ann", scope="read")
    body = {"signal": "urge.fix", "intensity": 3}
    assert reader.post(f"/sessions/{session_id}/journal", json=body).status_code == 403
    assert reader.get("/journal/vocabulary").status_code == 200


def test_exercises_answers_and_the_mirror(
    ann_api: Api, store: Store, users: dict[str, UserRecord], session_id: int
) -> None:
    keys = {e["key"] for e in ann_api.get("/exercises").json()}
    assert keys == {"readiness", "edge_of_change"}
    kept = ann_api.post(
        "/exercises/edge_of_change/answers", json={"question": "lean", "text": "I wait"}
    )
    assert kept.status_code == 201
    page = ann_api.get("/exercises/edge_of_change").json()
    assert [a["text"] for a in page["answers"]] == ["I wait"]
    assert page["strain_follow_ups"]["counts"] == {"met": 1, "pushed": 0, "backed_off": 0}
    item = page["strain_follow_ups"]["items"][0]
    assert (item["session_id"], item["client_turn"], item["clinician_turn"]) == (session_id, 4, 5)
    assert page["client_talk"][0]["trend"]["direction"] == "unknown"
    missing = ann_api.post("/exercises/readiness/answers", json={"question": "x", "text": "y"})
    assert missing.status_code == 404 and missing.json()["code"] == "E454"
    mirror = ann_api.get("/mirror").json()
    assert (mirror["shown"], mirror["minimum"], mirror["rows"]) == (False, 10, [])
