"""One clinician's token never reads or writes another's records (404, exactly as for a
record that does not exist), and a shared client opens as the share allows; on SQLite and
on the real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edgewise.store import Store

Api = Any

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


def _anns_record(ann_api: Api, short_session: Path) -> dict[str, int]:
    client = ann_api.add_client("Ann's client")
    session = ann_api.upload(client, short_session).json()["sessions"][0]["id"]
    ann_api.phq9(client, 1, item9=1)
    [alert] = ann_api.get(f"/alerts?client_id={client}").json()["items"]
    return {"client": client, "session": session, "alert": alert["id"]}


def _reads(ids: dict[str, int]) -> list[str]:
    c, s = ids["client"], ids["session"]
    return [
        f"/clients/{c}",
        f"/clients/{c}/sessions",
        f"/sessions/{s}",
        f"/sessions/{s}/analysis",
        f"/sessions/{s}/codes",
        f"/alerts?client_id={c}",
    ]


def _writes(api: Api, ids: dict[str, int], short_session: Path) -> list[Any]:
    c = ids["client"]
    return [
        api.upload(c, short_session),
        api.phq9(c, 2),
        api.post(f"/alerts/{ids['alert']}/resolve"),
    ]


def test_another_clinicians_records_are_404(
    ann_api: Api, bob_api: Api, short_session: Path, store: Store
) -> None:
    ids = _anns_record(ann_api, short_session)
    missing = {"client": 999_999, "session": 999_999, "alert": 999_999}
    for url, absent in zip(_reads(ids), _reads(missing), strict=True):
        theirs, none = bob_api.get(url), bob_api.get(absent)
        assert theirs.status_code == none.status_code == 404, url
        assert theirs.json()["code"] == none.json()["code"] == "E301"
        assert theirs.json()["title"] == none.json()["title"]
        assert "Ann" not in theirs.text
    for response in _writes(bob_api, ids, short_session):
        assert response.status_code == 404 and response.json()["code"] == "E301"
    assert bob_api.get("/clients").json()["items"] == []
    assert bob_api.get("/alerts").json()["items"] == []
    assert bob_api.get("/alerts?open=false").json()["items"] == []
    # nothing of ann's changed
    assert len(ann_api.get(f"/clients/{ids['client']}/sessions").json()["items"]) == 1
    assert len(store.list_measure_responses(ann_api.user.id, ids["client"])) == 1
    assert (
        ann_api.get(f"/alerts?client_id={ids['client']}").json()["items"][0]["resolved_at"] is None
    )


def test_shared_read_only_reads_but_cannot_write(
    ann_api: Api, bob_api: Api, short_session: Path, store: Store
) -> None:
    ids = _anns_record(ann_api, short_session)
    store.share_client(ann_api.user.id, ids["client"], bob_api.user.id, can_write=False)
    for url in _reads(ids):
        assert bob_api.get(url).status_code == 200, url
    listed = bob_api.get("/clients").json()["items"]
    assert [(c["id"], c["shared"], c["read_only"]) for c in listed] == [(ids["client"], True, True)]
    assert [a["id"] for a in bob_api.get("/alerts").json()["items"]] == [ids["alert"]]
    for response in _writes(bob_api, ids, short_session):
        assert response.status_code == 403 and response.json()["code"] == "E304", response.text
    assert len(store.list_measure_responses(ann_api.user.id, ids["client"])) == 1


def test_shared_to_write_adds_and_resolves(
    ann_api: Api, bob_api: Api, short_session: Path, store: Store, tmp_path: Path
) -> None:
    ids = _anns_record(ann_api, short_session)
    store.share_client(ann_api.user.id, ids["client"], bob_api.user.id, can_write=True)
    assert bob_api.phq9(ids["client"], 2).status_code == 201
    resolved = bob_api.post(f"/alerts/{ids['alert']}/resolve").json()
    assert resolved["resolver"] == "bob"
    other = tmp_path / "other.txt"
    other.write_text("T: How was the week?\nC: Better, thanks.\n", encoding="utf-8")
    assert bob_api.upload(ids["client"], other).status_code == 202
    assert len(ann_api.get(f"/clients/{ids['client']}/sessions").json()["items"]) == 2
    store.unshare_client(ann_api.user.id, ids["client"], bob_api.user.id)
    assert bob_api.get(f"/clients/{ids['client']}").status_code == 404
