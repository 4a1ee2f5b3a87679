"""The report in a real headless Chromium: charts draw, nothing errors, nothing injected runs."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, Request, sync_playwright

from edgewise.analysis.results import SessionAnalysis
from edgewise.domain import CodedSession
from edgewise.report import render_report

CANVASES = ("chart-timeline", "chart-quadrant", "chart-trend")
CHROMIUM = "/usr/bin/chromium"

#: Non-transparent pixels on a canvas (Chart.js draws into its 2D context).
PAINTED_PIXELS = """(id) => {
  const c = document.getElementById(id);
  const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) painted++; }
  return {painted, width: c.width, height: c.height};
}"""


@dataclass
class Loaded:
    """A page that finished drawing, and everything it reported while loading."""

    page: Page
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module (the system's; Playwright downloads nothing)."""
    executable = shutil.which("chromium") or CHROMIUM
    if not Path(executable).exists():
        pytest.fail(
            "Chromium not found (looked for `chromium` on PATH and /usr/bin/chromium): the report "
            "tests need it; install it with `apt-get install chromium` (the README's test command "
            "does this)."
        )
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True)
        yield launched
        launched.close()


def _load(browser: Browser, html: str, path: Path) -> Loaded:
    """Open ``html`` from a file:// URL and wait until report.js says the charts are ready."""
    path.write_text(html, encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, reduced_motion="reduce")
    loaded = Loaded(page)

    def on_console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            loaded.errors.append(f"console {message.type}: {message.text}")

    def on_dialog(dialog: Dialog) -> None:
        loaded.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request: Request) -> None:
        loaded.requests.append(request.url)

    page.on("console", on_console)
    page.on("pageerror", lambda error: loaded.errors.append(f"page error: {error}"))
    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.goto(path.as_uri())
    _wait_until(page, "window.edgewiseChartsReady === true", 10_000)
    return loaded


def _wait_until(page: Page, expression: str, timeout_ms: int = 5_000) -> None:
    """Poll ``expression`` until truthy (page.evaluate: the page's CSP forbids eval, which
    Playwright's wait_for_function uses while polling)."""
    for _ in range(timeout_ms // 25):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(25)
    raise AssertionError(f"still false after {timeout_ms} ms: {expression}")


def _screenshot(page: Page, tmp_path: Path, name: str) -> None:
    """A full-page screenshot in tmp_path and, when set, in $EDGEWISE_SCREENSHOT_DIR."""
    page.screenshot(path=str(tmp_path / name), full_page=True)
    assert (tmp_path / name).stat().st_size > 10_000
    out = os.environ.get("EDGEWISE_SCREENSHOT_DIR")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(out) / name), full_page=True)


@pytest.fixture(scope="module")
def report(
    browser: Browser,
    tmp_path_factory: pytest.TempPathFactory,
    report_coded: CodedSession,
    report_analysis: SessionAnalysis,
) -> Iterator[Loaded]:
    """The sample session's report, loaded once for the module."""
    html = render_report(report_coded, report_analysis, challenge_high=0.3)
    loaded = _load(browser, html, tmp_path_factory.mktemp("report") / "report.html")
    yield loaded
    loaded.page.close()


def test_every_chart_is_created_and_drawn(report: Loaded, tmp_path: Path) -> None:
    page = report.page
    assert sorted(page.evaluate("Object.keys(window.edgewiseCharts)")) == sorted(CANVASES)
    for canvas in CANVASES:
        drawn = page.evaluate(PAINTED_PIXELS, canvas)
        assert drawn["width"] > 100 and drawn["height"] > 100, canvas
        assert drawn["painted"] > 2_000, f"{canvas} looks blank: {drawn}"
    _screenshot(page, tmp_path, "report.png")


def test_no_errors_and_no_network(report: Loaded) -> None:
    assert report.errors == []
    assert report.requests, "the page itself should have been requested"
    assert all(url.startswith("file://") for url in report.requests), report.requests


def test_injected_markup_shows_as_text_and_never_runs(
    report: Loaded, report_hostile: tuple[str, str]
) -> None:
    page = report.page
    hostile, hostile_close = report_hostile
    assert page.evaluate("typeof window.__edgewisePwned") == "undefined"
    assert report.dialogs == []
    assert page.evaluate("document.scripts.length") == 3
    assert page.evaluate("document.images.length") == 0
    assert hostile in page.inner_text("#u3")
    assert hostile_close in page.inner_text("#u9")
    assert "<b>too</b>" in page.inner_text("#u19")
    assert page.title() == "Session report: sleep & phone <demo>"


def test_turn_links_jump_to_the_transcript(report: Loaded) -> None:
    page = report.page
    page.click('#moments a[href="#u13"]')
    assert page.evaluate("location.hash") == "#u13"
    assert page.is_visible("#u13")


def test_empty_session_draws_no_chart_and_errors_nowhere(
    browser: Browser,
    tmp_path: Path,
    report_coded_empty: CodedSession,
    report_analysis_empty: SessionAnalysis,
) -> None:
    html = render_report(report_coded_empty, report_analysis_empty)
    loaded = _load(browser, html, tmp_path / "empty.html")
    page = loaded.page
    try:
        assert loaded.errors == []
        assert page.evaluate("Object.keys(window.edgewiseCharts).length") == 0
        assert page.evaluate("document.querySelectorAll('canvas').length") == 0
        assert page.is_visible("#timeline .empty")
        assert "Not enough talk to measure." in page.inner_text("#timeline")
        assert "Not enough talk to measure." in page.inner_text("#quadrant")
        assert "Not enough talk to measure." in page.inner_text("#trend")
        _screenshot(page, tmp_path, "report-empty.png")
    finally:
        page.close()


#: Page coordinates of point ``index`` of dataset ``dataset`` on chart ``id``.
POINT_AT = """([id, dataset, index]) => {
  const chart = window.edgewiseCharts[id];
  const el = chart.getDatasetMeta(dataset).data[index];
  const box = chart.canvas.getBoundingClientRect();
  return {x: box.left + el.x, y: box.top + el.y};
}"""


@pytest.mark.parametrize(
    ("chart", "dataset", "index", "turn"),
    [
        ("chart-timeline", 0, 3, 6),  # support line, 4th therapist turn
        ("chart-timeline", 5, 0, 18),  # the 'overwhelmed' reply marker
        ("chart-quadrant", 1, 0, None),  # the whole-session point
        ("chart-trend", 0, 1, None),  # change talk in the middle third
    ],
)
def test_tooltips_and_clicks_work(
    report: Loaded, chart: str, dataset: int, index: int, turn: int | None
) -> None:
    page = report.page
    page.evaluate(
        "(id) => { history.replaceState(null, '', location.pathname);"
        " document.getElementById(id).scrollIntoView({block: 'center'}); }",
        chart,
    )
    point = page.evaluate(POINT_AT, [chart, dataset, index])
    page.mouse.move(point["x"], point["y"])
    active = f"window.edgewiseCharts['{chart}'].tooltip.getActiveElements().length"
    _wait_until(page, f"{active} > 0")
    if turn is not None:
        page.mouse.click(point["x"], point["y"])
        # Chart.js handles events on the next animation frame.
        _wait_until(page, f"location.hash === '#u{turn}'")
    assert report.errors == []


#: The tooltip's title and body lines as drawn, once it is showing.
TOOLTIP_TEXT = """(id) => {
  const tip = window.edgewiseCharts[id].tooltip;
  return {title: tip.title, lines: tip.body.flatMap((b) => b.lines)};
}"""


@pytest.mark.parametrize(
    ("dataset", "index", "title", "line"),
    [
        (0, 3, "Turn 7", "Support"),  # utterance 6, the 4th therapist turn
        (5, 0, "Turn 19", "(turn 20)"),  # the challenge at utterance 18, the reply at 19
    ],
)
def test_timeline_numbers_turns_from_1(
    report: Loaded, dataset: int, index: int, title: str, line: str
) -> None:
    """Axis and tooltips read turn numbers from 1; a click still jumps to the row's anchor."""
    page = report.page
    page.evaluate(
        "() => { history.replaceState(null, '', location.pathname);"
        " document.getElementById('chart-timeline').scrollIntoView({block: 'center'}); }"
    )
    assert page.evaluate("window.edgewiseCharts['chart-timeline'].scales.x.min") == 1
    point = page.evaluate(POINT_AT, ["chart-timeline", dataset, index])
    page.mouse.move(point["x"], point["y"])
    active = "window.edgewiseCharts['chart-timeline'].tooltip.getActiveElements().length"
    _wait_until(page, f"{active} > 0")
    shown = page.evaluate(TOOLTIP_TEXT, "chart-timeline")
    assert shown["title"] == [title], shown
    assert any(line in text for text in shown["lines"]), shown
    page.mouse.click(point["x"], point["y"])
    anchor = int(title.split()[1]) - 1
    _wait_until(page, f"location.hash === '#u{anchor}'")
    assert page.inner_text(f"#u{anchor} td.num") == str(anchor + 1)
    assert report.errors == []
