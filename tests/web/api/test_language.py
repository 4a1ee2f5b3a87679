"""Drafts and saved language over the API: drafts cite turns from 1, saved language is
the author's until shared (another's unshared entry is a 404), only the author changes
it (403 E461), bad language is 400 E460; on SQLite and on the real PostgreSQL server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from tests.web.conftest import FakeCoder

from edgewise.domain import CodedSession, Session, UtteranceCode
from edgewise.store import Store

Api = Any
pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)


class PartsCoder(FakeCoder):
    """FakeCoder, with client turns that say "don't" or "hard" coded sustain talk."""

    def code_session(self, session: Session, _embeddings: object = None) -> CodedSession:
        coded = super().code_session(session)
        codes = tuple(
            UtteranceCode(index=c.index, talk_type="sustain", model=self.model)
            if c.talk_type and any(w in u.text.lower() for w in ("don't", "hard"))
            else c
            for c, u in zip(coded.codes, session.utterances, strict=True)
        )
        return CodedSession(session=session, codes=codes)


@pytest.fixture
def fake_app(make_app: Any) -> FastAPI:
    """The app analysing inline with :class:`PartsCoder`."""
    return make_app(coder_factory=PartsCoder)


def _session(api: Api, short_session: Path) -> tuple[int, int]:
    client_id = api.add_client("Wren")
    uploaded = api.upload(client_id, short_session)
    assert uploaded.status_code == 202, uploaded.text
    return client_id, int(uploaded.json()["sessions"][0]["id"])


def test_drafts_then_save_edit_share(
    ann_api: Api, bob_api: Api, store: Store, short_session: Path
) -> None:
    client_id, session_id = _session(ann_api, short_session)
    found = ann_api.get(f"/sessions/{session_id}/drafts")
    assert found.status_code == 200, found.text
    drafts = found.json()["drafts"]
    assert drafts and all(len(d["citations"]) >= 2 for d in drafts)
    first = drafts[0]
    turns = [{"session_id": session_id, "turn": c["turn"]} for c in first["citations"]]
    body = {"text": "My own words.", "kind": first["kind"], "session_id": session_id}
    saved = ann_api.post(f"/clients/{client_id}/language", json=body | {"turns": turns})
    assert saved.status_code == 201, saved.text
    entry = saved.json()
    assert entry["mine"] and not entry["shared"]
    assert [t["turn"] for t in entry["turns"]] == [c["turn"] for c in first["citations"]]
    store.share_client(ann_api.user.id, client_id, bob_api.user.id, can_write=False)
    assert bob_api.get(f"/clients/{client_id}/language").json() == []
    assert bob_api.get(f"/language/{entry['id']}").status_code == 404
    shared = ann_api.request("PATCH", f"/language/{entry['id']}", json={"shared": True})
    assert shared.status_code == 200 and shared.json()["shared"]
    seen = bob_api.get(f"/clients/{client_id}/language").json()
    assert [e["id"] for e in seen] == [entry["id"]] and not seen[0]["mine"]
    refused = bob_api.request("PATCH", f"/language/{entry['id']}", json={"text": "mine"})
    assert refused.status_code == 403 and "E461" in refused.text
    gone = ann_api.request("DELETE", f"/language/{entry['id']}")
    assert gone.status_code == 204
    assert ann_api.get(f"/clients/{client_id}/language").json() == []
    assert ann_api.get(f"/clients/{client_id}/drafts").status_code == 200


def test_bad_language_is_refused(ann_api: Api, short_session: Path) -> None:
    client_id, session_id = _session(ann_api, short_session)
    clinician_turn = {"session_id": session_id, "turn": 1}
    bad = ann_api.post(
        f"/clients/{client_id}/language", json={"text": "x", "turns": [clinician_turn]}
    )
    assert bad.status_code == 400 and "E460" in bad.text
    assert ann_api.post(f"/clients/{client_id}/language", json={"text": ""}).status_code == 422


def test_a_stranger_gets_404(ann_api: Api, bob_api: Api, short_session: Path) -> None:
    client_id, session_id = _session(ann_api, short_session)
    assert bob_api.get(f"/sessions/{session_id}/drafts").status_code == 404
    assert bob_api.get(f"/clients/{client_id}/language").status_code == 404
    saved = bob_api.post(f"/clients/{client_id}/language", json={"text": "x"})
    assert saved.status_code == 404
