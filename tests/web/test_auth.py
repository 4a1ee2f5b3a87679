"""Signing in and out on the pages: sessions, the failed-login brake, safe redirects."""

from __future__ import annotations

from typing import Any

import pytest

from edgewise.store import Store
from edgewise.web.auth import safe_next

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
