"""The journal's pages on SQLite and PostgreSQL: noting signals pinned to turns, sharing
one, exercises with their evidence, the mirror; and privacy: an unshared entry is on no
page, export or API answer of a colleague (write share) or a supervisor (read only)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.journal_seed import KeywordCoder, seed_session, session_text
from tests.web.conftest import SECRET, Browser, password_hash

from edgewise.journal.mirror import MIN_SESSIONS
from edgewise.services.tokens import issue_token
from edgewise.store import Store, UserRecord
from edgewise.web import create_app

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)

NOTE = "a cold wave when she said she was done"


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
def seeded(store: Store, users: dict[str, UserRecord], sue: Browser) -> tuple[int, int]:
    """ann's client, shared with bob (may write) and sue (read only), with one session."""
    ann_id = users["ann"].id
    client = store.add_client(ann_id, "Wren")
    store.share_client(ann_id, client.id, users["bob"].id, can_write=True)
    assert sue.user is not None
    store.share_client(ann_id, client.id, sue.user.id, can_write=False)
    session = seed_session(store, ann_id, client.id, session_text("pushed"))
    return client.id, session.id


def _note(ann: Browser, session_id: int, signal: str, turn: str = "", note: str = NOTE) -> int:
    response = ann.post(
        f"/sessions/{session_id}/journal",
        {"signal": signal, "intensity": "4", "turn": turn, "note": note},
    )
    assert response.status_code == 303, response.text
    return int(response.headers["location"].rsplit("-", 1)[1])


def test_noting_two_signals_pinned_to_turns(ann: Browser, seeded: tuple[int, int]) -> None:
    _, session_id = seeded
    assert 'id="journal-link"' in ann.http.get(f"/sessions/{session_id}").text
    first = _note(ann, session_id, "urge.fix", "3")
    second = _note(ann, session_id, "body.cold_clammy", "5", note="")
    page = ann.http.get(f"/sessions/{session_id}/journal").text
    assert f'id="entry-{first}"' in page and f'id="entry-{second}"' in page
    assert "Urge: To fix" in page and NOTE in page
    assert f'href="/sessions/{session_id}#turn-3"' in page
    assert page.count('class="tag private"') == 2


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ({"signal": "urge.juggle", "intensity": "3"}, "E451"),
        ({"signal": "urge.fix", "intensity": "9"}, "E451"),
        ({"signal": "urge.fix", "intensity": "3", "turn": "99"}, "E452"),
        ({"signal": "urge.fix", "intensity": "x"}, "E100"),
    ],
)
def test_a_bad_entry_is_shown_on_the_form(
    ann: Browser, seeded: tuple[int, int], form: dict[str, str], code: str
) -> None:
    response = ann.post(f"/sessions/{seeded[1]}/journal", form)
    assert response.status_code == 400
    assert code in response.text and 'id="journal-error"' in response.text


def test_an_unshared_entry_is_invisible_to_colleague_and_supervisor(
    ann: Browser,
    bob: Browser,
    sue: Browser,
    store: Store,
    users: dict[str, UserRecord],
    seeded: tuple[int, int],
) -> None:
    client_id, session_id = seeded
    entry = _note(ann, session_id, "emotion.nervous", "3")
    tokens = {
        name: issue_token(store, user_id, "t", "write").secret
        for name, user_id in (("bob", users["bob"].id), ("sue", sue.user.id if sue.user else 0))
    }
    for name, other in (("bob", bob), ("sue", sue)):
        page = other.http.get(f"/sessions/{session_id}/journal")
        assert page.status_code == 200 and NOTE not in page.text
        assert 'id="journal-empty"' in page.text
        export = other.http.get(f"/clients/{client_id}/export.json?journal=1")
        assert export.status_code == 200 and export.json()["journal"] == []
        assert NOTE not in other.http.get(f"/clients/{client_id}/export.csv").text
        headers = {"Authorization": f"Bearer {tokens[name]}"}
        api = other.http.get(f"/api/v1/sessions/{session_id}/journal", headers=headers)
        assert api.status_code == 200 and api.json() == []
        one = other.http.get(f"/api/v1/journal/{entry}", headers=headers)
        assert one.status_code == 404 and one.json()["code"] == "E301"
        share = other.post(f"/journal/{entry}/share", {"shared": "1"})
        assert share.status_code == 404
        assert other.post(f"/journal/{entry}/delete").status_code == 404

    assert ann.post(f"/journal/{entry}/share", {"shared": "1"}).status_code == 303
    for other in (bob, sue):
        page = other.http.get(f"/sessions/{session_id}/journal").text
        assert NOTE in page and "shared by ann" in page
        assert "Make private" not in page  # only the author may take it back
        exported = other.http.get(f"/clients/{client_id}/export.json?journal=1").json()
        assert [e["note"] for e in exported["journal"]] == [NOTE]
    plain = ann.http.get(f"/clients/{client_id}/export.json").json()
    assert "journal" not in plain  # left out unless asked for
    audit = [(a.user_id, a.action, a.record_type) for a in store.list_audit()]
    assert (users["bob"].id, "export", "journal_entry") in audit
    assert all(NOTE not in (a.detail or "") for a in store.list_audit())


def test_a_stranger_gets_404(
    ann: Browser, store: Store, app: FastAPI, seeded: tuple[int, int]
) -> None:
    store.create_user("carl", password_hash())
    with TestClient(app) as http:
        carl = Browser(http)
        assert carl.login("carl").status_code == 303
        assert carl.http.get(f"/sessions/{seeded[1]}/journal").status_code == 404


def test_an_exercise_with_its_evidence(
    ann: Browser, store: Store, users: dict[str, UserRecord], seeded: tuple[int, int]
) -> None:
    client_id, _ = seeded
    for what in ("met", "backed_off"):
        seed_session(store, users["ann"].id, client_id, session_text(what))
    assert 'href="/reflect/exercises/readiness"' in ann.http.get("/reflect").text
    url = f"/reflect/exercises/readiness?client_id={client_id}"
    page = ann.http.get(url).text
    assert 'id="evidence-defence"' in page and 'id="evidence-client_signals"' in page
    assert "met with support: 1" in page and "pushed on: 1" in page
    assert "backed off or changed topic: 1" in page
    kept = ann.post(
        "/reflect/exercises/readiness",
        {"question": "defence", "answer": "I soften too fast", "client_id": str(client_id)},
    )
    assert kept.status_code == 303
    assert "I soften too fast" in ann.http.get(url).text
    assert "I soften too fast" not in ann.http.get("/reflect/exercises/readiness").text
    empty = ann.post("/reflect/exercises/readiness", {"question": "defence", "answer": " "})
    assert empty.status_code == 400
    assert ann.http.get("/reflect/exercises/nope").status_code == 404


def test_the_mirror_below_and_above_the_minimum(
    ann: Browser, store: Store, users: dict[str, UserRecord], seeded: tuple[int, int]
) -> None:
    client_id, first = seeded
    _note(ann, first, "urge.fix")
    assert 'id="mirror-below-minimum"' in ann.http.get("/reflect/mirror").text
    for i in range(MIN_SESSIONS - 1):
        fix = i % 2 == 0
        row = seed_session(
            store, users["ann"].id, client_id, session_text("pushed" if fix else "met", advice=fix)
        )
        _note(ann, row.id, "urge.fix" if fix else "urge.back_off")
    page = ann.http.get("/reflect/mirror").text
    assert 'id="mirror-table"' in page and 'id="mirror-urge-fix"' in page
    assert "6/6" in page and "0/4" in page
