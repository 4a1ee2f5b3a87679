"""The admin's accounts page in headless Chromium: ann (the admin) disables bob, whose
open page is signed out at once; enables him, gives him a temporary password he signs in
with; bob is shown no Accounts link and gets 404 for the page. No console errors, no CSP
violations, nothing fetched from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page
from tests.web.test_browser import PASSWORD, _open, _screenshot, _serve

pytestmark = pytest.mark.slow


@pytest.fixture
def base(make_app: Any, users: dict[str, Any]) -> Iterator[str]:
    with _serve(make_app()) as url:
        yield url


def _sign_in(page: Page, base: str, name: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/clients")


def test_admin_disables_enables_and_resets_an_account(
    chromium: Browser, base: str, users: dict[str, Any], tmp_path: Path
) -> None:
    admin = _open(chromium, {"width": 1280, "height": 900})
    bob = _open(chromium, {"width": 1280, "height": 900})
    _sign_in(admin.page, base, "ann")
    _sign_in(bob.page, base, "bob")
    assert bob.page.locator("a[href='/admin/users']").count() == 0
    response = bob.page.goto(f"{base}/admin/users")
    assert response is not None and response.status == 404
    bob.errors.clear()  # that 404 was asked for

    admin.page.click("a[href='/admin/users']")
    admin.page.wait_for_url(f"{base}/admin/users")
    row = f"#account-{users['bob'].id}"
    assert admin.page.inner_text(f"{row} .state") == "active"
    admin.page.click(f"{row} button[name=disable]")
    admin.page.wait_for_url(f"{base}/admin/users")
    assert admin.page.inner_text(f"{row} .state") == "disabled"
    bob.page.reload()
    assert "/login" in bob.page.url  # signed out at once

    admin.page.click(f"{row} button[name=enable]")
    admin.page.wait_for_url(f"{base}/admin/users")
    admin.page.click(f"{row} button[name=reset]")  # left empty: a temporary password
    temporary = admin.page.inner_text("#temporary-secret").strip()
    assert len(temporary) >= 20
    _screenshot(admin.page, tmp_path, "admin-users.png")
    admin.page.goto(f"{base}/admin/users")
    assert temporary not in admin.page.content()  # shown once

    _sign_in(bob.page, base, "bob", temporary)
    assert "bob" in bob.page.inner_text("header")
    for watched in (admin, bob):
        assert watched.errors == []
        assert all(url.startswith(base) for url in watched.requests)
        watched.page.context.close()
