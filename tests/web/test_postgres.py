"""The web app on PostgreSQL: the whole record flow and the isolation between clinicians."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from edgewise.store import Store

Web = Any  # the conftest Browser helper

pytestmark = pytest.mark.parametrize("backend", ["postgresql"], indirect=True)


def test_record_flow_on_postgresql(ann: Web, bob: Web, short_session: Path, store: Store) -> None:
    assert store.engine.dialect.name == "postgresql"
    client_id = ann.add_client("Pg client")
    upload = ann.upload(client_id, short_session)
    session_id = int(upload.headers["location"].rsplit("/", 1)[1])
    assert ann.http.get(f"/sessions/{session_id}/status").json()["status"] == "done"
    ann.measure(client_id, 1)
    ann.measure(client_id, 2)
    page = ann.http.get(f"/clients/{client_id}").text
    assert "Reliable deterioration" in page and "Pg client" in page
    caseload = ann.http.get("/clients").text
    assert '<td class="num">18</td>' in caseload
    doc = json.loads(ann.http.get(f"/clients/{client_id}/export.json").text)
    assert [m["total"] for m in doc["measures"]] == [9, 18]
    for url in (
        f"/clients/{client_id}",
        f"/sessions/{session_id}",
        f"/sessions/{session_id}/report",
        f"/clients/{client_id}/export.csv",
        f"/clients/{client_id}/fhir.json",
    ):
        assert bob.http.get(url).status_code == 404, url
    assert "Pg client" not in bob.http.get("/clients").text
