"""The action plan as a PDF download, on SQLite and PostgreSQL: linked from the plan page
and the goals page, an attachment read back with pypdf whose words are all on the plan
page (it carries nothing more: no alias, no session, nothing inferred); a stranger gets
404, a read-only colleague may download it (an export, as the other take-aways); signing
in is needed; audited with ids only."""

from __future__ import annotations

import html
import io
import re

import pytest
from pypdf import PdfReader
from tests.web.conftest import Browser

from edgewise.store import Store

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)

_WORD = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def _page_text(page: str) -> str:
    """The plan page's main part as text (tags off, entities read)."""
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    main = re.sub(r"<script.*?</script>", " ", main, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


def test_plan_pdf(ann: Browser, bob: Browser, anon: Browser, store: Store) -> None:
    client_id = ann.add_client("Wren")
    made = ann.post(
        f"/clients/{client_id}/goals", {"title": "Feel like me <again>", "value": "family & me"}
    )
    assert made.status_code == 303
    goal_id = made.headers["location"].rsplit("#goal-", 1)[1]
    steps = [
        {"what": "ring my sister", "when": "on Sunday", "due_on": "2024-05-12", "goal_id": goal_id},
        {"what": "walk to work — three mornings", "when": "weekly", "goal_id": goal_id},
        {"what": "book the café class", "due_on": "2024-05-20"},
        {"what": "stop buying wine"},
    ]
    ids = []
    for step in steps:
        added = ann.post(f"/clients/{client_id}/steps", step)
        assert added.status_code == 303
        ids.append(added.headers["location"].rsplit("-", 1)[1])
    assert ann.post(f"/steps/{ids[3]}", {"action": "done"}).status_code == 303

    page = ann.http.get(f"/clients/{client_id}/goals/plan").text
    assert f'href="/clients/{client_id}/goals/plan.pdf"' in page
    goals_page = ann.http.get(f"/clients/{client_id}/goals").text
    assert f'href="/clients/{client_id}/goals/plan.pdf"' in goals_page

    got = ann.http.get(f"/clients/{client_id}/goals/plan.pdf")
    assert got.status_code == 200 and got.headers["content-type"] == "application/pdf"
    assert got.headers["content-disposition"] == 'attachment; filename="action-plan.pdf"'
    assert got.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(got.content))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).replace("\x7f", " ").split())
    for words in (
        "Your action plan",
        "Feel like me <again>",
        "Why it matters to you: family & me",
        "ring my sister (on Sunday) by 2024-05-12",
        "walk to work — three mornings (weekly)",
        "Other steps",
        "book the café class by 2024-05-20",
        "Already done stop buying wine",
    ):
        assert words in text, words
    assert _words(text) <= _words(_page_text(page))  # nothing the page does not say
    assert "Wren" not in text and "Wren" not in str(reader.metadata)

    assert bob.http.get(f"/clients/{client_id}/goals/plan.pdf").status_code == 404
    assert (
        anon.http.get(f"/clients/{client_id}/goals/plan.pdf", follow_redirects=False).status_code
        == 303
    )
    store.share_client(ann.user.id, client_id, bob.user.id, can_write=False)  # type: ignore[union-attr]
    shared = bob.http.get(f"/clients/{client_id}/goals/plan.pdf")
    assert shared.status_code == 200 and shared.content.startswith(b"%PDF-")

    details = [a.detail or "" for a in store.list_audit()]
    assert details.count(f"client={client_id} plan pdf") == 2
    assert not any(w in " ".join(details) for w in ("sister", "wine", "café", "Feel"))
