"""The growing-edge page in headless Chromium: ann opens a session's drafts from the
session page, edits one into her own words and saves it; bob (a read-only supervisor)
does not see it until she shares it. Screenshots saved; no console errors, nothing
fetched from elsewhere, the words never in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from tests.journal_seed import KeywordCoder, seed_session, session_text
from tests.web.conftest import SECRET
from tests.web.test_browser import _open, _screenshot, _serve
from tests.web.test_journal_browser import _sign_in

from edgewise.store import Store, UserRecord
from edgewise.web import create_app

pytestmark = pytest.mark.slow

MINE = "Part of you wants the walks at night, and part of you can't see them working yet."


@pytest.fixture
def seeded(store: Store, users: dict[str, UserRecord]) -> int:
    """ann's client, shared read-only with bob, and one analysed session (its id)."""
    client = store.add_client(users["ann"].id, "Wren")
    store.share_client(users["ann"].id, client.id, users["bob"].id, can_write=False)
    return seed_session(store, users["ann"].id, client.id, session_text()).id


@pytest.fixture
def base(store: Store, seeded: int) -> Iterator[str]:
    app = create_app(store, secret_key=SECRET, analyse_inline=True, coder_factory=KeywordCoder)
    with _serve(app) as url:
        yield url


def test_edit_and_save_a_draft(
    chromium: Browser, base: str, seeded: int, tmp_path: Path, store: Store
) -> None:
    session_id = seeded
    watched = _open(chromium, {"width": 1280, "height": 900})
    page = watched.page
    _sign_in(page, base)
    page.goto(f"{base}/sessions/{session_id}")
    page.click("#drafts-link")
    page.wait_for_url(f"{base}/sessions/{session_id}/drafts")
    assert page.locator("li.draft").count() >= 2
    assert page.locator("li.draft .cited a[href*='#turn-']").count() >= 2
    _screenshot(page, tmp_path, "drafts-session.png")
    form = "li.draft:first-child form.draft-form"
    page.fill(f"{form} textarea[name=text]", MINE)
    page.click(f"{form} button[type=submit]")
    page.wait_for_selector("ul.saved-language li")
    assert MINE in page.inner_text("#saved")

    supervisor = _open(chromium, {"width": 1280, "height": 900})
    _sign_in(supervisor.page, base, "bob")
    supervisor.page.goto(f"{base}/sessions/{session_id}/drafts")
    assert MINE not in supervisor.page.inner_text("#saved")
    page.click("ul.saved-language li button.share")
    page.wait_for_selector("ul.saved-language li")
    supervisor.page.reload()
    assert MINE in supervisor.page.inner_text("#saved")
    assert supervisor.page.locator("ul.saved-language button").count() == 0
    _screenshot(page, tmp_path, "drafts-saved.png")

    for each in (watched, supervisor):
        assert each.errors == []
        assert all(url.startswith(base) for url in each.requests)
    supervisor.page.context.close()
    watched.page.context.close()
    assert all(MINE not in (a.detail or "") for a in store.list_audit())
