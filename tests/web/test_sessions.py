"""Uploading and analysing sessions: formats, errors, progress, background work, retry."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edgewise.errors import ModelError
from edgewise.services.stored import STORED_FORMAT, dump_transcript, load_stored
from edgewise.store import Store

Web = Any  # the conftest Browser helper


def _session_id(response: Any) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def test_upload_analyses_and_shows_the_session(ann: Web, zoom: Path, store: Store) -> None:
    client_id = ann.add_client("Walter")
    session_id = _session_id(ann.upload(client_id, zoom))
    assert ann.http.get(f"/sessions/{session_id}/status").json() == {
        "status": "done",
        "progress": 100,
        "message": None,
    }
    page = ann.http.get(f"/sessions/{session_id}")
    assert page.status_code == 200
    assert "Coded transcript" in page.text and 'id="report-frame"' in page.text
    assert 'sandbox="allow-scripts"' in page.text
    assert "47 of 47 turns" in page.text
    record = store.get_session(ann.user.id, session_id, with_transcript=True)
    assert record is not None and record.status == "done"
    assert record.date == dt.date(2024, 5, 1) and record.source_name == "session-zoom.vtt"
    assert json.loads(record.analysis_json or "")["format"] == STORED_FORMAT
    unpacked = load_stored(record.analysis_json or "", session_id)
    assert unpacked.codes is not None and len(unpacked.codes) == 47
    actions = {(a.action, a.record_type, a.record_id) for a in store.list_audit()}
    assert ("create", "session", session_id) in actions
    assert ("view", "session", session_id) in actions
    _check_code_filters(ann, session_id, unpacked)


def _check_code_filters(ann: Web, session_id: int, unpacked: Any) -> None:
    """Filtering by code and by key moment shows exactly the matching turns."""
    codes = unpacked.codes or ()
    reflections = sum(1 for c in codes if c.behaviour == "reflection")
    change = sum(1 for c in codes if c.talk_type == "change")
    page = ann.http.get(f"/sessions/{session_id}?code=reflection")
    assert f"{reflections} of 47 turns" in page.text
    assert f"{change} of 47 turns" in ann.http.get(f"/sessions/{session_id}?code=change").text
    moments = len({m.index for m in unpacked.analysis.key_moments})
    assert f"{moments} of 47 turns" in ann.http.get(f"/sessions/{session_id}?moment=any").text


def test_report_route_serves_the_report(ann: Web, short_session: Path) -> None:
    client_id = ann.add_client("R")
    session_id = _session_id(ann.upload(client_id, short_session))
    report = ann.http.get(f"/sessions/{session_id}/report")
    assert report.status_code == 200
    assert "chart-timeline" in report.text or "chart-quadrant" in report.text


def test_transcript_filters(ann: Web, short_session: Path) -> None:
    client_id = ann.add_client("F")
    session_id = _session_id(ann.upload(client_id, short_session))
    for query, rows in [("", 8), ("role=client", 4), ("role=therapist", 4), ("role=nobody", 8)]:
        page = ann.http.get(f"/sessions/{session_id}?{query}")
        assert f"{rows} of 8 turns" in page.text, query


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("notes.pdf", b"%PDF-1.4 whatever", "E105"),
        ("empty.txt", b"", "E101"),
        ("bad.json", b'{"format": "nope"', "E110"),
        ("binary.txt", bytes(range(256)) * 8, "E102"),
    ],
)
def test_unreadable_upload_shows_the_coded_error(
    ann: Web, store: Store, name: str, content: bytes, code: str
) -> None:
    client_id = ann.add_client("Bad file")
    response = ann.post(
        f"/clients/{client_id}/sessions/new",
        files={"transcript": (name, content, "application/octet-stream")},
    )
    assert response.status_code == 400
    assert code in response.text and name in response.text
    assert "edgewise-upload-" not in response.text  # the temp path never shows
    assert store.list_sessions(ann.user.id, client_id) == []


def test_names_only_transcript_asks_for_the_clinician(ann: Web) -> None:
    client_id = ann.add_client("Names")
    text = "Sam: Hello there.\nAlex: Hello.\nSam: Nice weather today.\nAlex: Yes, it is nice.\n"
    refused = ann.upload_text(client_id, "names.txt", text)
    assert refused.status_code == 400 and "E120 names.txt" in refused.text
    assert "type the clinician&#39;s speaker name" in refused.text
    assert "--therapist" not in refused.text and "edgewise read" not in refused.text
    assert ann.upload_text(client_id, "names.txt", text, therapist="Sam").status_code == 303
    wrong = ann.upload_text(client_id, "names.txt", text, therapist="Robin")
    assert wrong.status_code == 400 and "E130" in wrong.text
    assert "is not a speaker in this file" in wrong.text and "--therapist" not in wrong.text


def test_missing_file_and_bad_date(ann: Web) -> None:
    client_id = ann.add_client("Form")
    missing = ann.post(f"/clients/{client_id}/sessions/new", {"session_date": "2024-01-01"})
    assert missing.status_code == 400 and "Choose a transcript file." in missing.text
    bad = ann.upload_text(client_id, "a.txt", "T: hi\nC: hello\n", session_date="01/02/2024")
    assert bad.status_code == 400 and "The date is not a date." in bad.text


TWO_SESSIONS = """session_id,speaker,role,text
one,Kim,therapist,What brings you here today?
one,Lee,client,I want to sleep better. I keep meaning to change my evenings.
two,Kim,therapist,How did the evenings go this week?
two,Lee,client,Better. I turned the screen off at ten on most nights.
"""


def test_a_file_of_several_sessions_makes_several(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Multi")
    response = ann.upload_text(client_id, "two.csv", TWO_SESSIONS)
    assert response.status_code == 303
    assert response.headers["location"] == f"/clients/{client_id}"
    sessions = store.list_sessions(ann.user.id, client_id)
    assert [(s.number, s.status) for s in sessions] == [(1, "done"), (2, "done")]


def test_background_analysis_reports_progress_until_done(
    make_app: Any, signin: Any, zoom: Path, store: Store
) -> None:
    with TestClient(make_app(analyse_inline=False)) as http:
        web = signin(http, "ann")
        client_id = web.add_client("Background")
        session_id = _session_id(web.upload(client_id, zoom))
        first = http.get(f"/sessions/{session_id}/status").json()
        assert first["status"] in ("pending", "analysing")  # the upload did not wait
        page = http.get(f"/sessions/{session_id}")
        assert 'id="progress"' in page.text and "/static/app/session.js" in page.text
        seen = _wait_done(http, session_id)
        assert seen == sorted(seen) and seen[-1] == 100
        assert "Coded transcript" in http.get(f"/sessions/{session_id}").text
    record = store.get_session(web.user.id, session_id)
    assert record is not None and record.status == "done" and record.scores.optimal_stress


class _BrokenCoder:
    """Stands in for the Coder and fails the way a missing model does."""

    def embed_sessions(self, *_args: Any) -> Any:
        raise ModelError("the model files are missing")

    def embed_steps(self, *_args: Any, **_kw: Any) -> Any:
        raise ModelError("the model files are missing")


def test_failed_analysis_is_coded_and_can_be_retried(
    make_app: Any, signin: Any, coder: Any, short_session: Path, store: Store
) -> None:
    broken: dict[str, Any] = {"coder": _BrokenCoder()}
    app: FastAPI = make_app()
    app.state.ctx.worker._coder_factory = lambda: broken["coder"]
    app.state.ctx.worker._coder = None
    with TestClient(app) as http:
        web = signin(http, "ann")
        client_id = web.add_client("Fails")
        session_id = _session_id(web.upload(client_id, short_session))
        status = http.get(f"/sessions/{session_id}/status").json()
        assert status["status"] == "failed"
        assert status["message"].startswith("E200")
        page = http.get(f"/sessions/{session_id}")
        assert "Retry analysis" in page.text and "E200" in page.text
        app.state.ctx.worker._coder = coder  # the model is back
        retried = web.post(f"/sessions/{session_id}/retry")
        assert retried.status_code == 303
        assert http.get(f"/sessions/{session_id}/status").json()["status"] == "done"
    updates = [a for a in store.list_audit() if a.action == "update"]
    assert [(a.record_type, a.record_id) for a in updates] == [("session", session_id)]


def test_startup_marks_interrupted_analyses_failed(
    make_app: Any, users: dict[str, Any], signin: Any, store: Store, short_session: Path
) -> None:
    from edgewise.readers import read_sessions

    ann = users["ann"]
    client = store.add_client(ann.id, "Interrupted")
    session = read_sessions(short_session)[0]
    stuck = store.add_session(ann.id, client.id, date=dt.date(2024, 1, 2), transcript=None)
    store.set_session_status(stuck.id, "analysing", progress=40)
    queued = store.add_session(
        ann.id, client.id, date=dt.date(2024, 1, 9), transcript=dump_transcript(session)
    )
    with TestClient(make_app()) as http:
        assert store.get_session(ann.id, stuck.id).status == "failed"  # type: ignore[union-attr]
        assert store.get_session(ann.id, queued.id).status == "failed"  # type: ignore[union-attr]
        web = signin(http, "ann")
        status = http.get(f"/sessions/{queued.id}/status").json()
        assert status["status"] == "failed" and status["message"].startswith("E311")
        web.post(f"/sessions/{queued.id}/retry")
        assert http.get(f"/sessions/{queued.id}/status").json()["status"] == "done"
        web.post(f"/sessions/{stuck.id}/retry")  # no transcript: fails again, with a code
        again = http.get(f"/sessions/{stuck.id}/status").json()
        assert again["status"] == "failed" and again["message"].startswith("E310")


def _wait_done(http: TestClient, session_id: int, timeout: float = 30.0) -> list[int]:
    seen: list[int] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = http.get(f"/sessions/{session_id}/status").json()
        seen.append(status["progress"])
        if status["status"] in ("done", "failed"):
            assert status["status"] == "done", status
            return seen
        time.sleep(0.05)
    raise AssertionError(f"not done after {timeout} s: {seen[-5:]}")


def test_a_damaged_stored_transcript_is_a_coded_error(
    ann: Web, store: Store, users: dict[str, Any]
) -> None:
    client_id = ann.add_client("Damaged")
    record = store.add_session(
        users["ann"].id, client_id, date=dt.date(2024, 1, 1), transcript="{not json"
    )
    page = ann.http.get(f"/sessions/{record.id}", headers={"accept": "text/html"})
    assert page.status_code == 500
    assert f"E310 the stored transcript of session {record.id} is damaged" in page.text
