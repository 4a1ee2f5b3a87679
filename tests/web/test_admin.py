"""The admin's accounts page (/admin/users): admins only (404 for others), CSRF on every
form, each action audited, and its effects on the account at once."""

from __future__ import annotations

import re

from tests.web.conftest import PASSWORD, Browser

from edgewise.services.accounts import verify_password
from edgewise.store import Store


def test_only_an_admin_sees_the_page(ann: Browser, bob: Browser, anon: Browser) -> None:
    assert ann.user is not None and ann.user.is_admin  # the first account made
    page = ann.http.get("/admin/users")
    assert page.status_code == 200 and "bob" in page.text
    assert 'href="/admin/users"' in page.text  # the nav link, for admins only
    assert 'href="/admin/users"' not in bob.http.get("/clients").text
    assert bob.http.get("/admin/users").status_code == 404
    bob_id = bob.user.id if bob.user else 0
    for action in ("disable", "enable", "remove", "password"):
        assert bob.post(f"/admin/users/{bob_id}/{action}").status_code == 404
    assert anon.http.get("/admin/users", follow_redirects=False).status_code in (303, 307)


def test_forms_need_the_csrf_token(ann: Browser, bob: Browser, store: Store) -> None:
    assert bob.user is not None
    refused = ann.http.post(f"/admin/users/{bob.user.id}/disable", data={"csrf_token": "x"})
    assert refused.status_code == 403
    assert store.get_user(bob.user.id).active  # type: ignore[union-attr]


def test_disable_signs_out_at_once_and_enable_lets_back_in(
    ann: Browser, bob: Browser, store: Store
) -> None:
    assert bob.user is not None
    assert bob.http.get("/clients").status_code == 200
    ann.refresh_token("/admin/users")
    assert ann.post(f"/admin/users/{bob.user.id}/disable").status_code == 303
    assert bob.http.get("/clients", follow_redirects=False).status_code in (303, 307)
    assert bob.login("bob").status_code == 401  # as for a wrong password
    listing = ann.http.get("/admin/users").text
    row = re.search(rf'<tr id="account-{bob.user.id}">.*?</tr>', listing, re.S)
    assert row and "disabled" in row.group(0)
    assert ann.post(f"/admin/users/{bob.user.id}/enable").status_code == 303
    assert bob.login("bob").status_code == 303
    details = [a.detail for a in store.list_audit(record_type="user", record_id=bob.user.id)]
    assert {"disabled", "enabled", "failed disabled"} <= set(details)


def test_reset_shows_a_temporary_password_once(ann: Browser, bob: Browser, store: Store) -> None:
    assert bob.user is not None and ann.user is not None
    ann.refresh_token("/admin/users")
    page = ann.post(f"/admin/users/{bob.user.id}/password", {"password": ""})
    assert page.status_code == 200
    found = re.search(r'id="temporary-secret">([^<]+)<', page.text)
    assert found
    temporary = found.group(1)
    assert temporary not in ann.http.get("/admin/users").text  # shown once
    assert bob.http.get("/clients", follow_redirects=False).status_code in (303, 307)
    assert bob.login("bob").status_code == 401 and bob.login("bob", temporary).status_code == 303
    typed = ann.post(f"/admin/users/{bob.user.id}/password", {"password": "typed by the admin"})
    assert typed.status_code == 200 and "temporary-secret" not in typed.text
    user = store.get_user(bob.user.id)
    assert user is not None and verify_password(user.password_hash, "typed by the admin")
    weak = ann.post(f"/admin/users/{bob.user.id}/password", {"password": "bob"})
    assert weak.status_code == 400 and "12 to 1024" in weak.text
    resets = store.list_audit(record_type="user", record_id=bob.user.id)
    assert [a.detail for a in resets].count("password_reset") == 2  # not the refused one
    assert all(a.user_id == ann.user.id for a in resets if a.detail == "password_reset")


def test_remove_is_refused_for_an_owner_of_clients(
    ann: Browser, bob: Browser, store: Store
) -> None:
    assert bob.user is not None and ann.user is not None
    client = bob.add_client("Wren")
    ann.refresh_token("/admin/users")
    refused = ann.post(f"/admin/users/{bob.user.id}/remove")
    assert refused.status_code == 409 and "transfer or erase" in refused.text
    assert "Wren" not in refused.text
    assert store.get_client(bob.user.id, client) is not None
    assert ann.post(f"/admin/users/{ann.user.id}/remove").status_code == 400  # not oneself


def test_remove_an_account_without_clients(ann: Browser, bob: Browser, store: Store) -> None:
    assert bob.user is not None
    ann.refresh_token("/admin/users")
    assert ann.post(f"/admin/users/{bob.user.id}/remove").status_code == 303
    assert "bob" not in ann.http.get("/admin/users").text
    assert bob.http.get("/clients", follow_redirects=False).status_code in (303, 307)
    assert bob.login("bob", PASSWORD).status_code == 401
    [removed] = [a for a in store.list_audit(record_id=bob.user.id) if a.action == "delete"]
    assert (removed.record_type, removed.detail, removed.user_id) == ("user", "removed", 1)
