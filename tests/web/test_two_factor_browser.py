"""Two-factor sign-in in headless Chromium: ann opens Two-factor, scans (reads) the QR
code's secret, confirms with a code computed by pyotp, sees her recovery codes once,
signs out, signs in with her password and then a code, and reaches her caseload. The QR
code is drawn (an SVG image of this site's page, nothing fetched elsewhere); no console
errors, no CSP violations; screenshots of each step."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import Browser
from tests.web.test_browser import PASSWORD, _open, _screenshot, _serve

pytestmark = pytest.mark.slow


@pytest.fixture
def base(make_app: Any, users: dict[str, Any]) -> Iterator[str]:
    with _serve(make_app()) as url:
        yield url


def test_enrol_sign_out_and_sign_in_with_a_code(
    chromium: Browser, base: str, tmp_path: Path
) -> None:
    watched = _open(chromium, {"width": 1280, "height": 900})
    page = watched.page
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "ann")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/clients")

    page.click("a[href='/account/two-factor']")
    page.wait_for_url(f"{base}/account/two-factor")
    assert page.inner_text("#two-factor-state").startswith("Signing in asks for your password")
    page.click("button[name=start]")
    page.wait_for_url(f"{base}/account/two-factor")
    drawn = page.evaluate(
        "() => { const i = document.getElementById('totp-qr');"
        " return [i.complete, i.naturalWidth, i.naturalHeight]; }"
    )
    assert drawn[0] and drawn[1] >= 100 and drawn[1] == drawn[2], drawn
    secret = page.inner_text("#totp-secret").replace(" ", "")
    assert len(secret) == 32
    _screenshot(page, tmp_path, "two-factor-scan.png")

    page.fill("#confirm-code", pyotp.TOTP(secret).now())
    page.click("button[name=confirm]")
    page.wait_for_selector("#recovery-codes")
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    assert page.inner_text("#codes-left") == "10"
    _screenshot(page, tmp_path, "two-factor-recovery-codes.png")
    page.goto(f"{base}/account/two-factor")
    assert codes[0] not in page.content() and secret not in page.content()  # shown once

    page.click("button[title^='Ends your sign-in']")  # sign out everywhere
    page.wait_for_url(f"{base}/login")
    page.fill("input[name=username]", "ann")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/login/code")
    _screenshot(page, tmp_path, "two-factor-sign-in-code.png")
    # the enrolment took the current step's code: the next one (one step ahead is allowed)
    page.fill("input[name=code]", pyotp.TOTP(secret).at(time.time() + 30))
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/clients")
    assert "ann" in page.inner_text("header")
    _screenshot(page, tmp_path, "two-factor-signed-in.png")

    assert watched.errors == []
    assert all(url.startswith(base) or url.startswith("data:") for url in watched.requests)
    page.context.close()
