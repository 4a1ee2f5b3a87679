"""De-identify before storing, in headless Chromium: ann signs in, adds a client, uploads
the bundled names-only example with the box ticked, and the session page shows the
pseudonyms stored in place of the speakers' names (Dana, Marcus), which appear nowhere on
the page or in its report. Screenshots saved; no console errors, no CSP violations,
nothing fetched from elsewhere. Skipped without the deid extra (presidio, the spaCy
model)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from playwright.sync_api import Browser
from tests.web.test_browser import _open, _screenshot, _serve
from tests.web.test_journal_browser import _sign_in

from edgewise.deid import extra_installed
from edgewise.services.stored import load_transcript
from edgewise.store import Store, UserRecord

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not extra_installed(),
        reason="the deid extra (presidio, the spaCy model) is not installed",
    ),
]

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "session-names-only.txt"
#: The example's speakers, named in its text too ("Hi Marcus").
NAMES = ("Dana", "Marcus")


@pytest.fixture
def base(fake_app: FastAPI, users: dict[str, UserRecord]) -> Iterator[str]:
    """The app coding with the rule-based FakeCoder, analysing inline; its base URL."""
    with _serve(fake_app) as url:
        yield url


def test_upload_de_identified_and_see_the_pseudonyms(
    chromium: Browser, base: str, tmp_path: Path, store: Store, users: dict[str, UserRecord]
) -> None:
    assert all(name in EXAMPLE.read_text(encoding="utf-8") for name in NAMES)
    watched = _open(chromium, {"width": 1280, "height": 900})
    page = watched.page
    _sign_in(page, base)
    page.fill("input[name=alias]", "Client W")
    page.click("text=Add client")
    page.wait_for_url("**/clients/*")

    page.click("text=Upload a session")
    page.set_input_files("input[name=transcript]", str(EXAMPLE))
    box = page.locator("input[type=checkbox][name=deidentify]")
    assert box.is_enabled() and not box.is_checked()
    box.check()
    assert "Only the de-identified text is stored" in page.inner_text("#deid-help")
    _screenshot(page, tmp_path, "upload-deidentify.png", full=False)
    page.click("text=Upload and analyse")
    page.wait_for_url("**/sessions/*")
    page.wait_for_selector("#report-frame", timeout=60_000)

    [row] = store.list_sessions(users["ann"].id, store.list_clients(users["ann"].id)[0].id)
    stored = store.get_session(users["ann"].id, row.id, with_transcript=True)
    assert stored is not None and stored.transcript is not None
    assert stored.source_name == "de-identified.txt"
    said = load_transcript(stored.transcript, stored.id)
    speakers = {u.speaker for u in said.utterances}
    assert len(speakers) == 2 and not speakers & set(NAMES), speakers

    shown = page.inner_text("table.transcript")
    assert all(speaker in shown for speaker in speakers)  # the pseudonyms, on the page
    report = next(f for f in page.frames if f.url.endswith("/report"))
    for text in (page.content(), report.content()):
        assert not [name for name in NAMES if name in text]
    _screenshot(page, tmp_path, "session-deidentified.png")

    assert watched.errors == []
    assert all(url.startswith(base) for url in watched.requests), watched.requests
    page.close()
