"""Privacy of the journal on SQLite and PostgreSQL, swept over every surface: an entry its
author has not shared is on no page, export or API answer of a colleague the client is
shared with (write share) or of a supervisor (read only), while the entry the author did
share is where a share puts it (the journal and supervision pages, the JSON export asked
for with ``journal``), and neither is on the prepare page or API of anyone but the author.
"""

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

PRIVATE = "a cold clammy wave when she said she was done"
SHARED = "the pull to rescue her, strong"


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
def world(ann: Browser, sue: Browser, store: Store, users: dict[str, UserRecord]) -> dict[str, int]:
    """ann's client shared to write with bob and read only with sue; one analysed session;
    ann notes a private entry on turn 3 and a shared one; sue comments on turn 5."""
    ann_id = users["ann"].id
    client = store.add_client(ann_id, "Wren")
    store.share_client(ann_id, client.id, users["bob"].id, can_write=True)
    assert sue.user is not None
    store.share_client(ann_id, client.id, sue.user.id, can_write=False)
    session = seed_session(store, ann_id, client.id, session_text("pushed"))
    ids = {"client": client.id, "session": session.id}
    for key, signal, turn, note in (
        ("private", "body.cold_clammy", "3", PRIVATE),
        ("shared", "urge.rescue", "", SHARED),
    ):
        made = ann.post(
            f"/sessions/{session.id}/journal",
            {"signal": signal, "intensity": "4", "turn": turn, "note": note},
        )
        assert made.status_code == 303, made.text
        ids[key] = int(made.headers["location"].rsplit("-", 1)[1])
    assert ann.post(f"/journal/{ids['shared']}/share", {"shared": "1"}).status_code == 303
    said = sue.post(f"/sessions/{session.id}/supervision", {"at": "turn:5", "text": "Here?"})
    assert said.status_code == 303
    return ids


def _pages(w: dict[str, int]) -> list[str]:
    c, s = w["client"], w["session"]
    return [
        "/clients",
        f"/clients/{c}",
        f"/clients/{c}/prepare",
        f"/clients/{c}/insight",
        f"/clients/{c}/goals",
        f"/sessions/{s}",
        f"/sessions/{s}/report",
        f"/sessions/{s}/journal",
        f"/sessions/{s}/supervision",
        f"/sessions/{s}/drafts",
        "/reflect",
        "/reflect/mirror",
        "/reflect/exercises/readiness",
        f"/reflect/exercises/readiness?client_id={c}",
        "/reflect/exercises/edge_of_change",
    ]


def _exports(w: dict[str, int]) -> list[str]:
    c = w["client"]
    return [
        f"/clients/{c}/export.json",
        f"/clients/{c}/export.json?journal=1",
        f"/clients/{c}/export.json?journal=1&supervision=1",
        f"/clients/{c}/export.csv",
        f"/clients/{c}/fhir.json",
    ]


def _api(w: dict[str, int]) -> list[str]:
    c, s = w["client"], w["session"]
    return [
        f"/api/v1/clients/{c}",
        f"/api/v1/clients/{c}/sessions",
        f"/api/v1/clients/{c}/prepare",
        f"/api/v1/clients/{c}/drafts",
        f"/api/v1/clients/{c}/insight",
        f"/api/v1/sessions/{s}",
        f"/api/v1/sessions/{s}/journal",
        f"/api/v1/sessions/{s}/supervision",
        f"/api/v1/sessions/{s}/drafts",
        f"/api/v1/journal/{w['private']}",
        f"/api/v1/journal/{w['shared']}",
        "/api/v1/mirror",
        f"/api/v1/exercises/readiness?client_id={c}",
    ]


def test_the_author_sees_both_entries(ann: Browser, world: dict[str, int]) -> None:
    """The sweep can see a leak: the author's own pages do hold both notes."""
    page = ann.http.get(f"/sessions/{world['session']}/journal").text
    assert PRIVATE in page and SHARED in page
    prepared = ann.http.get(f"/clients/{world['client']}/prepare").text
    assert PRIVATE in prepared and SHARED in prepared
    exported = ann.http.get(f"/clients/{world['client']}/export.json?journal=1").json()
    assert {e["note"] for e in exported["journal"]} == {PRIVATE, SHARED}


def test_an_unshared_entry_is_on_no_page_export_or_api_of_others(
    bob: Browser,
    sue: Browser,
    store: Store,
    users: dict[str, UserRecord],
    world: dict[str, int],
) -> None:
    assert sue.user is not None
    for other, user_id in ((bob, users["bob"].id), (sue, sue.user.id)):
        auth = {"Authorization": f"Bearer {issue_token(store, user_id, 't', 'read').secret}"}
        seen: dict[str, int] = {}
        for url in _pages(world) + _exports(world):
            response = other.http.get(url)
            seen[url] = response.status_code
            assert response.status_code < 500, url
            assert PRIVATE not in response.text, url
        for url in _api(world):
            response = other.http.get(url, headers=auth)
            seen[url] = response.status_code
            assert response.status_code < 500, url
            assert PRIVATE not in response.text, url
        # Every surface was read (none refused), and the private entry is as if it never was.
        refused = {url: status for url, status in seen.items() if status != 200}
        assert refused == {f"/api/v1/journal/{world['private']}": 404}
        # The shared entry is where sharing puts it, and the prepare view holds neither.
        c, s = world["client"], world["session"]
        assert SHARED in other.http.get(f"/sessions/{s}/journal").text
        assert SHARED in other.http.get(f"/sessions/{s}/supervision").text
        listed = other.http.get(f"/api/v1/sessions/{s}/journal", headers=auth).json()
        assert [e["note"] for e in listed] == [SHARED]
        exported = other.http.get(f"/clients/{c}/export.json?journal=1").json()
        assert [e["note"] for e in exported["journal"]] == [SHARED]
        assert SHARED not in other.http.get(f"/clients/{c}/prepare").text
        assert SHARED not in other.http.get(f"/api/v1/clients/{c}/prepare", headers=auth).text
        assert SHARED not in other.http.get(f"/clients/{c}/export.csv").text
    assert all(PRIVATE not in (a.detail or "") for a in store.list_audit())
