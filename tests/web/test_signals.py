"""Signals a clinician can trust: transcript risk on the client page and caseload until
reviewed, the PHQ-9 item 9 safety alert, and alerts that do not pile up."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from edgewise.coding.flags import RISK_NOTICE
from edgewise.store import Store

Web = Any  # the conftest Browser helper

ITEM_9 = "Thoughts that you would be better off dead or of hurting yourself in some way"


@pytest.fixture
def ann_fake(fake_app: FastAPI, signin: Any) -> Iterator[Web]:
    """ann, signed in to the app that codes with FakeCoder."""
    with TestClient(fake_app) as http:
        yield signin(http, "ann")


@pytest.fixture
def bob_fake(fake_app: FastAPI, signin: Any) -> Iterator[Web]:
    """bob, signed in to the same app."""
    with TestClient(fake_app) as http:
        yield signin(http, "bob")


def _session_id(response: Any) -> int:
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("/", 1)[1])


def _text(html: str) -> str:
    """The page's words, tags dropped and spaces squeezed (what a person reads)."""
    words = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    return re.sub(r" ([:;,.)])", r"\1", words)


# -- transcript risk ----------------------------------------------------------------------


def test_transcript_risk_reaches_the_client_page_and_caseload_until_reviewed(
    ann_fake: Web, bob_fake: Web, risk_session: Path, store: Store
) -> None:
    ann = ann_fake
    client_id = ann.add_client("Risk")
    session_id = _session_id(ann.upload(client_id, risk_session))
    # only the client's turn flagged exactly "risk": not the clinician's, not risk_check
    [flag] = store.list_risk_flags(ann.user.id, client_id)
    assert (flag.session_id, flag.turn_index, flag.turn) == (session_id, 1, 2)

    page = ann.http.get(f"/clients/{client_id}").text
    words = _text(page)
    assert "Session 1 2024-05-01" in words and "Turn 2: flagged as possible risk language" in words
    assert f'href="/sessions/{session_id}#turn-2"' in page
    assert RISK_NOTICE in words and "Screening, not assessment." in words
    assert f'action="/risk-flags/{flag.id}/review"' in page
    assert "killing myself" not in page  # the client page quotes no transcript text
    caseload = _text(ann.http.get("/clients").text)
    assert "Risk language (screening): 1 turn to review" in caseload
    assert "Risk language markers are screening, not assessment." in caseload

    session_page = ann.http.get(f"/sessions/{session_id}").text
    assert '<tr class="role-client risk-turn" id="turn-2">' in session_page
    assert '<td class="num">2</td>' in session_page and '<td class="num">0</td>' not in session_page
    assert RISK_NOTICE in session_page
    turn_5 = re.search(r'id="turn-5">(.*?)</tr>', session_page, re.S)
    assert turn_5 is not None and "Worth checking (screening)" in turn_5.group(1)

    # a stranger cannot see it; a read-only colleague cannot review it; no token, no review
    assert bob_fake.post(f"/risk-flags/{flag.id}/review").status_code == 404
    store.share_client(ann.user.id, client_id, bob_fake.user.id, can_write=False)
    assert bob_fake.post(f"/risk-flags/{flag.id}/review").status_code == 403
    shared = bob_fake.http.get(f"/clients/{client_id}").text
    assert "Turn 2" in shared and f"/risk-flags/{flag.id}/review" not in shared
    assert ann.http.post(f"/risk-flags/{flag.id}/review").status_code == 403
    assert store.list_risk_flags(ann.user.id, client_id, open_only=True) == [flag]

    reviewed = ann.post(f"/risk-flags/{flag.id}/review")
    assert reviewed.status_code == 303
    assert reviewed.headers["location"] == f"/clients/{client_id}#risk"
    [audit] = store.list_audit(record_type="risk_flag")
    assert (audit.user_id, audit.action, audit.record_id) == (ann.user.id, "update", flag.id)
    assert audit.detail == f"reviewed session={session_id} turn=2"
    assert audit.at is not None
    after = _text(ann.http.get(f"/clients/{client_id}").text)
    assert "No risk-flagged turns waiting for review." in after
    assert "1 reviewed" in after and "Session 1 (2024-05-01), turn 2: reviewed by ann" in after
    assert "Risk language (screening)" not in _text(ann.http.get("/clients").text)


def test_risk_flags_come_from_stored_codes_and_a_retry_keeps_reviews(
    ann_fake: Web, risk_session: Path, store: Store
) -> None:
    """A session sent back for analysis loses its open flags, keeps the reviewed ones, and
    the new analysis flags the same turn once."""
    client_id = ann_fake.add_client("Retry")
    session_id = _session_id(ann_fake.upload(client_id, risk_session))
    [flag] = store.list_risk_flags(ann_fake.user.id, client_id)
    store.review_risk_flag(ann_fake.user.id, flag.id)
    store.set_session_status(session_id, "failed")
    assert ann_fake.post(f"/sessions/{session_id}/retry").status_code == 303
    [again] = store.list_risk_flags(ann_fake.user.id, client_id)
    assert again.id == flag.id and again.reviewed_at is not None


# -- PHQ-9 item 9 -------------------------------------------------------------------------


def test_phq9_item_9_raises_a_safety_alert_at_once(ann: Web, bob: Web, store: Store) -> None:
    client_id = ann.add_client("Safety")
    assert ann.phq9(client_id, 4).status_code == 303  # item 9 answered 0: no safety alert
    assert store.list_alerts(ann.user.id, client_id) == []
    saved = ann.phq9(client_id, 5, item9=1, answered_on="2024-03-04")
    assert saved.headers["location"] == f"/clients/{client_id}#alerts"
    [alert] = store.list_alerts(ann.user.id, client_id, open_only=True)
    assert alert.kind == "safety_item" and alert.measure_key == "phq9"
    words = _text(ann.http.get(f"/clients/{client_id}").text)
    assert "Safety item · PHQ-9" in words
    assert f"PHQ-9 item 9, \u201c{ITEM_9}\u201d: answered \u201cSeveral days\u201d (1)." in words
    assert "not a risk assessment" in words
    caseload = _text(ann.http.get("/clients").text)
    marker = f"Safety: PHQ-9 item 9, \u201c{ITEM_9}\u201d: answered \u201cSeveral days\u201d"
    assert marker in caseload

    ann.phq9(client_id, 9, item9=2, answered_on="2024-03-11")  # a newer answer: same alert
    [updated] = store.list_alerts(ann.user.id, client_id, open_only=True)
    assert updated.id == alert.id and "More than half the days" in updated.reason
    history = json.loads(updated.history_json)
    assert [(e["on"], e["value"]) for e in history] == [("2024-03-04", 5), ("2024-03-11", 9)]
    page = _text(ann.http.get(f"/clients/{client_id}").text)
    assert "Triggered by: 2024-03-04: PHQ-9 item 9" in page

    assert bob.post(f"/alerts/{alert.id}/resolve").status_code == 404
    assert ann.post(f"/alerts/{alert.id}/resolve").status_code == 303
    [audit] = store.list_audit(record_type="alert")
    assert audit.user_id == ann.user.id and audit.detail is not None
    assert re.fullmatch(r"reviewed safety_item response=\d+", audit.detail)
    assert "Safety:" not in _text(ann.http.get("/clients").text)
    assert "reviewed by ann" in _text(ann.http.get(f"/clients/{client_id}").text)
    ann.phq9(client_id, 3, item9=0)  # 0 on item 9 raises nothing new
    assert store.list_alerts(ann.user.id, client_id, open_only=True) == []
    ann.measure(client_id, 3, key="gad7", items=7)  # GAD-7 has no safety item
    assert store.list_alerts(ann.user.id, client_id, open_only=True) == []


# -- alerts that do not pile up -----------------------------------------------------------

SERIES = (6, 9, 13, 17, 21)  # a worsening PHQ-9 series, item 9 always 0


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
def test_a_worsening_series_leaves_one_open_alert_per_rule(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Series")
    day0 = dt.date(2024, 1, 1)
    days = [day0 + dt.timedelta(weeks=n) for n in range(6)]
    sessions = [
        store.add_session(ann.user.id, client_id, date=day, transcript=None) for day in days
    ]
    for n, total in enumerate(SERIES):
        form = {"session_id": str(sessions[n].id), "answered_on": sessions[n].date.isoformat()}
        assert ann.phq9(client_id, total, **form).status_code == 303
    alerts = store.list_alerts(ann.user.id, client_id, open_only=True)
    assert sorted((a.kind, a.measure_key) for a in alerts) == [
        ("not_on_track", "phq9"),
        ("reliable_deterioration", "phq9"),
    ]  # before, this series left five open alerts
    for alert in alerts:  # both fired from the third score on; each keeps its scores
        history = json.loads(alert.history_json)
        assert [(e["value"], e["session_number"]) for e in history] == [(13, 3), (17, 4), (21, 5)]
        assert "21" in alert.reason and alert.lapsed_at is None
    page = _text(ann.http.get(f"/clients/{client_id}").text)
    assert "Triggered by: 13 on 2024-01-15 (session 3); 17 on 2024-01-22 (session 4);" in page
    assert "Evidence: PHQ-9 of 2024-01-01, session 1; PHQ-9 of 2024-01-29, session 5." in page
    assert "response:" not in page and "session:" not in page

    # a better score: the rules no longer hold, the alerts stay open until reviewed
    form = {"session_id": str(sessions[5].id), "answered_on": sessions[5].date.isoformat()}
    ann.phq9(client_id, 5, **form)
    lapsed = store.list_alerts(ann.user.id, client_id, open_only=True)
    assert len(lapsed) == 2 and all(a.lapsed_at is not None for a in lapsed)
    page = _text(ann.http.get(f"/clients/{client_id}").text)
    assert "No longer holds: the latest PHQ-9 (5, 2024-02-05) does not meet this rule." in page
    # worse again: the same open alerts hold again, with the new score in their history
    ann.phq9(client_id, 22, session_id=str(sessions[5].id), answered_on="2024-02-06")
    again = store.list_alerts(ann.user.id, client_id, open_only=True)
    assert {a.id for a in again} == {a.id for a in alerts}
    assert all(a.lapsed_at is None and len(json.loads(a.history_json)) == 4 for a in again)
    assert len(store.list_alerts(ann.user.id, client_id)) == 2


def test_not_on_track_needs_responses_linked_to_sessions(ann: Web, store: Store) -> None:
    """Five unlinked scores in one week say nothing about sessions: no not-on-track."""
    client_id = ann.add_client("Unlinked")
    for total in SERIES:
        ann.phq9(client_id, total)
    kinds = [a.kind for a in store.list_alerts(ann.user.id, client_id)]
    assert kinds == ["reliable_deterioration"]


# -- words on the upload form -------------------------------------------------------------


def test_a_file_not_in_utf8_gets_a_fix_the_form_offers(ann: Web, store: Store) -> None:
    client_id = ann.add_client("Encoding")
    latin = "T: Bonjour, comment ça va?\nC: Très bien, merci. Le café était prêt.\n"
    data = latin.encode("cp1252")
    refused = ann.post(
        f"/clients/{client_id}/sessions/new",
        {"session_date": "2024-05-01"},
        files={"transcript": ("notes.txt", data, "text/plain")},
    )
    assert refused.status_code == 400
    words = _text(refused.text)
    assert "E103 notes.txt:1: the file is not UTF-8 text (it looks like" in words
    assert "choose the file&#39;s encoding under \u201cFile encoding\u201d" in words
    assert "--encoding" not in refused.text and "pass --" not in refused.text
    assert '<select name="encoding">' in refused.text
    accepted = ann.post(
        f"/clients/{client_id}/sessions/new",
        {"session_date": "2024-05-01", "encoding": "cp1252"},
        files={"transcript": ("notes.txt", data, "text/plain")},
    )
    assert accepted.status_code == 303
    [session] = store.list_sessions(ann.user.id, client_id)
    stored = store.get_session(ann.user.id, session.id, with_transcript=True)
    assert stored is not None and "Très bien" in (stored.transcript or "")


def test_upload_errors_name_no_command_line_option(ann: Web) -> None:
    client_id = ann.add_client("Options")
    for name, content in (("notes.pdf", b"%PDF-1.4"), ("sheet.csv", b"who,said\nT,hello\n")):
        refused = ann.post(
            f"/clients/{client_id}/sessions/new",
            files={"transcript": (name, content, "application/octet-stream")},
        )
        assert refused.status_code == 400, name
        assert "--" not in _text(refused.text).replace("—", ""), name
        assert "upload it again" in refused.text, name
