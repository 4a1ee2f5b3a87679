"""Two-factor sign-in in the web app, on SQLite and PostgreSQL: the account page enrols
with a QR code and a first code (recovery codes shown once), sign-in then asks for a
code after the password, a code works once, wrong codes are throttled like passwords,
a recovery code signs in once, the user turns it off with a code or an admin resets it.
API tokens are unaffected."""

from __future__ import annotations

import re
from typing import Any

import pyotp
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import PASSWORD, Browser

from edgewise.services import two_factor
from edgewise.services.throttle import LoginThrottle
from edgewise.services.tokens import issue_token
from edgewise.store import Store, UserRecord
from edgewise.web import auth

BOTH = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
T0 = 1_800_000_000.0
_SECRET = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')
_CODES = re.compile(r'<li><code class="secret">([a-z0-9-]+)</code></li>')


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [T0]
    monkeypatch.setattr(two_factor, "_clock", lambda: now[0])
    return now


def enrol(web: Browser) -> tuple[str, list[str]]:
    """Turn two-factor sign-in on through the page at T0; the secret and recovery codes."""
    web.refresh_token("/account/two-factor")
    assert web.post("/account/two-factor/start").status_code == 303
    page = web.http.get("/account/two-factor").text
    assert 'src="data:image/svg+xml' in page and 'id="totp-qr"' in page
    found = _SECRET.search(page)
    assert found
    secret = found.group(1).replace(" ", "")
    wrong = web.post("/account/two-factor/confirm", {"code": "000000"})
    assert wrong.status_code == 400 and "wrong, expired or used already" in wrong.text
    done = web.post("/account/two-factor/confirm", {"code": pyotp.TOTP(secret).at(T0)})
    assert done.status_code == 200 and "Two-factor sign-in is on" in done.text
    codes = _CODES.findall(done.text)
    assert len(codes) == 10
    again = web.http.get("/account/two-factor").text
    assert not any(c in again for c in codes) and secret[:8] not in again  # shown once
    assert 'id="codes-left">10<' in again
    return secret, codes


def _token(http: TestClient, page: str) -> str:
    return re.findall(r'name="csrf_token" value="([^"]+)"', http.get(page).text)[0]


def password(http: TestClient, name: str) -> Any:
    """The password step alone (the conftest's login visits /clients after it, which
    would end a pending sign-in); the response."""
    form = {"username": name, "password": PASSWORD, "csrf_token": _token(http, "/login")}
    return http.post("/login", data=form, follow_redirects=False)


def login_code(web: Browser | TestClient, code: str) -> int:
    http = web.http if isinstance(web, Browser) else web
    form = {"code": code, "csrf_token": _token(http, "/login/code")}
    return http.post("/login/code", data=form, follow_redirects=False).status_code


@BOTH
def test_enrol_then_sign_in_asks_for_a_code_that_works_once(
    app: FastAPI, ann: Browser, store: Store, clock: list[float]
) -> None:
    secret, _ = enrol(ann)
    assert ann.post("/logout").status_code == 303
    with TestClient(app) as http:
        web = Browser(http)
        first = password(http, "ann")
        assert first.status_code == 303 and first.headers["location"] == "/login/code"
        assert http.get("/clients", follow_redirects=False).status_code == 303  # not yet in
        assert password(http, "ann").status_code == 303  # that visit ended the pending one
        assert login_code(web, pyotp.TOTP(secret).at(T0)) == 401  # the enrolment used it
        clock[0] = T0 + 30
        fresh = pyotp.TOTP(secret).at(clock[0])
        assert login_code(web, fresh) == 303
        assert http.get("/clients").status_code == 200
    with TestClient(app) as other:
        assert password(other, "ann").status_code == 303
        assert login_code(other, fresh) == 401  # a replay, from another browser
    details = [a.detail for a in store.list_audit(record_type="user") if a.action == "login"]
    assert details[:5] == [  # newest first
        "failed wrong_code",
        "password_ok code_needed",
        "succeeded",
        "failed wrong_code",
        "password_ok code_needed",
    ]


def test_a_recovery_code_signs_in_once(app: FastAPI, ann: Browser, clock: list[float]) -> None:
    _, codes = enrol(ann)
    for expected in (303, 401):
        with TestClient(app) as http:
            web = Browser(http)
            assert password(http, "ann").status_code == 303
            assert login_code(web, codes[0]) == expected
    ann.refresh_token("/account/two-factor")
    assert 'id="codes-left">9<' in ann.http.get("/account/two-factor").text


def test_wrong_codes_are_throttled_like_passwords(
    app: FastAPI, ann: Browser, clock: list[float]
) -> None:
    secret, _ = enrol(ann)
    with TestClient(app) as http:
        web = Browser(http)
        assert password(http, "ann").status_code == 303
        for _ in range(10):
            assert login_code(web, "123456") == 401
        assert login_code(web, pyotp.TOTP(secret).at(T0 + 30)) == 429
        assert password(http, "ann").status_code == 429  # the password step is paused too


def test_a_pending_sign_in_expires_and_ends_with_the_epoch(
    app: FastAPI, ann: Browser, store: Store, clock: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    secret, _ = enrol(ann)
    code = pyotp.TOTP(secret).at(T0 + 30)
    with TestClient(app) as http:
        assert password(http, "ann").status_code == 303
        monkeypatch.setattr(auth, "PENDING_SECONDS", -1)
        assert http.get("/login/code", follow_redirects=False).headers["location"] == "/login"
        monkeypatch.setattr(auth, "PENDING_SECONDS", 300)
        assert password(http, "ann").status_code == 303
        assert ann.user is not None
        store.end_sessions(ann.user.id)  # a sign-out elsewhere, or a new password
        token = re.findall(r'name="csrf_token" value="([^"]+)"', http.get("/login").text)[0]
        ended = http.post("/login/code", data={"code": code, "csrf_token": token})
        assert ended.status_code == 401 and "Sign in again" in ended.text


def test_turned_off_with_a_code(app: FastAPI, ann: Browser, clock: list[float]) -> None:
    secret, _ = enrol(ann)
    clock[0] = T0 + 30
    ann.refresh_token("/account/two-factor")
    new = ann.post("/account/two-factor/recovery-codes", {"code": pyotp.TOTP(secret).at(T0 + 30)})
    assert new.status_code == 200 and len(_CODES.findall(new.text)) == 10
    assert ann.post("/account/two-factor/disable", {"code": "000000"}).status_code == 400
    clock[0] = T0 + 60
    off = ann.post("/account/two-factor/disable", {"code": pyotp.TOTP(secret).at(T0 + 60)})
    assert off.status_code == 200 and "Two-factor sign-in is off" in off.text
    with TestClient(app) as http:
        assert password(http, "ann").headers["location"] == "/clients"


@BOTH
def test_an_admin_resets_it_and_api_tokens_are_unaffected(
    app: FastAPI, ann: Browser, bob: Browser, store: Store, clock: list[float]
) -> None:
    enrol(bob)
    assert bob.user is not None
    token = issue_token(store, bob.user.id, "laptop", "read").secret
    with TestClient(app) as http:  # a token needs no code
        listed = http.get("/api/v1/clients", headers={"Authorization": f"Bearer {token}"})
        assert listed.status_code == 200
    page = ann.http.get("/admin/users").text
    row = page[page.index(f'id="account-{bob.user.id}"') :]
    assert '<td class="two-factor">on</td>' in row[:600] and "reset-two-factor" in row
    assert bob.post(f"/admin/users/{bob.user.id}/two-factor/reset").status_code == 404
    ann.refresh_token("/admin/users")
    reset = ann.post(f"/admin/users/{bob.user.id}/two-factor/reset")
    assert reset.status_code == 200 and "Two-factor sign-in is off for bob" in reset.text
    again = ann.post(f"/admin/users/{bob.user.id}/two-factor/reset")
    assert again.status_code == 409
    with TestClient(app) as http:
        assert password(http, "bob").headers["location"] == "/clients"
    assert bob.http.get("/clients").status_code == 200  # bob's own sign-in goes on


def test_pages_need_sign_in_and_the_csrf_token(
    anon: Browser, ann: Browser, users: dict[str, UserRecord]
) -> None:
    assert anon.http.get("/account/two-factor", follow_redirects=False).status_code == 303
    assert anon.http.get("/login/code", follow_redirects=False).headers["location"] == "/login"
    refused = ann.http.post("/account/two-factor/start", data={"csrf_token": "x"})
    assert refused.status_code == 403
    assert 'href="/account/two-factor"' in ann.http.get("/clients").text


def test_the_throttle_is_the_apps(app: FastAPI) -> None:
    assert isinstance(app.state.throttle, LoginThrottle)
