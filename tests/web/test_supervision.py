"""Supervision on SQLite and PostgreSQL: a read-only supervisor comments on a turn and on a
key moment, the clinician sees and answers; another colleague, and anyone else, sees
nothing; the clinician does not start threads; refusals coded; the client export holds
the comments only when asked; audited with ids only."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.journal_seed import KeywordCoder, seed_session, session_text
from tests.web.conftest import SECRET, Browser, password_hash

from edgewise.services.tokens import issue_token
from edgewise.store import Store, UserRecord
from edgewise.web import create_app

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)

WORDS = "You stayed with her here; what did you feel just before this?"
REPLY = "A wish to make it all better, and then I pushed."


@pytest.fixture
def app(store: Store) -> FastAPI:
    """The app analysing with the KeywordCoder (no model)."""
    return create_app(store, secret_key=SECRET, analyse_inline=True, coder_factory=KeywordCoder)


@pytest.fixture
def sue(app: FastAPI, store: Store) -> Iterator[Browser]:
    """sue, a supervisor, signed in."""
    user = store.create_user("sue", password_hash())
    with TestClient(app) as http:
        browser = Browser(http, user)
        assert browser.login("sue").status_code == 303
        yield browser


@pytest.fixture
def session_id(store: Store, users: dict[str, UserRecord], sue: Browser) -> int:
    """ann's client shared to write with bob and read only with sue; one analysed session
    (a challenge that landed at turn 5)."""
    ann_id = users["ann"].id
    client = store.add_client(ann_id, "Wren")
    store.share_client(ann_id, client.id, users["bob"].id, can_write=True)
    assert sue.user is not None
    store.share_client(ann_id, client.id, sue.user.id, can_write=False)
    return seed_session(store, ann_id, client.id, session_text("pushed")).id


def _comment(who: Browser, session_id: int, at: str, text: str = WORDS) -> int:
    response = who.post(f"/sessions/{session_id}/supervision", {"at": at, "text": text})
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("-", 1)[1])


def test_supervisor_comments_clinician_answers(
    ann: Browser, bob: Browser, sue: Browser, store: Store, session_id: int
) -> None:
    assert 'id="supervision-link"' in sue.http.get(f"/sessions/{session_id}").text
    form = sue.http.get(f"/sessions/{session_id}/supervision").text
    assert 'value="moment:productive_challenge:5"' in form and 'value="turn:3"' in form
    on_moment = _comment(sue, session_id, "moment:productive_challenge:5")
    on_turn = _comment(sue, session_id, "turn:3", "And here?")
    page = ann.http.get(f"/sessions/{session_id}/supervision").text
    assert WORDS.replace("'", "&#39;") in page and "And here?" in page
    assert f'href="/sessions/{session_id}#turn-5"' in page and "Challenge that landed" in page
    assert 'id="supervision-form"' not in page  # the clinician answers, does not start
    answered = ann.post(f"/supervision/{on_moment}/answer", {"text": REPLY})
    assert answered.status_code == 303
    assert REPLY in sue.http.get(f"/sessions/{session_id}/supervision").text
    other = bob.http.get(f"/sessions/{session_id}/supervision").text  # another colleague
    assert "And here?" not in other and REPLY not in other and 'id="supervision-empty"' in other
    assert bob.post(f"/supervision/{on_turn}/answer", {"text": "me too"}).status_code == 404
    assert ann.post(f"/supervision/{on_turn}/delete").status_code == 403  # not hers (E491)
    assert sue.post(f"/supervision/{on_turn}/delete").status_code == 303
    assert "And here?" not in ann.http.get(f"/sessions/{session_id}/supervision").text
    audit = store.list_audit()
    assert {a.action for a in audit if a.record_type == "supervision_comment"} == {
        "view",
        "create",
        "delete",
    }
    assert all(WORDS not in (a.detail or "") and REPLY not in (a.detail or "") for a in audit)


@pytest.mark.parametrize(
    ("at", "text", "status", "code"),
    [
        ("turn:99", WORDS, 400, "E452"),
        ("moment:rupture:5", WORDS, 400, "E490"),
        ("turn:3", "   ", 400, "E490"),
        ("nowhere", WORDS, 400, "E100"),
    ],
)
def test_bad_comments_are_shown_on_the_form(
    sue: Browser, session_id: int, at: str, text: str, status: int, code: str
) -> None:
    response = sue.post(f"/sessions/{session_id}/supervision", {"at": at, "text": text})
    assert response.status_code == status and code in response.text
    assert 'id="supervision-error"' in response.text


def test_the_clinician_does_not_start_a_thread(ann: Browser, session_id: int) -> None:
    response = ann.post(f"/sessions/{session_id}/supervision", {"at": "turn:3", "text": WORDS})
    assert response.status_code == 403 and "E491" in response.text


def test_over_the_api(
    app: FastAPI, store: Store, users: dict[str, UserRecord], sue: Browser, session_id: int
) -> None:
    assert sue.user is not None
    ids = {"ann": users["ann"].id, "bob": users["bob"].id, "sue": sue.user.id}
    auth = {
        n: {"Authorization": f"Bearer {issue_token(store, i, 't', 'write').secret}"}
        for n, i in ids.items()
    }
    url = f"/api/v1/sessions/{session_id}/supervision"
    with TestClient(app) as http:
        made = http.post(
            url,
            json={"turn": 5, "moment": "productive_challenge", "text": WORDS},
            headers=auth["sue"],
        )
        assert made.status_code == 201, made.text
        body = made.json()
        assert (body["turn"], body["moment"], body["mine"], body["thread_id"]) == (
            5,
            "productive_challenge",
            True,
            None,
        )
        refused = http.post(url, json={"turn": 3, "text": WORDS}, headers=auth["ann"])
        assert refused.status_code == 403 and refused.json()["code"] == "E491"
        reply = http.post(
            f"/api/v1/supervision/{body['id']}/answers", json={"text": REPLY}, headers=auth["ann"]
        )
        assert reply.status_code == 201 and reply.json()["thread_id"] == body["id"]
        [thread] = http.get(url, headers=auth["sue"]).json()
        assert [a["text"] for a in thread["answers"]] == [REPLY]
        assert http.get(url, headers=auth["bob"]).json() == []
        gone = http.delete(f"/api/v1/supervision/{body['id']}", headers=auth["bob"])
        assert gone.status_code == 404 and gone.json()["code"] == "E301"
        assert (
            http.delete(f"/api/v1/supervision/{body['id']}", headers=auth["sue"]).status_code == 204
        )
        assert http.get(url, headers=auth["ann"]).json() == []


def test_exports_hold_comments_only_when_asked(
    ann: Browser,
    bob: Browser,
    sue: Browser,
    store: Store,
    users: dict[str, UserRecord],
    session_id: int,
) -> None:
    """``export.json?supervision=1``: the threads each may read (the supervisor their own,
    the clinician all, another colleague none), with answers and turns from 1; the plain
    JSON, CSV and FHIR exports never hold them; audited as an export, ids and counts."""
    row = store.get_session(users["ann"].id, session_id)
    assert row is not None
    client_id = row.client_id
    on_turn = _comment(sue, session_id, "turn:3")
    assert ann.post(f"/supervision/{on_turn}/answer", {"text": REPLY}).status_code == 303
    url = f"/clients/{client_id}/export.json"
    for reader in (ann, sue):
        [thread] = reader.http.get(url + "?supervision=1").json()["supervision"]
        assert (thread["id"], thread["turn"], thread["session_number"]) == (on_turn, 3, 1)
        assert (thread["author"], thread["text"], thread["moment"]) == ("sue", WORDS, None)
        assert [(a["author"], a["text"]) for a in thread["answers"]] == [("ann", REPLY)]
    assert bob.http.get(url + "?supervision=1").json()["supervision"] == []
    both = ann.http.get(url + "?supervision=1&journal=1").json()
    assert "journal" in both and len(both["supervision"]) == 1
    for plain in (url, f"/clients/{client_id}/export.csv", f"/clients/{client_id}/fhir.json"):
        body = ann.http.get(plain).text
        assert WORDS not in body and REPLY not in body and '"supervision"' not in body
    exported = [
        a.detail
        for a in store.list_audit()
        if a.action == "export" and a.record_type == "supervision_comment"
    ]
    assert exported == [f"client={client_id} n={n}" for n in (2, 0, 2, 2)]  # newest first
    assert all(WORDS not in (a.detail or "") for a in store.list_audit())
