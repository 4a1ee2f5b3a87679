"""``GET /api/v1/clients/{id}/insight``, the insight-to-action view, on SQLite and on the
real PostgreSQL server, with the shipped coder (commitments need its embeddings): two
sessions of one client, the first's steps accepted or dismissed; the view's themes carry
the commitment turns, steps and follow-through the page shows, and DARN to CAT per
session. Read only: a read token and a read-only colleague read it, a stranger gets 404
(E301) as for no client; audited with ids only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from edgewise.store import Store

Api = Any
pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)

DATA = Path(__file__).resolve().parents[2] / "data" / "goals"


@pytest.fixture
def api_app(app: FastAPI) -> FastAPI:
    """The app with the shipped coder (the FakeCoder finds no commitment)."""
    return app


def test_insight_over_the_api(ann_api: Api, bob_api: Api, make_api: Any, store: Store) -> None:
    client_id = ann_api.add_client("Wren")
    first = ann_api.upload(client_id, DATA / "session-1.txt")
    assert first.status_code == 202, first.text
    steps = ann_api.get(f"/clients/{client_id}/goals").json()["steps"]
    assert [s["turn"] for s in steps] == [10, 12, 14, 16]  # turns from 1
    walk, sister, pottery, wine = (s["id"] for s in steps)
    for step in (walk, pottery, wine):
        accepted = ann_api.request("PATCH", f"/steps/{step}", json={"status": "accepted"})
        assert accepted.status_code == 200
    ann_api.request("PATCH", f"/steps/{sister}", json={"status": "dismissed"})
    assert ann_api.upload(client_id, DATA / "session-2.txt").status_code == 202
    record = ann_api.get(f"/clients/{client_id}/goals").json()
    final = {s["id"]: [f["final"] for f in s["follow_through"]] for s in record["steps"]}

    found = ann_api.get(f"/clients/{client_id}/insight")
    assert found.status_code == 200, found.text
    view = found.json()
    assert view["client_id"] == client_id
    assert (view["sessions_read"], view["sessions_done"]) == (2, 2)

    one, two = view["movement"]
    assert (one["session_number"], two["session_number"]) == (1, 2)
    assert one["cat"] >= 4 and one["by_label"]["commitment"] >= 2
    assert set(one["by_label"]) == {"commitment", "activation", "taking_steps"}
    assert one["cat_share"] == round(one["cat"] / (one["darn"] + one["cat"]), 4)

    themes = view["themes"]
    assert {t["session_number"] for t in themes} == {1, 2}
    assert [t["session_number"] for t in themes] == sorted(t["session_number"] for t in themes)
    links = [(t["session_number"], link) for t in themes for link in t["steps"]]
    links += [(u["session_number"], u["step"]) for u in view["unplaced"] if u["step"]]
    by_step = {link["step_id"]: link for _, link in links}
    assert {walk, sister, pottery, wine} <= set(by_step)  # every commitment of session 1
    assert by_step[sister]["status"] == "dismissed" and by_step[sister]["latest"] is None
    for step in (walk, pottery, wine):
        assert by_step[step]["status"] == "accepted"
        assert by_step[step]["latest"] == final[step][-1]
        assert by_step[step]["reached"] == any(o in ("done", "partly") for o in final[step])
    for theme in themes:
        turns = {c["turn"] for c in theme["commitments"]}
        assert theme["reached_commitment"] == bool(turns)
        assert theme["reached_step"] == any(
            s["status"] in ("accepted", "done") for s in theme["steps"]
        )
        assert theme["reached_follow_through"] == any(s["reached"] for s in theme["steps"])
        assert all(t >= 1 for t in theme["ready_turns"] + theme["holding_back_turns"])
    placed = {c["turn"] for t in themes if t["session_number"] == 1 for c in t["commitments"]}
    placed |= {u["commitment"]["turn"] for u in view["unplaced"] if u["session_number"] == 1}
    assert {10, 12, 14, 16} <= placed

    assert bob_api.get(f"/clients/{client_id}/insight").status_code == 404
    none = bob_api.get("/clients/999999/insight")
    theirs = bob_api.get(f"/clients/{client_id}/insight")
    assert theirs.json()["code"] == none.json()["code"] == "E301"
    store.share_client(ann_api.user.id, client_id, bob_api.user.id, can_write=False)
    assert bob_api.get(f"/clients/{client_id}/insight").json() == view
    assert make_api("ann", scope="read").get(f"/clients/{client_id}/insight").json() == view
    assert ann_api.post(f"/clients/{client_id}/insight").status_code == 405

    details = [a.detail or "" for a in store.list_audit()]
    assert any(d.endswith(f"client={client_id} insight") for d in details)
    assert not any(w in " ".join(details) for w in ("walk", "pottery", "wine", "sister"))
