"""The security rules of the issue: sign-in everywhere, 404 across clinicians, CSRF on every
POST, escaping of transcript text, headers, and no clinical text in logs."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from edgewise.services import goals, journal, language
from edgewise.services.actor import Actor
from edgewise.services.tokens import issue_token
from edgewise.store import Store
from edgewise.web.app import PUBLIC_PATHS

Web = Any  # the conftest Browser helper (conftest modules cannot be imported by name)

HOSTILE = "<script>window.__pwned = 1</script><img src=x onerror=alert(1)>"


def _routes(app: FastAPI) -> list[APIRoute]:
    """Every API route, also those inside included routers."""
    found: list[APIRoute] = []
    pending: list[Any] = list(app.routes)
    while pending:
        route = pending.pop()
        if isinstance(route, APIRoute):
            found.append(route)
        elif hasattr(route, "original_router"):
            pending.extend(route.original_router.routes)
        elif hasattr(route, "routes") and not hasattr(route, "app"):
            pending.extend(route.routes)
    return found


def _clinical(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every route that is not public."""
    pairs = [
        (method, route.path)
        for route in _routes(app)
        if route.path not in PUBLIC_PATHS
        for method in sorted(route.methods or ())
        if method != "HEAD"
    ]
    assert len(pairs) >= 15, pairs
    return sorted(pairs)


def _fill(path: str, ids: dict[str, int]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


@pytest.fixture
def record(ann: Web, short_session: Path, store: Store) -> dict[str, int]:
    """ann's client with an analysed session, a measure and an alert: ids by path parameter."""
    client_id = ann.add_client("Client A")
    response = ann.upload(client_id, short_session)
    session_id = int(response.headers["location"].rsplit("/", 1)[1])
    ann.measure(client_id, 1)
    ann.measure(client_id, 3)
    alerts = store.list_alerts(ann.user.id, client_id)
    assert alerts, "9 then 27 on PHQ-9 raises a reliable-deterioration alert"
    done = store.get_session(ann.user.id, session_id)
    assert done is not None and done.analysis_json is not None and done.versions is not None
    store.set_session_analysis(  # the same analysis, with turn 2 (a client turn) flagged risk
        session_id, done.analysis_json, done.versions, done.scores, risk_turns=(1,)
    )
    [flag] = store.list_risk_flags(ann.user.id, client_id)
    token = issue_token(store, ann.user.id, "script", "write")
    entry = journal.add_entry(store, Actor(ann.user.id), session_id, "urge", "fix", 3)
    saved = language.save_language(store, Actor(ann.user.id), client_id, "In my own words")
    goal = goals.add_goal(store, Actor(ann.user.id), client_id, "Sleep better")
    step = goals.add_step(store, Actor(ann.user.id), client_id, "walk at night", goal_id=goal.id)
    follow = store.goals.record_follow_through(step.id, session_id, "done", [1], 0.9)
    sue = store.create_user("sue", "x")  # a supervisor: her comment is ann's and hers alone
    store.share_client(ann.user.id, client_id, sue.id, can_write=False)
    comment = store.supervision.start_thread(sue.id, session_id, 1, "A supervisor's comment")
    return {
        "client_id": client_id,
        "session_id": session_id,
        "alert_id": alerts[0].id,
        "flag_id": flag.id,
        "token_id": token.record.id,
        "user_id": ann.user.id,  # the admin's accounts page
        "entry_id": entry.id,  # a journal entry (private to ann)
        "language_id": saved.id,  # saved growing-edge language (private to ann)
        "goal_id": goal.id,  # the goals record: a goal, a step and its follow-through
        "step_id": step.id,
        "follow_id": follow.id,
        "comment_id": comment.id,  # a supervision comment (sue's, on ann's client)
        "key": "readiness",  # an exercise: everyone's, not a record
    }


def test_every_clinical_route_refuses_a_stranger(
    app: FastAPI, anon: Web, record: dict[str, int]
) -> None:
    anon.token = re.findall(r'name="csrf_token" value="([^"]+)"', anon.http.get("/login").text)[0]
    for method, template in _clinical(app):
        url = _fill(template, record)
        if method == "GET":
            response = anon.http.get(url, follow_redirects=False)
        else:  # with a valid anonymous CSRF token: refused for want of a sign-in, not the token
            response = anon.post(url, {"alias": "x", "item-1": "1"})
        assert response.status_code in (303, 401), (method, url, response.status_code)
        if response.status_code == 303:
            assert response.headers["location"].startswith("/login"), (method, url)
        assert "Client A" not in response.text


def test_api_and_exports_answer_401_pages_redirect(anon: Web, record: dict[str, int]) -> None:
    cid, sid = record["client_id"], record["session_id"]
    for url in (f"/clients/{cid}/export.csv", f"/clients/{cid}/export.json"):
        assert anon.http.get(url).status_code == 401
    assert anon.http.get(f"/clients/{cid}/fhir.json").status_code == 401
    assert anon.http.get(f"/sessions/{sid}/status").status_code == 401
    page = anon.http.get(f"/sessions/{sid}?code=question", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == f"/login?next=/sessions/{sid}%3Fcode%3Dquestion"


def test_another_clinicians_records_are_not_found(
    app: FastAPI, bob: Web, record: dict[str, int], store: Store
) -> None:
    before = len(store.list_audit())
    for method, template in _clinical(app):
        if "{" not in template or "{key}" in template:  # an exercise is no one's record
            continue
        url = _fill(template, record)
        if method == "GET":
            response = bob.http.get(url, follow_redirects=False)
        else:
            response = bob.post(url, {"alias": "x", "item-1": "1"})
        assert response.status_code == 404, (method, url, response.status_code)
        assert "Client A" not in response.text
    assert "Client A" not in bob.http.get("/clients").text
    new = store.list_audit()[: len(store.list_audit()) - before]
    assert all(a.action == "view" and a.record_type == "caseload" for a in new)


def test_sharing_opens_the_record(ann: Web, bob: Web, record: dict[str, int], store: Store) -> None:
    store.share_client(ann.user.id, record["client_id"], bob.user.id)
    page = bob.http.get(f"/clients/{record['client_id']}")
    assert page.status_code == 200
    assert "shared with you" in page.text
    assert bob.http.get(f"/sessions/{record['session_id']}").status_code == 200


def test_every_post_needs_the_csrf_token(app: FastAPI, ann: Web, record: dict[str, int]) -> None:
    posts = [(m, t) for m, t in _clinical(app) if m == "POST"] + [("POST", "/logout")]
    for _, template in posts:
        url = _fill(template, record)
        for token in (None, "forged-token"):
            data = {"alias": "x"} if token is None else {"alias": "x", "csrf_token": token}
            response = ann.http.post(url, data=data, follow_redirects=False)
            assert response.status_code == 403, (url, token, response.status_code)
    login = ann.http.post("/login", data={"username": "ann", "password": "x"})
    assert login.status_code == 403
    assert ann.http.get("/clients").status_code == 200  # still signed in: logout was refused


def test_script_in_a_transcript_is_shown_as_text(ann: Web) -> None:
    client_id = ann.add_client("Escaping")
    text = f"T: Hello, how are things?\nC: {HOSTILE}\nT: That sounds hard.\n"
    response = ann.upload_text(client_id, "hostile.txt", text)
    assert response.status_code == 303, response.text
    page = ann.http.get(response.headers["location"])
    assert page.status_code == 200
    assert HOSTILE not in page.text
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page.text
    assert "<script>window.__pwned" not in page.text
    report = ann.http.get(response.headers["location"] + "/report")
    assert report.status_code == 200 and "<script>window.__pwned" not in report.text


def test_security_headers(ann: Web, record: dict[str, int]) -> None:
    page = ann.http.get("/clients")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
    report = ann.http.get(f"/sessions/{record['session_id']}/report")
    assert report.headers["x-frame-options"] == "SAMEORIGIN"
    policy = report.headers["content-security-policy"]
    assert "frame-ancestors 'self'" in policy and "sandbox allow-scripts" in policy
    assert "&#39;" not in policy and "script-src 'sha256-" in policy


def test_session_cookie_flags(app: FastAPI, make_app: Any, users: dict[str, Any]) -> None:
    with TestClient(app) as http:
        token = re.findall(r'name="csrf_token" value="([^"]+)"', http.get("/login").text)[0]
        data = {"username": "ann", "password": "correct horse battery", "csrf_token": token}
        cookie = http.post("/login", data=data, follow_redirects=False).headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()
    with TestClient(make_app(secure_cookies=True), base_url="https://testserver") as http:
        token = re.findall(r'name="csrf_token" value="([^"]+)"', http.get("/login").text)[0]
        data = {"username": "ann", "password": "correct horse battery", "csrf_token": token}
        cookie = http.post("/login", data=data, follow_redirects=False).headers["set-cookie"]
    assert "; secure" in cookie.lower()


def test_errors_are_logged_without_their_message(
    ann: Web, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    secret_text = "I never told anyone about the river"

    def boom(*_args: object, **_kwargs: object) -> None:
        raise ValueError(secret_text)

    monkeypatch.setattr("edgewise.web.clients.client_page", boom)
    client_id = ann.add_client("Boom")
    with caplog.at_level(logging.DEBUG):
        response = ann.http.get(f"/clients/{client_id}")
    assert response.status_code == 500
    assert secret_text not in response.text
    assert secret_text not in caplog.text
    assert "ValueError" in caplog.text


def test_oversized_body_is_refused(ann: Web) -> None:
    client_id = ann.add_client("Big")
    big = {"content-length": str(50 * 1024 * 1024)}
    response = ann.http.post(f"/clients/{client_id}/sessions/new", headers=big, content=b"x")
    assert response.status_code == 413
