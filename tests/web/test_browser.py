"""End to end in headless Chromium: sign in, add a client, upload, see the analysis, enter
PHQ-9 twice (improvement and deterioration), see the notice or alert and the chart drawn;
a transcript risk flag on the client page and the caseload until reviewed, and the PHQ-9
item 9 safety alert.

The system's Chromium (/usr/bin/chromium) is driven by Playwright (it downloads nothing);
uvicorn serves the app from a thread on a free port of 127.0.0.1. Screenshots go to the
test's tmp folder and to $EDGEWISE_SCREENSHOT_DIR when set.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from playwright.sync_api import Browser, ConsoleMessage, Page

from edgewise.coding.flags import RISK_NOTICE
from edgewise.store import Store

pytestmark = pytest.mark.slow

PASSWORD = "correct horse battery"

#: Non-transparent pixels on a canvas (Chart.js draws into its 2D context).
PAINTED = """(id) => {
  const c = document.getElementById(id);
  if (!c) { return {painted: -1}; }
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return {painted, width: c.width, height: c.height};
}"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def _serve(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn in a thread; its base URL."""
    port = _free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.fixture
def server(make_app: Any, users: dict[str, Any]) -> Iterator[str]:
    """The app (background analysis) served by uvicorn in a thread; its base URL."""
    with _serve(make_app(analyse_inline=False)) as base:
        yield base


@pytest.fixture
def risk_server(fake_app: FastAPI, users: dict[str, Any]) -> Iterator[str]:
    """The app coding with the rule-based FakeCoder (no model), served; its base URL."""
    with _serve(fake_app) as base:
        yield base


@pytest.fixture(scope="module")
def browser(chromium: Browser) -> Browser:
    """One headless Chromium for the module (the system's; ``chromium`` in conftest)."""
    return chromium


@dataclass
class Watched:
    """A page and everything it complained about or asked for."""

    page: Page
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def _open(browser: Browser, viewport: dict[str, int]) -> Watched:
    page = browser.new_page(viewport=viewport, reduced_motion="reduce")  # type: ignore[arg-type]
    watched = Watched(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            watched.errors.append(f"console {message.type}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: watched.errors.append(f"page error: {error}"))
    page.on("request", lambda request: watched.requests.append(request.url))
    page.on(
        "response",
        lambda r: watched.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None,
    )
    return watched


def _wait_until(page: Any, expression: str, timeout_ms: int = 10_000) -> None:
    """Poll with evaluate (the pages' CSP forbids the eval that wait_for_function uses)."""
    for _ in range(timeout_ms // 50):
        if page.evaluate(expression):
            return
        time.sleep(0.05)
    raise AssertionError(f"still false after {timeout_ms} ms: {expression}")


def _painted(page: Any, canvas: str) -> int:
    drawn = page.evaluate(PAINTED, canvas)
    painted: int = drawn["painted"]
    return painted


def _screenshot(page: Page, tmp_path: Path, name: str, *, full: bool = True) -> None:
    page.screenshot(path=str(tmp_path / name), full_page=full)
    assert (tmp_path / name).stat().st_size > 10_000
    out = os.environ.get("EDGEWISE_SCREENSHOT_DIR")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / name), full_page=full)


def _sign_in(page: Page, base: str) -> None:
    page.goto(f"{base}/clients")
    assert "/login" in page.url
    page.fill("input[name=username]", "ann")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/clients")


def _add_client(page: Page, alias: str) -> None:
    page.fill("input[name=alias]", alias)
    page.click("text=Add client")
    page.wait_for_url("**/clients/*")


def _enter_phq9(page: Page, value: int) -> None:
    page.click("text=Enter PHQ-9")
    page.wait_for_url("**/measures/new?measure=phq9")
    for item in range(1, 10):
        page.click(f"label.option:has(input[name='item-{item}'][value='{value}'])")
    page.click("text=Save PHQ-9")
    page.wait_for_url("**/clients/*")


def test_clinician_journey(
    browser: Browser, server: str, zoom: Path, tmp_path: Path, store: Store
) -> None:
    watched = _open(browser, {"width": 1280, "height": 900})
    page = watched.page
    _sign_in(page, server)
    _add_client(page, "Walter K")

    page.click("text=Upload a session")
    page.set_input_files("input[name=transcript]", str(zoom))
    page.click("text=Upload and analyse")
    page.wait_for_url("**/sessions/*")
    page.wait_for_selector("#report-frame", timeout=60_000)  # session.js reloads when done
    frame = page.frame_locator("#report-frame")
    frame.locator("#chart-timeline").wait_for()
    report = next(f for f in page.frames if f.url.endswith("/report"))
    _wait_until(report, "window.edgewiseChartsReady === true")
    assert _painted(report, "chart-timeline") > 2_000
    sandboxed = "(() => { try { return document.cookie; } catch (e) { return 'blocked'; } })()"
    assert report.evaluate(sandboxed) == "blocked"  # no allow-same-origin: no cookies
    assert page.locator("table.transcript tbody tr").count() == 47
    _screenshot(page, tmp_path, "session.png")
    _screenshot(page, tmp_path, "session-top.png", full=False)

    page.select_option("select[name=code]", "reflection")
    page.click("text=Filter")
    page.wait_for_url("**code=reflection**")
    assert 0 < page.locator("table.transcript tbody tr").count() < 47

    page.click("text=Walter K")
    _enter_phq9(page, 2)
    _enter_phq9(page, 1)
    _wait_until(page, "window.edgewiseChartsReady === true")
    assert "Reliable change." in page.inner_text(".notices")
    assert "18 to 9" in page.inner_text(".notices")
    assert _painted(page, "chart-measure-phq9") > 2_000
    assert _painted(page, "chart-readiness") > 500 and _painted(page, "chart-stress") > 500
    _screenshot(page, tmp_path, "client-improved.png")

    page.click("text=Caseload")
    _add_client(page, "Dana R")
    _enter_phq9(page, 1)
    _enter_phq9(page, 2)
    _wait_until(page, "window.edgewiseChartsReady === true")
    alerts = page.inner_text("#alerts")
    assert "Reliable deterioration" in alerts and "9 to 18" in alerts
    assert _painted(page, "chart-measure-phq9") > 2_000
    _screenshot(page, tmp_path, "client-deteriorated.png")

    page.click("text=Caseload")
    # both answered item 9 above 0: a safety alert each (and Dana's deterioration)
    assert page.locator("span.badge.alert").count() == 2
    assert page.locator("a.marker.safety").count() == 2
    _screenshot(page, tmp_path, "caseload.png")

    assert watched.errors == []
    assert all(url.startswith(server) for url in watched.requests), watched.requests
    page.close()


def test_measure_form_on_a_tablet(
    browser: Browser, server: str, tmp_path: Path, store: Store
) -> None:
    watched = _open(browser, {"width": 820, "height": 1180})
    page = watched.page
    _sign_in(page, server)
    _add_client(page, "Tablet")
    page.click("text=Enter PHQ-9")
    page.wait_for_url("**/measures/new?measure=phq9")
    box = page.locator("label.option").first.bounding_box()
    assert box is not None and box["height"] >= 44 and box["width"] >= 120
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    _screenshot(page, tmp_path, "measure-tablet.png")
    assert watched.errors == []
    page.close()


ITEM_9 = "Thoughts that you would be better off dead or of hurting yourself in some way"


def _enter_phq9_item9(page: Page, item9: int) -> None:
    """PHQ-9 with items 1-8 answered 0 and item 9 answered ``item9``."""
    page.click("text=Enter PHQ-9")
    page.wait_for_url("**/measures/new?measure=phq9")
    for item in range(1, 10):
        value = item9 if item == 9 else 0
        page.click(f"label.option:has(input[name='item-{item}'][value='{value}'])")
    page.click("text=Save PHQ-9")
    page.wait_for_url("**/clients/*#alerts")


def test_risk_flag_and_safety_alert_until_reviewed(
    browser: Browser, risk_server: str, risk_session: Path, tmp_path: Path, store: Store
) -> None:
    watched = _open(browser, {"width": 1280, "height": 900})
    page = watched.page
    base = risk_server
    _sign_in(page, base)
    _add_client(page, "Robin S")

    page.click("text=Upload a session")
    page.set_input_files("input[name=transcript]", str(risk_session))
    page.click("text=Upload and analyse")
    page.wait_for_url("**/sessions/*")
    flagged = page.locator("#turn-2")
    assert flagged.locator("td.num").inner_text() == "2"
    assert "Risk language (screening)" in flagged.inner_text()
    assert RISK_NOTICE in page.inner_text("#transcript")

    page.click("text=Robin S")
    risk = page.locator("#risk")
    assert "Session 1" in risk.inner_text() and RISK_NOTICE in risk.inner_text()
    page.click("#risk a:has-text('Turn 2')")
    page.wait_for_url("**/sessions/*#turn-2")
    assert page.locator("#turn-2").is_visible()
    page.go_back()

    page.click("text=Caseload")
    marker = page.locator("a.marker.risk")
    assert marker.inner_text() == "Risk language (screening): 1 turn to review"
    _screenshot(page, tmp_path, "caseload-risk.png")

    marker.click()
    page.wait_for_url("**/clients/*#risk")
    _screenshot(page, tmp_path, "client-risk.png", full=False)
    page.click("#risk button:has-text('Mark reviewed')")
    page.wait_for_url("**/clients/*#risk")
    assert "No risk-flagged turns waiting for review." in page.inner_text("#risk")
    page.click("#risk summary")
    assert "turn 2: reviewed by ann" in page.inner_text("#risk")
    [audit] = store.list_audit(record_type="risk_flag")
    assert audit.detail is not None and audit.detail.endswith("turn=2")

    _enter_phq9_item9(page, 2)
    safety = page.locator(".alert-item.safety")
    text = safety.inner_text()
    assert "Safety item · PHQ-9" in text and ITEM_9 in text
    assert "\u201cMore than half the days\u201d (2)" in text and "not a risk assessment" in text
    _screenshot(page, tmp_path, "client-safety.png", full=False)

    page.click("text=Caseload")
    assert page.locator("a.marker.risk").count() == 0
    assert ITEM_9 in page.locator("a.marker.safety").inner_text()
    _screenshot(page, tmp_path, "caseload-safety.png")

    assert watched.errors == []
    assert all(url.startswith(base) for url in watched.requests), watched.requests
    page.close()
