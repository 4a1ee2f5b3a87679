"""The growing-edge page: drafts with their cited turns, a draft edited and saved as the
clinician's own language (private until shared), forms behind sign-in and CSRF."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from tests.web.api.test_language import PartsCoder
from tests.web.conftest import Browser

from edgewise.store import Store


@pytest.fixture
def app(make_app: Any) -> FastAPI:
    """The app analysing inline with PartsCoder (no model; both parts present)."""
    return make_app(coder_factory=PartsCoder)


def _session(ann: Browser, short_session: Path) -> tuple[int, int]:
    client_id = ann.add_client("Wren")
    response = ann.upload(client_id, short_session)
    assert response.status_code == 303, response.text
    session_id = int(response.headers["location"].rsplit("/", 1)[1])
    return client_id, session_id


def test_drafts_edit_and_save(
    ann: Browser, bob: Browser, store: Store, short_session: Path
) -> None:
    client_id, session_id = _session(ann, short_session)
    assert f"/sessions/{session_id}/drafts" in ann.http.get(f"/sessions/{session_id}").text
    page = ann.http.get(f"/sessions/{session_id}/drafts")
    assert page.status_code == 200
    assert "Double-sided reflection" in page.text and "Feeling torn" in page.text
    assert re.search(r'href="/sessions/\d+#turn-\d+">turn \d+</a> \(ready\)', page.text)
    turns = re.search(r'name="turns" value="([\d,]+)"', page.text)
    assert turns is not None
    saved = ann.post(
        f"/sessions/{session_id}/language",
        {
            "text": "In my words: part of you wants this.",
            "kind": "double_sided",
            "turns": turns.group(1),
        },
    )
    assert saved.status_code == 303
    again = ann.http.get(f"/sessions/{session_id}/drafts").text
    assert "In my words: part of you wants this." in again
    store.share_client(ann.user.id, client_id, bob.user.id, can_write=False)  # type: ignore[union-attr]
    assert "In my words" not in bob.http.get(f"/sessions/{session_id}/drafts").text
    bad = ann.post(f"/sessions/{session_id}/language", {"text": "x", "turns": "1"})
    assert bad.status_code == 400 and "E460" in bad.text


def test_needs_sign_in(anon: Browser, ann: Browser, short_session: Path) -> None:
    _, session_id = _session(ann, short_session)
    response = anon.http.get(f"/sessions/{session_id}/drafts", follow_redirects=False)
    assert response.status_code in (302, 303, 401)
    assert anon.post(f"/sessions/{session_id}/language", {"text": "x"}).status_code in (
        302,
        303,
        401,
        403,
    )
