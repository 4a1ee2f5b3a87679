"""Signing in and out: passwords, sessions, the failed-login brake, safe redirects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edgewise.store import Store
from edgewise.web.auth import LoginThrottle, safe_next
from edgewise.web.security import (
    MIN_SECRET_CHARS,
    hash_password,
    load_or_create_secret,
    verify_password,
)

Web = Any  # the conftest Browser helper


def test_login_goes_to_the_caseload_and_is_audited(ann: Web, store: Store) -> None:
    page = ann.http.get("/clients")
    assert page.status_code == 200
    assert "ann" in page.text and "Caseload" in page.text
    logins = [a for a in store.list_audit() if a.action == "login"]
    assert [(a.user_id, a.record_type) for a in logins] == [(ann.user.id, "user")]


def test_wrong_password_and_unknown_user_read_the_same(anon: Web, users: dict[str, Any]) -> None:
    wrong = anon.login("ann", "not the password")
    unknown = anon.login("nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong username or password." in wrong.text
    assert "Wrong username or password." in unknown.text
    assert anon.http.get("/clients", follow_redirects=False).status_code == 303


def test_login_returns_to_the_page_asked_for(anon: Web, users: dict[str, Any]) -> None:
    first = anon.http.get("/clients/7?x=1", follow_redirects=False)
    assert first.headers["location"] == "/login?next=/clients/7%3Fx%3D1"
    page = anon.http.get(first.headers["location"])
    assert 'name="next" value="/clients/7?x=1"' in page.text


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/clients/3", "/clients/3"),
        ("//evil.example/x", "/clients"),
        ("https://evil.example/", "/clients"),
        ("/\\evil.example", "/clients"),
        ("", "/clients"),
        (None, "/clients"),
    ],
)
def test_safe_next(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_logout_ends_the_session_and_its_cookie(ann: Web) -> None:
    stolen = dict(ann.http.cookies)
    response = ann.post("/logout")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert ann.http.get("/clients", follow_redirects=False).status_code == 303
    ann.http.cookies.clear()
    ann.http.cookies.update(stolen)  # a copy of the cookie taken before sign-out
    assert ann.http.get("/clients", follow_redirects=False).status_code == 303


def test_login_starts_a_fresh_session(anon: Web, users: dict[str, Any]) -> None:
    before_token = anon.refresh_token("/login")
    before_cookie = anon.http.cookies.get("edgewise_session")
    assert anon.login("ann").status_code == 303
    assert anon.http.cookies.get("edgewise_session") != before_cookie
    assert anon.token != before_token  # the CSRF token is new too


def test_too_many_failures_are_slowed_down(anon: Web, users: dict[str, Any]) -> None:
    for _ in range(10):
        assert anon.login("ann", "guess").status_code == 401
    assert anon.login("ann", "correct horse battery").status_code == 429


def test_throttle_forgets_old_failures() -> None:
    throttle = LoginThrottle(limit=2, window=0.0)
    throttle.failed("user:a")
    throttle.failed("user:a")
    assert not throttle.blocked("user:a")
    strict = LoginThrottle(limit=2, window=60)
    strict.failed("user:a", "addr:1")
    strict.failed("user:a")
    assert strict.blocked("user:a") and not strict.blocked("addr:1")
    strict.succeeded("user:a")
    assert not strict.blocked("user:a")


def test_passwords_hash_with_argon2() -> None:
    hashed = hash_password("pass phrase one")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "pass phrase one")
    assert not verify_password(hashed, "pass phrase two")
    assert not verify_password(None, "pass phrase one")
    assert not verify_password("not a hash", "pass phrase one")


def test_secret_file_is_private_and_stable(tmp_path: Path) -> None:
    first = load_or_create_secret(tmp_path, env={})
    assert len(first) >= MIN_SECRET_CHARS
    path = tmp_path / "web-secret.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert load_or_create_secret(tmp_path, env={}) == first
    given = "e" * 40
    assert load_or_create_secret(tmp_path, env={"EDGEWISE_SECRET_KEY": given}) == given
    with pytest.raises(ValueError):
        load_or_create_secret(tmp_path, env={"EDGEWISE_SECRET_KEY": "short"})
    path.chmod(0o644)
    with pytest.raises(PermissionError):
        load_or_create_secret(tmp_path, env={})
