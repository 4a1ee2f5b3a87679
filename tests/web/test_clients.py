"""The caseload and the client page: figures, timelines, chart data, readiness alert."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

from edgewise.measures import ReadinessPoint
from edgewise.services.readiness import readiness_points, refresh_readiness_alert
from edgewise.services.stored import load_stored
from edgewise.store import Store

Web = Any  # the conftest Browser helper


def _chart(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="client-data">(.*?)</script>', page)
    assert found
    data: dict[str, Any] = json.loads(found.group(1))
    return data


def test_empty_caseload_and_adding_a_client(ann: Web, store: Store) -> None:
    page = ann.http.get("/clients").text
    assert "No clients yet." in page and 'action="/clients"' in page
    client_id = ann.add_client("  Robin   B  ")
    client = store.get_client(ann.user.id, client_id)
    assert client is not None and client.alias == "Robin B"
    caseload = ann.http.get("/clients").text
    assert f'<a href="/clients/{client_id}">Robin B</a>' in caseload
    audit = {(a.action, a.record_type, a.record_id) for a in store.list_audit()}
    assert ("create", "client", client_id) in audit and ("view", "caseload", None) in audit


def test_alias_must_be_given(ann: Web) -> None:
    for alias in ("", "   ", "x" * 201):
        response = ann.post("/clients", {"alias": alias})
        assert response.status_code == 400
        assert "Give the client an alias" in response.text


def test_alias_is_escaped(ann: Web) -> None:
    client_id = ann.add_client("<b>bold</b>")
    assert "&lt;b&gt;bold&lt;/b&gt;" in ann.http.get(f"/clients/{client_id}").text
    assert "<b>bold</b>" not in ann.http.get("/clients").text


def test_caseload_shows_the_latest_figures(ann: Web, short_session: Path, store: Store) -> None:
    client_id = ann.add_client("Figures")
    ann.upload(client_id, short_session)
    ann.measure(client_id, 1)
    ann.measure(client_id, 2, key="gad7", items=7)
    [row] = store.list_caseload(ann.user.id)
    page = ann.http.get("/clients").text
    assert f"{row.latest_optimal_stress:.2f}" in page
    assert "2024-05-01" in page
    assert '<td class="num">9</td>' in page and '<td class="num">14</td>' in page


def test_client_page_timelines_and_chart_data(ann: Web, short_session: Path, store: Store) -> None:
    client_id = ann.add_client("Timeline")
    ann.upload(client_id, short_session)
    # Another file: the same file again would be one upload (E330), not a second session.
    week_two = short_session.read_text(encoding="utf-8") + "T: Same time next week?\n"
    ann.upload_text(client_id, "week-two.txt", week_two, session_date="2024-05-08")
    ann.measure(client_id, 2)
    ann.measure(client_id, 1)
    page = ann.http.get(f"/clients/{client_id}").text
    for anchor in ("chart-measure-phq9", "chart-readiness", "chart-stress", "Session 2"):
        assert anchor in page
    for export in ("export.csv", "export.json", "fhir.json"):
        assert f"/clients/{client_id}/{export}" in page
    data = _chart(page)
    [phq9] = data["measures"]
    assert phq9["totals"] == [18, 9] and phq9["cutoff"] == 10
    assert phq9["band"] == {"low": 12, "high": 24, "points": 6}
    assert (phq9["min"], phq9["max"]) == (0, 27)
    sessions = data["sessions"]
    assert sessions["labels"] == ["#1 2024-05-01", "#2 2024-05-08"]
    assert len(sessions["stress"]) == len(sessions["readiness"]) == 2
    assert '<script src="/static/vendor/chart.umd.min.js"></script>' in page


def test_static_files_are_served(anon: Web) -> None:
    chart = anon.http.get("/static/vendor/chart.umd.min.js")
    assert chart.status_code == 200 and "Chart.js v4" in chart.text[:200]
    for name in ("app.css", "client.js", "session.js"):
        assert anon.http.get(f"/static/app/{name}").status_code == 200


def test_readiness_stalled_alert_from_analysed_sessions(
    ann: Web, store: Store, monkeypatch: Any
) -> None:
    client = store.add_client(ann.user.id, "Stalled")
    points = [
        ReadinessPoint(session_id=str(i), session_number=i, change_talk_share=s, sustain_count=2)
        for i, s in enumerate((0.6, 0.5, 0.4), start=1)
    ]
    monkeypatch.setattr("edgewise.services.readiness.readiness_points", lambda *_a: points)
    [alert] = refresh_readiness_alert(store, ann.user.id, client.id)
    assert alert.kind == "readiness_stalled"
    assert refresh_readiness_alert(store, ann.user.id, client.id) == []  # kept once
    [stored] = store.list_alerts(ann.user.id, client.id)
    assert json.loads(stored.evidence_json) == ["session:1", "session:2", "session:3"]


def test_readiness_points_come_from_the_stored_analyses(
    ann: Web, short_session: Path, store: Store
) -> None:
    client_id = ann.add_client("Points")
    ann.upload(client_id, short_session)
    [point] = readiness_points(store, ann.user.id, client_id)
    [session] = store.list_sessions(ann.user.id, client_id)
    assert point.session_id == str(session.id) and point.date == dt.date(2024, 5, 1)
    assert point.change_talk_share == session.scores.change_talk_share
    stored = store.get_session(ann.user.id, session.id)
    assert stored is not None and stored.analysis_json is not None
    codes = load_stored(stored.analysis_json, session.id).codes or ()
    assert point.sustain_count == sum(1 for c in codes if c.talk_type == "sustain")


def test_owner_shares_and_stops_sharing_from_the_client_page(
    ann: Web, bob: Web, store: Store
) -> None:
    client_id = ann.add_client("Shared S")
    assert bob.http.get(f"/clients/{client_id}").status_code == 404
    assert "Only you can see this client." in ann.http.get(f"/clients/{client_id}").text
    shared = ann.post(f"/clients/{client_id}/share", {"username": " bob "})
    assert shared.status_code == 303
    assert bob.http.get(f"/clients/{client_id}").status_code == 200
    assert "Shared S" in bob.http.get("/clients").text
    page = ann.http.get(f"/clients/{client_id}").text
    assert "Shared with:" in page and "bob" in page
    bob.refresh_token()
    assert bob.post(f"/clients/{client_id}/share", {"username": "ann"}).status_code == 404
    stopped = ann.post(f"/clients/{client_id}/share", {"username": "bob", "action": "unshare"})
    assert stopped.status_code == 303
    assert bob.http.get(f"/clients/{client_id}").status_code == 404
    assert ("update", "client", client_id) in {
        (a.action, a.record_type, a.record_id) for a in store.list_audit()
    }


def test_sharing_with_an_unknown_user_says_so(ann: Web) -> None:
    client_id = ann.add_client("Solo S")
    for name in ("nobody", "ann", ""):
        response = ann.post(f"/clients/{client_id}/share", {"username": name})
        assert response.status_code == 400
        assert "No other clinician has that username." in response.text


def test_caseload_pages_and_search(ann: Web, store: Store, monkeypatch: Any) -> None:
    from edgewise.web import clients

    monkeypatch.setattr(clients, "PER_PAGE", 2)
    for name in ("Ash", "Birch", "Cedar", "Cherry", "Elm"):
        ann.add_client(name)
    first = ann.http.get("/clients").text
    assert "5 clients;" in first and "Page 1 of 3" in first
    assert 'href="/clients?page=2"' in first and 'rel="prev"' not in first
    last = ann.http.get("/clients?page=3").text
    assert ">Elm</a>" in last and ">Ash</a>" not in last and 'rel="next"' not in last
    found = ann.http.get("/clients", params={"q": "  CHER "}).text
    assert ">Cherry</a>" in found and ">Ash</a>" not in found and "1 client matching" in found
    assert "No client's alias contains" in ann.http.get("/clients?q=zz").text
    assert ann.http.get("/clients?page=0").status_code == 422


def test_owner_archives_and_restores_a_client(ann: Web, bob: Web, store: Store) -> None:
    client_id = ann.add_client("Archie")
    ann.add_client("Stays")
    assert "Archive this client" in ann.http.get(f"/clients/{client_id}").text
    done = ann.post(f"/clients/{client_id}/archive", {})
    assert done.status_code == 303 and done.headers["location"] == "/clients"
    assert store.get_client(ann.user.id, client_id).archived
    caseload = ann.http.get("/clients").text
    assert ">Archie</a>" not in caseload and ">Stays</a>" in caseload and "1 client;" in caseload
    everyone = ann.http.get("/clients?archived=1").text
    assert '>Archie</a> <span class="tag">archived</span>' in everyone
    page = ann.http.get(f"/clients/{client_id}")
    assert page.status_code == 200 and "Put back on the caseload" in page.text  # record kept
    back = ann.post(f"/clients/{client_id}/archive", {"action": "restore"})
    assert back.status_code == 303 and back.headers["location"] == f"/clients/{client_id}"
    assert ">Archie</a>" in ann.http.get("/clients").text
    assert ("update", "client", client_id) in {
        (a.action, a.record_type, a.record_id) for a in store.list_audit()
    }


def test_only_the_owner_archives(ann: Web, bob: Web, store: Store) -> None:
    client_id = ann.add_client("Owned A")
    assert bob.post(f"/clients/{client_id}/archive", {}).status_code == 404  # not visible
    ann.post(f"/clients/{client_id}/share", {"username": "bob"})
    bob.refresh_token()
    assert bob.post(f"/clients/{client_id}/archive", {}).status_code == 404  # shared, not owned
    assert "Archive this client" not in bob.http.get(f"/clients/{client_id}").text
    assert not store.get_client(ann.user.id, client_id).archived


def test_a_read_only_colleague_reads_but_cannot_add(ann: Web, bob: Web, store: Store) -> None:
    client_id = ann.add_client("Supervised")
    ann.measure(client_id, 0)
    ann.measure(client_id, 3)  # 0 then 27: a reliable deterioration, an open alert
    shared = ann.post(f"/clients/{client_id}/share", {"username": "bob", "access": "read"})
    assert shared.status_code == 303
    assert "(reads only)" in ann.http.get(f"/clients/{client_id}").text
    bob.refresh_token()
    page = bob.http.get(f"/clients/{client_id}")
    assert page.status_code == 200 and "read only" in page.text
    assert "Upload a session" not in page.text and "Mark reviewed" not in page.text
    for form in (f"/clients/{client_id}/sessions/new", f"/clients/{client_id}/measures/new"):
        assert bob.http.get(form).status_code == 403, form
    answers = {f"item-{i}": "1" for i in range(1, 10)}
    assert bob.post(f"/clients/{client_id}/measures/new?measure=phq9", answers).status_code == 403
    assert bob.upload_text(client_id, "s.txt", "T: Hi.\nC: Hello.\n").status_code == 403
    alerts = store.list_alerts(ann.user.id, client_id, open_only=True)
    assert alerts
    for alert in alerts:
        assert bob.post(f"/alerts/{alert.id}/resolve").status_code == 403
    assert len(store.list_alerts(ann.user.id, client_id, open_only=True)) == len(alerts)
    assert len(store.list_measure_responses(ann.user.id, client_id)) == 2  # nothing added
    assert store.list_sessions(ann.user.id, client_id) == []
    # sharing again with read and add lets the colleague add
    ann.post(f"/clients/{client_id}/share", {"username": "bob", "access": "write"})
    assert bob.http.get(f"/clients/{client_id}/measures/new").status_code == 200
