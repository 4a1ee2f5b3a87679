"""Sign-in that holds up: sign-out survives a restart, the brake counts per account and
address (and believes X-Forwarded-For only from a trusted proxy), every attempt is audited,
usernames ignore case."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request

from edgewise.errors import UsageError
from edgewise.services.config import trusted_networks
from edgewise.services.throttle import LoginThrottle
from edgewise.store import ConflictError, Store, UserRecord
from edgewise.web.address import client_address

Web = Any  # the conftest Browser helper
PASSWORD = "correct horse battery"  # the conftest users' password
WRONG = "wrong horse battery"
BOTH = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _from(app: FastAPI, host: str) -> TestClient:
    """A browser whose connection comes from ``host``."""
    return TestClient(app, client=(host, 40000))


def _attempt(http: TestClient, username: str, password: str, forwarded: str | None = None) -> int:
    """One sign-in (with an X-Forwarded-For header when given); the status code."""
    token = _TOKEN.findall(http.get("/login").text)[0]
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    form = {"username": username, "password": password, "csrf_token": token}
    return http.post("/login", data=form, headers=headers, follow_redirects=False).status_code


def _sign_out(http: TestClient) -> None:
    token = _TOKEN.findall(http.get("/clients").text)[0]
    assert http.post("/logout", data={"csrf_token": token}, follow_redirects=False).is_redirect


# -- sign-out survives a restart ------------------------------------------------------------


@BOTH
def test_a_signed_out_cookie_stays_refused_after_a_restart(
    make_app: Any, users: dict[str, UserRecord]
) -> None:
    with TestClient(make_app()) as ann, TestClient(make_app()) as bob:
        assert _attempt(ann, "ann", PASSWORD) == 303 and _attempt(bob, "bob", PASSWORD) == 303
        token = _TOKEN.findall(ann.get("/clients").text)[0]
        form = {"alias": "Ro", "csrf_token": token}
        created = ann.post("/clients", data=form, follow_redirects=False)
        export = created.headers["location"] + "/export.csv"
        assert ann.get(export).status_code == 200
        stolen, kept = dict(ann.cookies), dict(bob.cookies)
        _sign_out(ann)
    with TestClient(make_app()) as restarted:  # a new app: nothing kept in memory
        restarted.cookies.update(stolen)
        assert restarted.get("/clients", follow_redirects=False).status_code == 303
        assert restarted.get(export).status_code == 401
        restarted.cookies.clear()
        restarted.cookies.update(kept)  # bob never signed out: his cookie still works
        assert restarted.get("/clients").status_code == 200
        restarted.cookies.clear()
        assert _attempt(restarted, "ann", PASSWORD) == 303  # and ann signs in again
        assert restarted.get(export).status_code == 200


def test_signing_out_signs_out_everywhere(app: FastAPI, ann: Web, signin: Any) -> None:
    with TestClient(app) as http:
        tablet = signin(http, "ann")
        assert tablet.http.get("/clients").status_code == 200
        assert ann.post("/logout").status_code == 303
        assert tablet.http.get("/clients", follow_redirects=False).status_code == 303


def test_a_cookie_from_before_the_epoch_is_refused(ann: Web, store: Store) -> None:
    assert ann.user is not None
    store.end_sessions(ann.user.id)  # what a password change does
    assert ann.http.get("/clients", follow_redirects=False).status_code == 303


# -- the brake: per account and address ------------------------------------------------------


def test_a_paused_account_does_not_block_another(app: FastAPI, users: dict[str, Any]) -> None:
    with _from(app, "127.0.0.1") as http:
        for _ in range(10):
            assert _attempt(http, "ann", WRONG) == 401
        assert _attempt(http, "ann", PASSWORD) == 429
        assert _attempt(http, "bob", PASSWORD) == 303  # same address, another account
    with _from(app, "127.0.0.2") as elsewhere:
        assert _attempt(elsewhere, "ann", PASSWORD) == 303  # same account, another address


def test_an_address_trying_many_accounts_is_paused(app: FastAPI, users: dict[str, Any]) -> None:
    app.state.throttle = LoginThrottle(limit=2, address_limit=4)
    with _from(app, "192.0.2.1") as sprayer:
        for name in ("ann", "bob", "cy", "di"):
            assert _attempt(sprayer, name, WRONG) == 401
        assert _attempt(sprayer, "ann", PASSWORD) == 429
    with _from(app, "192.0.2.2") as other:
        assert _attempt(other, "ann", PASSWORD) == 303


def test_a_forged_forwarded_for_neither_escapes_nor_blames_others(
    app: FastAPI, users: dict[str, Any]
) -> None:
    with _from(app, "127.0.0.1") as attacker:
        for n in range(10):
            assert _attempt(attacker, "ann", WRONG, forwarded=f"10.0.0.{n}") == 401
        assert _attempt(attacker, "ann", PASSWORD, forwarded="10.0.0.99") == 429
    with _from(app, "10.0.0.3") as named:  # an address the attacker wrote in the header
        assert _attempt(named, "ann", PASSWORD) == 303


def test_a_trusted_proxy_names_the_client(make_app: Any, users: dict[str, Any]) -> None:
    app = make_app(trusted_proxies=["127.0.0.1"])
    with _from(app, "127.0.0.1") as proxy:
        for n in range(10):  # the client wrote the first hop; the proxy added the last
            assert _attempt(proxy, "ann", WRONG, forwarded=f"192.0.2.{n}, 198.51.100.7") == 401
        assert _attempt(proxy, "ann", PASSWORD, forwarded="192.0.2.99, 198.51.100.7") == 429
        assert _attempt(proxy, "ann", PASSWORD, forwarded="198.51.100.8") == 303
    with _from(app, "203.0.113.5") as direct:  # not the proxy: its header is ignored
        for _ in range(10):
            assert _attempt(direct, "bob", WRONG, forwarded="198.51.100.9") == 401
        assert _attempt(direct, "bob", PASSWORD) == 429
    with _from(app, "127.0.0.1") as proxy:
        assert _attempt(proxy, "bob", PASSWORD, forwarded="198.51.100.9") == 303


def _request(peer: str, *forwarded: str) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "client": (peer, 1), "headers": headers})


def test_client_address_takes_the_right_most_untrusted_hop() -> None:
    proxies = trusted_networks(["10.0.0.0/8", "::1"])
    assert client_address(_request("127.0.0.1", "1.1.1.1")) == "127.0.0.1"  # none trusted
    assert client_address(_request("127.0.0.1", "1.1.1.1"), proxies) == "127.0.0.1"
    assert client_address(_request("10.0.0.2", "6.6.6.6, 2.2.2.2, 10.0.0.9"), proxies) == "2.2.2.2"
    assert client_address(_request("10.0.0.2", "6.6.6.6", "3.3.3.3"), proxies) == "3.3.3.3"
    assert client_address(_request("::1", "2001:db8::5"), proxies) == "2001:db8::5"
    assert client_address(_request("10.0.0.2", "10.0.0.5"), proxies) == "10.0.0.2"
    assert client_address(_request("10.0.0.2"), proxies) == "10.0.0.2"
    assert client_address(_request("10.0.0.2", "junk, "), proxies) == "junk"


def test_trusted_networks_are_checked() -> None:
    assert [str(n) for n in trusted_networks(["10.0.0.1, 10.1.0.0/16", " ::1 "])] == [
        "10.0.0.1/32",
        "10.1.0.0/16",
        "::1/128",
    ]
    for bad in ("*", "proxy.example", "10.0.0.300"):
        with pytest.raises(UsageError, match="--trusted-proxy"):
            trusted_networks([bad])


# -- the audit log -----------------------------------------------------------------------------


@BOTH
def test_every_sign_in_attempt_is_audited_without_secrets(
    anon: Web, users: dict[str, UserRecord], store: Store
) -> None:
    ann = users["ann"].id
    assert anon.login("ann", WRONG).status_code == 401
    assert anon.login("nobody", "secret guess one").status_code == 401
    for _ in range(9):
        assert anon.login("ann", WRONG).status_code == 401
    assert anon.login("ann", PASSWORD).status_code == 429  # paused: not checked, not logged
    rows = [(a.user_id, a.action, a.record_type, a.record_id, a.detail) for a in store.list_audit()]
    assert rows[0] == (ann, "login", "user", ann, "failed wrong_password paused")
    assert rows.count((ann, "login", "user", ann, "failed wrong_password")) == 9
    assert (None, "login", "user", None, "failed unknown_user") in rows
    assert len(rows) == 11
    assert not any(secret in str(rows) for secret in (WRONG, "horse", "secret guess", "nobody"))


def test_sign_in_and_sign_out_are_audited(ann: Web, store: Store) -> None:
    assert ann.post("/logout").status_code == 303
    details = [a.detail for a in store.list_audit(user_id=ann.user.id) if a.action == "login"]
    assert details == ["signed_out", "succeeded"]


# -- usernames ignore case ---------------------------------------------------------------------


@BOTH
def test_usernames_ignore_case(anon: Web, users: dict[str, UserRecord], store: Store) -> None:
    with pytest.raises(ConflictError):
        store.create_user("Ann", "another hash")
    assert anon.login("ANN").status_code == 303
    assert "ann" in anon.http.get("/clients").text
