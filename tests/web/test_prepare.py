"""Preparing the next session on SQLite and PostgreSQL: the page (printable) and
``GET /api/v1/clients/{id}/prepare`` render one view; a colleague the client is shared
with sees the page but none of the author's journal entries; a stranger gets 404;
every view audited."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from tests.journal_seed import KeywordCoder, seed_session, session_text
from tests.web.conftest import SECRET, Browser

from edgewise.services import journal, language
from edgewise.services.actor import Actor
from edgewise.services.tokens import issue_token
from edgewise.store import Store, UserRecord
from edgewise.web import create_app

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)

NOTE = "my shoulders went up when she pushed back"
MINE = "Part of you wants the walks, and part of you cannot see them working."


@pytest.fixture
def app(store: Store) -> FastAPI:
    """The app analysing with the KeywordCoder (no model)."""
    return create_app(store, secret_key=SECRET, analyse_inline=True, coder_factory=KeywordCoder)


@pytest.fixture
def client_id(store: Store, users: dict[str, UserRecord]) -> int:
    """ann's client shared read-only with bob: one analysed session, ann's shared and
    private entries, her saved language (private)."""
    ann = Actor(users["ann"].id)
    client = store.add_client(users["ann"].id, "Wren")
    store.share_client(users["ann"].id, client.id, users["bob"].id, can_write=False)
    session = seed_session(store, users["ann"].id, client.id, session_text("pushed"))
    journal.add_entry(store, ann, session.id, "urge", "push", 4, turn=2)
    shared = journal.add_entry(store, ann, session.id, "emotion", "nervous", 3, note=NOTE)
    journal.set_shared(store, ann, shared.id, True)
    language.save_language(store, ann, client.id, MINE, session_id=session.id)
    return client.id


def test_the_page(ann: Browser, client_id: int, store: Store) -> None:
    assert f"/clients/{client_id}/prepare" in ann.http.get(f"/clients/{client_id}").text
    page = ann.http.get(f"/clients/{client_id}/prepare")
    assert page.status_code == 200
    for section in ("prepare-edge", "prepare-signals", "prepare-moments", "prepare-measures"):
        assert f'id="{section}"' in page.text
    assert "Urge: To push" in page.text and NOTE in page.text and MINE in page.text
    assert 'href="/sessions/' in page.text and "#turn-3" in page.text
    assert "/static/app/print.js" in page.text
    assert "@media print" in ann.http.get("/static/app/app.css").text
    audit = store.list_audit()
    assert any(a.record_type == "client" and a.detail == "prepare" for a in audit)
    assert all(NOTE not in (a.detail or "") for a in audit)


def test_a_supervisor_sees_the_page_not_the_entries(
    bob: Browser, client_id: int, users: dict[str, UserRecord]
) -> None:
    page = bob.http.get(f"/clients/{client_id}/prepare")
    assert page.status_code == 200
    assert "Urge: To push" not in page.text and NOTE not in page.text  # shared or not
    assert "You have not noted a signal" in page.text
    assert MINE not in page.text  # ann's saved language is hers until shared
    assert 'id="prepare-edge"' in page.text


def test_a_stranger_gets_404(app: FastAPI, store: Store, client_id: int) -> None:
    from fastapi.testclient import TestClient
    from tests.web.conftest import password_hash

    store.create_user("carl", password_hash())
    with TestClient(app) as http:
        carl = Browser(http)
        assert carl.login("carl").status_code == 303
        assert carl.http.get(f"/clients/{client_id}/prepare").status_code == 404


def test_the_api(app: FastAPI, store: Store, users: dict[str, UserRecord], client_id: int) -> None:
    from fastapi.testclient import TestClient

    tokens = {n: issue_token(store, users[n].id, "t", "read").secret for n in ("ann", "bob")}
    with TestClient(app) as http:
        mine = http.get(
            f"/api/v1/clients/{client_id}/prepare",
            headers={"Authorization": f"Bearer {tokens['ann']}"},
        )
        theirs = http.get(
            f"/api/v1/clients/{client_id}/prepare",
            headers={"Authorization": f"Bearer {tokens['bob']}"},
        )
        missing = http.get(
            "/api/v1/clients/99999/prepare", headers={"Authorization": f"Bearer {tokens['ann']}"}
        )
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert [s["label"] for s in body["signals"]] == ["Urge: To push", "Emotion: Nervous"]
    assert body["signals"][0]["turn"] == 3 and body["language"][0]["text"] == MINE
    assert body["growing_edge"]["themes"][0]["ready"][0]["turn"] == 2
    assert theirs.status_code == 200 and theirs.json()["signals"] == []
    assert NOTE not in theirs.text
    assert missing.status_code == 404 and missing.json()["code"] == "E301"
