"""Signing in and out: passwords, sessions, the failed-login brake, safe redirects."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edgewise.services.accounts import hash_password, verify_password
from edgewise.services.config import MIN_SECRET_CHARS, load_or_create_secret
from edgewise.store import Store
from edgewise.web.auth import LoginThrottle, safe_next

Web = Any  # the conftest Browser helper


def test_login_goes_to_the_caseload_and_is_audited(ann: Web, store: Store) -> None:
    page = ann.http.get("/clients")
    assert page.status_code == 200
    assert "ann" in page.text and "Caseload" in page.text
    logins = [a for a in store.list_audit() if a.action == "login"]
    assert [(a.user_id, a.record_type, a.detail) for a in logins] == [
        (ann.user.id, "user", "succeeded")
    ]


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
    assert anon.login("ANN", "correct horse battery").status_code == 429  # one account


def test_throttle_forgets_old_failures() -> None:
    throttle = LoginThrottle(limit=2, window=0.0)
    throttle.failed("a", "1.2.3.4")
    throttle.failed("a", "1.2.3.4")
    assert not throttle.blocked("a", "1.2.3.4")
    strict = LoginThrottle(limit=2, address_limit=3, window=60)
    assert not strict.failed("a", "1.2.3.4")
    assert strict.failed("a", "1.2.3.4")  # the second failure pauses a from 1.2.3.4
    assert strict.blocked("a", "1.2.3.4")
    assert not strict.blocked("b", "1.2.3.4") and not strict.blocked("a", "5.6.7.8")
    strict.succeeded("a", "1.2.3.4")
    assert not strict.blocked("a", "1.2.3.4")
    assert strict.failed("b", "1.2.3.4")  # the address's third failure pauses the address
    assert strict.blocked("c", "1.2.3.4") and not strict.blocked("c", "5.6.7.8")


def test_throttle_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("edgewise.services.throttle.MAX_KEYS", 50)
    throttle = LoginThrottle()
    for n in range(500):
        throttle.failed(f"name{n}", f"10.0.{n // 200}.{n % 200}")
    assert len(throttle._failures) <= 50


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
