"""The upload form's "De-identify before storing": the deid pipeline runs on the upload and
only the de-identified text is stored (names, speaker labels, phone numbers, places
replaced; the session date kept; audited with a count), and without the deid extra the
option is shown disabled with a plain explanation and refused if forged (E410, 422: an
option this server cannot honour), before the file is read and with nothing stored."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from tests.web.conftest import SECRET, FakeCoder

from edgewise.deid import extra_installed
from edgewise.errors import DeidMissingError
from edgewise.services import deidentify
from edgewise.store import Store, UserRecord
from edgewise.web import create_app
from edgewise.web import sessions as web_sessions

Web = Any  # the conftest Browser helper
BOTH = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
needs_deid = pytest.mark.skipif(not extra_installed(), reason="the deid extra is not installed")

#: Fictional, written for this test.
SESSION = """Dr Okafor: Hello Maria, thanks for coming in. How has the week been?
Maria Delgado: Hard. My sister Joanna Pettigrew rang me on 07700 900123 and we argued.
Dr Okafor: That sounds painful. Where were you when she rang?
Maria Delgado: At home in Harrogate. I keep thinking I should cut back on the wine.
Dr Okafor: Part of you wants to cut back on the wine.
Maria Delgado: Yes. I could start this weekend, maybe.
"""
IDENTIFIERS = ("Maria", "Delgado", "Okafor", "Joanna", "Pettigrew", "07700 900123", "Harrogate")


@pytest.fixture
def clinician(store: Store, signin: Any) -> Iterator[Web]:
    """ann, signed in to the app analysing with the rule-based FakeCoder (no model)."""
    app = create_app(store, secret_key=SECRET, analyse_inline=True, coder_factory=FakeCoder)
    with TestClient(app) as http:
        yield signin(http, "ann")


def _upload(web: Web, client_id: int, **form: str) -> Any:
    return web.post(
        f"/clients/{client_id}/sessions/new",
        {"session_date": "2024-05-01", "therapist": "Dr Okafor", **form},
        files={"transcript": ("maria-delgado.txt", SESSION.encode(), "text/plain")},
    )


def _stored(store: Store, user: UserRecord, client_id: int) -> list[Any]:
    rows = store.list_sessions(user.id, client_id)
    return [store.get_session(user.id, r.id, with_transcript=True) for r in rows]


@needs_deid
@BOTH
def test_only_the_de_identified_text_is_stored(
    clinician: Web, store: Store, users: dict[str, UserRecord]
) -> None:
    client_id = clinician.add_client("Client M")
    page = clinician.http.get(f"/clients/{client_id}/sessions/new").text
    box = re.search(r'<input type="checkbox" name="deidentify"[^>]*>', page)
    assert box and "disabled" not in box.group(0)
    response = _upload(clinician, client_id, deidentify="1")
    assert response.status_code == 303, response.text
    [session] = _stored(store, users["ann"], client_id)
    assert session is not None and session.transcript is not None
    said = json.dumps(json.loads(session.transcript), ensure_ascii=False)  # speakers too
    assert not [word for word in IDENTIFIERS if word in said], said
    assert "cut back on the wine" in said  # the clinical words stay
    assert session.date == dt.date(2024, 5, 1)  # the form's date is kept
    assert session.source_name == "de-identified.txt"
    [row] = [a for a in store.list_audit(record_type="session") if a.action == "update"]
    assert row.record_id == session.id
    assert re.fullmatch(r"deidentified replacements=\d+", row.detail or "")
    assert int((row.detail or "=0").split("=")[1]) >= len(IDENTIFIERS)
    # the session page shows the pseudonyms, and the analysis ran on them
    shown = clinician.http.get(f"/sessions/{session.id}").text
    assert "Joanna" not in shown and "Pettigrew" not in shown


def test_without_the_option_the_upload_is_stored_as_it_is(
    clinician: Web, store: Store, users: dict[str, UserRecord]
) -> None:
    client_id = clinician.add_client("Client M")
    assert _upload(clinician, client_id).status_code == 303
    [session] = _stored(store, users["ann"], client_id)
    assert session is not None and "Pettigrew" in (session.transcript or "")
    assert session.source_name == "maria-delgado.txt"


def test_without_the_extra_the_option_is_disabled_and_refused(
    clinician: Web, store: Store, users: dict[str, UserRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(deidentify, "available", lambda: False)

    def missing() -> None:
        raise DeidMissingError(module="presidio_analyzer")

    monkeypatch.setattr("edgewise.deid.require_extra", missing)
    client_id = clinician.add_client("Client M")
    page = clinician.http.get(f"/clients/{client_id}/sessions/new").text
    box = re.search(r'<input type="checkbox" name="deidentify"[^>]*>', page)
    assert box and "disabled" in box.group(0)
    assert "Not available here" in page and "pip install 'edgewise[deid]'" in page
    monkeypatch.setattr(web_sessions, "read_upload", _unread)
    forged = _upload(clinician, client_id, deidentify="1")
    assert forged.status_code == 422  # an option this server cannot honour, not a crash
    assert "E410 de-identification needs the deid extra" in forged.text
    assert "presidio_analyzer is missing" in forged.text
    assert "Pettigrew" not in forged.text
    assert _stored(store, users["ann"], client_id) == []  # nothing stored
    assert not [a for a in store.list_audit(record_type="session") if a.action == "update"]


def _unread(*args: object, **kw: object) -> None:
    raise AssertionError("the file was read")


def test_after_an_error_the_box_stays_ticked(
    clinician: Web, store: Store, users: dict[str, UserRecord], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second try must not store the text as it is because the box came back empty."""
    monkeypatch.setattr(deidentify, "available", lambda: True)  # nothing is de-identified
    client_id = clinician.add_client("Client M")
    refused = clinician.post(
        f"/clients/{client_id}/sessions/new",
        {"deidentify": "1"},
        files={"transcript": ("maria-delgado.txt", b"", "text/plain")},  # empty: E101
    )
    assert refused.status_code == 400 and "E101" in refused.text
    box = re.search(r'<input type="checkbox" name="deidentify"[^>]*>', refused.text)
    assert box and "checked" in box.group(0) and "disabled" not in box.group(0)
    assert _stored(store, users["ann"], client_id) == []
