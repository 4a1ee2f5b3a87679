"""The journal in headless Chromium: ann notes two signals pinned to turns, answers an
exercise with the evidence from her sessions beside it, shares one entry that bob (a
read-only supervisor) then sees without the other, and sees the mirror of a seeded
set of sessions above the minimum. Screenshots saved; no console errors, no CSP
violations, nothing fetched from elsewhere."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from tests.journal_seed import KeywordCoder, seed_session, session_text
from tests.web.conftest import SECRET
from tests.web.test_browser import PASSWORD, _open, _screenshot, _serve

from edgewise.journal.mirror import MIN_SESSIONS
from edgewise.services import journal
from edgewise.services.actor import Actor
from edgewise.store import Store, UserRecord
from edgewise.web import create_app

pytestmark = pytest.mark.slow

NOTE = "my chest went tight as I gave the advice"


@pytest.fixture
def seeded(store: Store, users: dict[str, UserRecord]) -> tuple[int, int]:
    """ann's client with MIN_SESSIONS analysed sessions; the first without entries (the
    browser notes there), the others each with one urge noted."""
    ann = Actor(users["ann"].id)
    client = store.add_client(ann.require_user(), "Wren")
    store.share_client(ann.require_user(), client.id, users["bob"].id, can_write=False)
    first = seed_session(store, ann.require_user(), client.id, session_text("pushed"))
    for i in range(MIN_SESSIONS - 1):
        fix = i % 2 == 0
        text = session_text("pushed" if fix else "met", advice=fix)
        row = seed_session(store, ann.require_user(), client.id, text)
        journal.add_entry(store, ann, row.id, "urge", "fix" if fix else "back_off", 3)
    return client.id, first.id


@pytest.fixture
def base(store: Store, seeded: tuple[int, int]) -> Iterator[str]:
    app = create_app(store, secret_key=SECRET, analyse_inline=True, coder_factory=KeywordCoder)
    with _serve(app) as url:
        yield url


def _sign_in(page: Page, base: str, name: str = "ann") -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_url(f"{base}/clients")


def _note(page: Page, signal: str, turn: str, intensity: str, note: str) -> None:
    page.select_option("#journal-form select[name=signal]", signal)
    page.check(f"#journal-form input[name=intensity][value='{intensity}']")
    page.select_option("#journal-form select[name=turn]", turn)
    page.fill("#journal-form textarea[name=note]", note)
    page.click("#journal-form button[type=submit]")
    page.wait_for_selector("#journal-entries")


def test_journal_exercise_and_mirror(
    chromium: Browser, base: str, seeded: tuple[int, int], tmp_path: Path, store: Store
) -> None:
    client_id, session_id = seeded
    watched = _open(chromium, {"width": 1280, "height": 900})
    page = watched.page
    _sign_in(page, base)

    page.goto(f"{base}/sessions/{session_id}")
    page.click("#journal-link")
    page.wait_for_url(f"{base}/sessions/{session_id}/journal")
    _note(page, "urge.fix", "3", "4", "")
    _note(page, "body.chest_tight", "3", "5", NOTE)
    entries = page.locator("#journal-entries li")
    assert entries.count() == 2
    text = page.inner_text("#journal-entries")
    assert "Urge: To fix" in text and "Body sensation: Tight chest" in text and NOTE in text
    assert page.locator("#journal-entries a[href$='#turn-3']").count() == 2
    _screenshot(page, tmp_path, "journal-session.png")
    page.click("#journal-entries li:last-child button.share")  # share the one with the note
    page.wait_for_selector("#journal-entries .tag.shared")
    assert page.locator("#journal-entries .tag.private").count() == 1

    supervisor = _open(chromium, {"width": 1280, "height": 900})
    _sign_in(supervisor.page, base, "bob")
    supervisor.page.goto(f"{base}/sessions/{session_id}/journal")
    seen = supervisor.page.inner_text("#journal-entries")
    assert NOTE in seen and "shared by ann" in seen and "Urge: To fix" not in seen
    assert supervisor.page.locator("#journal-entries button").count() == 0
    _screenshot(supervisor.page, tmp_path, "journal-supervisor.png")

    page.goto(f"{base}/clients/{client_id}")
    page.click("#reflect-client")
    page.wait_for_selector("#evidence-defence")
    evidence = page.inner_text("#evidence-defence")
    assert "met with support: 0" in evidence and "pushed on: 6" in evidence
    talk = page.inner_text("#evidence-client_signals")
    assert "Wren" in talk and "Change talk" in talk
    form = "#question-defence form.answer-form"
    page.fill(f"{form} textarea[name=answer]", "With Wren I keep going when she bristles.")
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("#question-defence .answers")
    assert "I keep going when she bristles" in page.inner_text("#question-defence .answers")
    _screenshot(page, tmp_path, "journal-exercise.png")

    page.click("header a[href='/reflect']")
    page.click("#mirror-link")
    page.wait_for_selector("#mirror-table")
    row = page.inner_text("#mirror-urge-fix")
    assert "6/6" in row
    assert f"{MIN_SESSIONS} analysed sessions" in page.inner_text("#mirror-sessions")
    _screenshot(page, tmp_path, "journal-mirror.png")

    for each in (watched, supervisor):
        assert each.errors == []
        assert all(url.startswith(base) for url in each.requests)
    supervisor.page.context.close()
    assert all(NOTE not in (a.detail or "") for a in store.list_audit())
    watched.page.context.close()
