"""The API's ``deidentify`` upload field: the same service as the upload form's "De-identify
before storing" (only the de-identified text stored, the session date kept, the file name
reduced to its extension, the same audit row), and without the deid extra a request that
asks is refused with 422 and E410 before the file is read, nothing stored."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.test_upload_deid import IDENTIFIERS, SESSION

from edgewise.deid import extra_installed
from edgewise.errors import DeidMissingError
from edgewise.services import deidentify
from edgewise.store import Store, UserRecord
from edgewise.web.api import sessions as api_sessions

Api = Any  # tests.web.api.conftest.Api
BOTH = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
needs_deid = pytest.mark.skipif(not extra_installed(), reason="the deid extra is not installed")


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    """The fictional session of the form's tests, under a name that names the client."""
    path = tmp_path / "maria-delgado.txt"
    path.write_text(SESSION, encoding="utf-8")
    return path


def _upload(api: Api, client_id: int, path: Path, **form: str) -> Any:
    return api.upload(client_id, path, session_date="2024-05-01", therapist="Dr Okafor", **form)


def _stored(store: Store, user: UserRecord, client_id: int) -> list[Any]:
    rows = store.list_sessions(user.id, client_id)
    return [store.get_session(user.id, r.id, with_transcript=True) for r in rows]


def _no_audited_deid(store: Store) -> bool:
    return not [a for a in store.list_audit(record_type="session") if a.action == "update"]


@needs_deid
@BOTH
def test_only_the_de_identified_text_is_stored(
    ann_api: Api, store: Store, users: dict[str, UserRecord], transcript: Path
) -> None:
    client_id = ann_api.add_client("Client M")
    response = _upload(ann_api, client_id, transcript, deidentify="true")
    assert response.status_code == 202, response.text
    [out] = response.json()["sessions"]
    assert (out["date"], out["source_name"]) == ("2024-05-01", "de-identified.txt")
    assert not [word for word in IDENTIFIERS if word in response.text]
    [session] = _stored(store, users["ann"], client_id)
    assert session is not None and session.transcript is not None and session.id == out["id"]
    said = json.dumps(json.loads(session.transcript), ensure_ascii=False)  # speakers too
    assert not [word for word in IDENTIFIERS if word in said], said
    assert "cut back on the wine" in said  # the clinical words stay
    assert session.date == dt.date(2024, 5, 1) and session.status == "done"
    # the same audit row as the form's
    [row] = [a for a in store.list_audit(record_type="session") if a.action == "update"]
    assert (row.record_id, row.user_id) == (session.id, users["ann"].id)
    found = row.detail and re.fullmatch(
        r"api token=\d+ deidentified replacements=(\d+)", row.detail
    )
    assert found and int(found.group(1)) >= len(IDENTIFIERS), row.detail
    # what the API gives back of it is de-identified too
    codes = ann_api.get(f"/sessions/{session.id}/codes")
    assert codes.status_code == 200
    analysis = ann_api.get(f"/sessions/{session.id}/analysis")
    assert analysis.status_code == 200
    for text in (codes.text, analysis.text, ann_api.get(f"/sessions/{session.id}").text):
        assert not [word for word in IDENTIFIERS if word in text]
    # the same file again: recognised by its digest, nothing new stored
    again = _upload(ann_api, client_id, transcript, deidentify="true")
    assert again.status_code == 409 and again.json()["code"] == "E330"
    assert again.json()["sessions"] == [session.id]
    assert len(_stored(store, users["ann"], client_id)) == 1


def test_false_or_left_out_stores_the_text_as_it_is(
    ann_api: Api, store: Store, users: dict[str, UserRecord], transcript: Path
) -> None:
    first, second = ann_api.add_client("Client M"), ann_api.add_client("Client N")
    assert _upload(ann_api, first, transcript, deidentify="false").status_code == 202
    assert _upload(ann_api, second, transcript).status_code == 202
    for client_id in (first, second):
        [session] = _stored(store, users["ann"], client_id)
        assert session is not None and "Pettigrew" in (session.transcript or "")
        assert session.source_name == "maria-delgado.txt"
    assert _no_audited_deid(store)


def test_a_value_that_is_not_a_boolean_is_refused(
    ann_api: Api, store: Store, users: dict[str, UserRecord], transcript: Path
) -> None:
    client_id = ann_api.add_client("Client M")
    response = _upload(ann_api, client_id, transcript, deidentify="perhaps")
    assert response.status_code == 422 and response.json()["code"] == "E353"
    assert ["body", "deidentify"] in [e["loc"] for e in response.json()["errors"]]
    assert _stored(store, users["ann"], client_id) == []


@BOTH
def test_without_the_extra_it_is_refused_with_422_before_the_file_is_read(
    ann_api: Api,
    store: Store,
    users: dict[str, UserRecord],
    transcript: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(deidentify, "available", lambda: False)

    def missing() -> None:
        raise DeidMissingError(module="presidio_analyzer")

    def unread(*args: object, **kw: object) -> None:
        raise AssertionError("the file was read")

    monkeypatch.setattr("edgewise.deid.require_extra", missing)
    monkeypatch.setattr(api_sessions, "read_upload", unread)
    client_id = ann_api.add_client("Client M")
    response = _upload(ann_api, client_id, transcript, deidentify="true")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["code"], problem["status"]) == ("E410", 422)
    assert problem["type"] == "urn:edgewise:error:E410"
    assert problem["detail"].startswith("E410 de-identification needs the deid extra")
    assert "presidio_analyzer is missing" in problem["detail"]
    assert "pip install 'edgewise[deid]'" in problem["detail"]
    assert not [word for word in IDENTIFIERS if word in response.text]
    assert _stored(store, users["ann"], client_id) == []  # nothing stored
    assert _no_audited_deid(store)


def test_a_read_token_may_not_ask(
    make_api: Any, ann_api: Api, store: Store, users: dict[str, UserRecord], transcript: Path
) -> None:
    client_id = ann_api.add_client("Client M")
    reader = make_api("ann", scope="read")
    response = _upload(reader, client_id, transcript, deidentify="true")
    assert response.status_code == 403 and response.json()["code"] == "E351"
    assert _stored(store, users["ann"], client_id) == []


def test_the_schema_documents_the_field_and_the_refusal(http: TestClient) -> None:
    schema = http.get("/api/v1/openapi.json").json()
    upload = schema["paths"]["/clients/{client_id}/sessions"]["post"]
    ref = upload["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    body = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    field = body["properties"]["deidentify"]
    assert (field["type"], field["default"]) == ("boolean", False)
    assert "deid extra" in field["description"] and "deidentify" not in body.get("required", [])
    assert "E410" in upload["responses"]["422"]["description"]
    other = schema["paths"]["/clients/{client_id}/sessions"]["get"]["responses"]["422"]
    assert "E410" not in other["description"]  # only the upload says it
