"""Bearer tokens on the API: the whole lifecycle, scopes, the rate limit, what is refused."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import update

from edgewise.services.tokens import hash_secret
from edgewise.store import Store
from edgewise.store.tables import ApiToken
from edgewise.web.api import api_of
from edgewise.web.api.ratelimit import RateLimiter

Web = Any
_SECRET = re.compile(r'id="token-secret">(ew_[A-Za-z0-9_-]{43})<')


def test_token_lifecycle_from_the_page(ann: Web, store: Store) -> None:
    made = ann.post("/account/tokens", {"name": "script", "scope": "write", "expires": "never"})
    assert made.status_code == 201
    found = _SECRET.search(made.text)
    assert found is not None
    secret = found.group(1)
    assert secret not in ann.http.get("/account/tokens").text  # shown once
    with store.engine.connect() as conn:
        assert list(conn.exec_driver_sql("SELECT secret_hash FROM api_tokens").scalars()) == [
            hash_secret(secret)
        ]
    bearer = {"Authorization": f"Bearer {secret}"}
    anon = TestClient(ann.http.app)  # no cookie: the token alone opens the API
    assert anon.get("/api/v1/clients", headers=bearer).status_code == 200
    [token] = store.list_tokens(ann.user.id)
    assert token.last_used_at is not None
    assert ann.post(f"/account/tokens/{token.id}/revoke").status_code == 303
    refused = anon.get("/api/v1/clients", headers=bearer)
    assert refused.status_code == 401 and refused.json()["code"] == "E350"
    assert refused.headers["www-authenticate"].startswith("Bearer")


def test_no_or_bad_token_is_401(make_api: Any) -> None:
    api = make_api("ann")
    for header in ({}, {"Authorization": "Bearer ew_" + "x" * 43}, {"Authorization": "Basic a"}):
        response = api.http.get("/api/v1/clients", headers=header)
        assert response.status_code == 401, header
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["code"] == "E350"


def test_a_signed_in_cookie_does_not_open_the_api(ann: Web) -> None:
    response = ann.http.get("/api/v1/clients")
    assert response.status_code == 401 and response.json()["code"] == "E350"


def test_read_scope_cannot_write(make_api: Any, store: Store) -> None:
    writer, reader = make_api("ann"), make_api("ann", scope="read")
    client_id = writer.add_client("Wren")
    assert reader.get(f"/clients/{client_id}").status_code == 200
    refused = reader.post("/clients", json={"alias": "Nope"})
    assert refused.status_code == 403 and refused.json()["code"] == "E351"
    assert "POST" in refused.json()["detail"]
    assert reader.phq9(client_id, 1).status_code == 403
    assert [c.alias for c in store.list_clients(writer.user.id)] == ["Wren"]


def test_expired_token_is_refused(make_api: Any, store: Store) -> None:
    api = make_api("ann", expires_in_days=1)
    assert api.get("/clients").status_code == 200
    past = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    with store.engine.begin() as conn:
        conn.execute(update(ApiToken).values(expires_at=past))
    assert api.get("/clients").status_code == 401


def test_new_password_revokes_sign_out_does_not(make_api: Any, store: Store) -> None:
    api = make_api("ann")
    store.end_sessions(api.user.id)
    assert api.get("/clients").status_code == 200
    store.set_password(api.user.id, "new-hash")
    assert api.get("/clients").status_code == 401


def test_disabled_or_removed_user_token_is_refused(make_api: Any, store: Store) -> None:
    api = make_api("ann")
    store.set_disabled(api.user.id, True)
    refused = api.get("/clients")
    assert refused.status_code == 401 and refused.json()["code"] == "E350"
    store.set_disabled(api.user.id, False)
    assert api.get("/clients").status_code == 200
    store.remove_user(api.user.id)
    assert api.get("/clients").status_code == 401


def test_rate_limit_answers_429_with_retry_after(api_app: FastAPI, make_api: Any) -> None:
    api_of(api_app).state.limiter = RateLimiter(burst=3, per_second=0.5)
    api, other = make_api("ann"), make_api("bob")
    assert [api.get("/clients").status_code for _ in range(3)] == [200, 200, 200]
    refused = api.get("/clients")
    assert refused.status_code == 429 and refused.json()["code"] == "E352"
    assert refused.headers["retry-after"] == "2"
    assert other.get("/clients").status_code == 200  # per token


@pytest.mark.parametrize("path", ["/clients", "/measures", "/alerts", "/sessions/1"])
def test_every_route_needs_a_token(make_api: Any, path: str) -> None:
    api = make_api("ann")
    response = api.http.get(f"/api/v1{path}")
    assert response.status_code == 401 and response.json()["code"] == "E350"
