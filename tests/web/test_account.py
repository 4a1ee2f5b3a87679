"""The API tokens page: list, make (shown once, stored as a hash), revoke; CSRF and sign-in."""

from __future__ import annotations

import re
from typing import Any

from edgewise.services.tokens import authenticate, hash_secret
from edgewise.store import Store

Web = Any  # the conftest Browser helper
_SECRET = re.compile(r'<code class="secret" id="token-secret">(ew_[A-Za-z0-9_-]{43})</code>')


def _make(browser: Web, **form: str) -> str:
    response = browser.post("/account/tokens", {"name": "sync", "scope": "read", **form})
    assert response.status_code == 201, response.text
    found = _SECRET.search(response.text)
    assert found, "the new token is not on the page"
    return found.group(1)


def test_make_shows_the_token_once_and_stores_its_hash(ann: Web, store: Store) -> None:
    secret = _make(ann, name="nightly export", scope="write", expires="30")
    listed = ann.http.get("/account/tokens")
    assert listed.headers["cache-control"] == "no-store"
    page = listed.text
    assert secret not in page and secret[:10] in page and "nightly export" in page
    [token] = store.list_tokens(ann.user.id)
    assert token.scope == "write" and token.expires_at is not None
    with store.engine.connect() as conn:
        [stored] = conn.exec_driver_sql("SELECT secret_hash FROM api_tokens").scalars()
    assert stored == hash_secret(secret) and secret not in stored
    opened = authenticate(store, secret)
    assert opened is not None and opened.user.id == ann.user.id


def test_revoke_from_the_page(ann: Web, store: Store) -> None:
    secret = _make(ann)
    [token] = store.list_tokens(ann.user.id)
    response = ann.post(f"/account/tokens/{token.id}/revoke")
    assert response.status_code == 303
    assert authenticate(store, secret) is None
    assert "revoked" in ann.http.get("/account/tokens").text
    actions = [(a.action, a.user_id) for a in store.list_audit(record_type="token")]
    assert actions == [("revoke", ann.user.id), ("create", ann.user.id)]


def test_another_users_token_cannot_be_revoked_or_seen(ann: Web, bob: Web, store: Store) -> None:
    _make(ann, name="anns token")
    [token] = store.list_tokens(ann.user.id)
    assert bob.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    assert store.list_tokens(ann.user.id)[0].revoked_at is None
    assert "anns token" not in bob.http.get("/account/tokens").text


def test_bad_form_is_refused_with_a_message(ann: Web, store: Store) -> None:
    for form, words in (
        ({"name": "   "}, "name must be 1 to 100"),
        ({"name": "x", "scope": "admin"}, "scope must be read or write"),
        ({"name": "x", "expires": "soon"}, "Choose when the token expires"),
        ({"name": "x", "expires": "0"}, "expiry must be 1 to 3650 days"),
    ):
        response = ann.post("/account/tokens", form)
        assert response.status_code == 400 and words in response.text, form
    assert store.list_tokens(ann.user.id) == []


def test_needs_sign_in_and_the_form_token(anon: Web, ann: Web, store: Store) -> None:
    response = anon.http.get("/account/tokens", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    forged = ann.http.post("/account/tokens", data={"name": "x"}, follow_redirects=False)
    assert forged.status_code == 403
    assert store.list_tokens(ann.user.id) == []
