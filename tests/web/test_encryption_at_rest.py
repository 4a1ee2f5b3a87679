"""The raw-file test of encryption at rest: after uploads, analysis, a PHQ-9 with a safety
alert and a GAD-7 through the web app, no transcript phrase, alias, measure answer or
alert text is in the SQLite file, its WAL or any file of the data folder, nor in any
text column of any table as the PostgreSQL server stores it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from edgewise.store import Store

Web = Any  # the conftest Browser helper

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)

ALIAS = "Ottoline Featherstonehaugh"
PHRASES = ("tangerine observatory", "my grandmother's accordion", "the Halvorsen ferry")
SESSION = """T: What brings you in this week?
C: I keep thinking about the tangerine observatory we visited as kids.
T: That place still matters to you.
C: It does. And my grandmother's accordion, I want to learn to play it again.
T: You'd like to pick it up again.
C: I could start on the Halvorsen ferry rides, I take them every morning.
"""


def _secrets(store: Store, owner: int, client_id: int) -> list[str]:
    """What must never be stored in clear: the alias, phrases, answers and alert texts."""
    found = [ALIAS, *PHRASES]
    for response in store.list_measure_responses(owner, client_id):
        found.append(response.answers_json)
    for alert in store.list_alerts(owner, client_id):
        found.append(alert.reason)
    for session in store.list_sessions(owner, client_id):
        full = store.get_session(owner, session.id, with_transcript=True)
        assert full is not None and full.analysis_json
        found.append(full.analysis_json[:80])  # the analysis JSON's opening, in clear
    return found


def _workflow(ann: Web) -> int:
    client_id = ann.add_client(ALIAS)
    upload = ann.upload_text(client_id, "tuesday-session.txt", SESSION)
    assert upload.status_code == 303, upload.text
    session_id = int(upload.headers["location"].rsplit("/", 1)[1])
    assert ann.http.get(f"/sessions/{session_id}/status").json()["status"] == "done"
    assert ann.phq9(client_id, 17, item9=2).status_code == 303  # a safety alert
    ann.measure(client_id, 2, key="gad7", items=7)
    for url in (f"/clients/{client_id}", f"/sessions/{session_id}", "/clients?q=feather"):
        page = ann.http.get(url)
        assert page.status_code == 200 and ALIAS in page.text, url
    return client_id


def test_no_health_data_in_the_raw_files_or_columns(
    ann: Web, store: Store, backend: str, tmp_path: Path
) -> None:
    assert ann.user is not None
    client_id = _workflow(ann)
    secrets = _secrets(store, ann.user.id, client_id)
    assert len(secrets) >= 7 and any("item" in s or "[" in s for s in secrets)
    needles = [s.encode("utf-8") for s in secrets if len(s) >= 6]
    if backend == "sqlite":
        folder = Path(str(store.engine.url.database)).parent
        files = [p for p in folder.rglob("*") if p.is_file()]
        assert any(p.name.endswith(".db") for p in files)
        for path in files:
            raw = path.read_bytes()
            found = [n.decode() for n in needles if n in raw]
            assert not found, (path.name, found)
            if path.suffix == ".db" or path.name.endswith(("-wal", ".db-shm")):
                assert path.stat().st_mode & 0o077 == 0, path.name
        return
    columns = """SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'json',
        'jsonb')"""
    with store.engine.connect() as conn:
        stored = []
        for table, column in conn.execute(text(columns)).all():
            query = text(f'SELECT "{column}"::text FROM "{table}"')
            stored += [(table, column, v) for (v,) in conn.execute(query) if v]
    assert any(table == "clients" for table, _c, _v in stored)
    leaks = [(t, c) for t, c, v in stored for s in secrets if len(s) >= 6 and s in v]
    assert not leaks
