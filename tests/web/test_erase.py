"""The erase form on the client page, on SQLite and PostgreSQL: owner only, the alias typed
to confirm, CSRF; afterwards nothing refers to the client, the audit log holds a
tombstone and never held the client's words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from edgewise.store import Store
from edgewise.store.tables import AuditEntry, Base

Web = Any  # the conftest Browser helper

pytestmark = pytest.mark.parametrize("backend", ["sqlite", "postgresql"], indirect=True)

ALIAS = "Zephyrine Quillfeather"
WORDS = ("marmalade", "lighthouse", "Quillfeather", "Zephyrine")
SESSION = """T: What would you like to talk about today?
C: The marmalade lighthouse promise I made to my sister. I want to keep it.
T: Keeping that promise matters to you.
C: It does. I could start this weekend, I think.
"""


def _referring(store: Store, client_id: int, session_ids: list[int]) -> list[str]:
    found = []
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_log":
                continue
            for column, ids in (("client_id", [client_id]), ("session_id", session_ids)):
                if (
                    column in table.c
                    and conn.execute(select(table).where(table.c[column].in_(ids))).first()
                ):
                    found.append(f"{table.name}.{column}")
    return found


def _audit_text(store: Store) -> str:
    with store.engine.connect() as conn:
        rows = conn.execute(select(AuditEntry)).all()
    return "\n".join(" ".join(str(v) for v in row) for row in rows)


def test_owner_erases_after_typing_the_alias(ann: Web, bob: Web, store: Store) -> None:
    client_id = ann.add_client(ALIAS)
    kept_id = ann.add_client("Other client")
    upload = ann.upload_text(client_id, "week.txt", SESSION)
    session_id = int(upload.headers["location"].rsplit("/", 1)[1])
    ann.upload_text(kept_id, "other.txt", SESSION.replace("marmalade", "velvet"))
    assert ann.http.get(f"/sessions/{session_id}/status").json()["status"] == "done"
    assert ann.phq9(client_id, 15, item9=1).status_code == 303  # a safety alert
    for url in (
        f"/clients/{client_id}",
        f"/sessions/{session_id}",
        f"/sessions/{session_id}/report",
    ):
        assert ann.http.get(url).status_code == 200, url
    assert ann.http.get(f"/clients/{client_id}/export.json").status_code == 200
    ann.post(f"/clients/{client_id}/share", {"username": "bob", "access": "read"})
    assert bob.http.get(f"/clients/{client_id}").status_code == 200
    assert "Erase this client" not in bob.http.get(f"/clients/{client_id}").text
    page = ann.http.get(f"/clients/{client_id}").text
    assert "Erase this client" in page and 'name="confirm_alias"' in page

    # the audit log after a whole workflow holds ids and actions, never the client's words
    text = _audit_text(store)
    assert str(client_id) in text
    assert not [w for w in WORDS if w.lower() in text.lower()]

    # a shared colleague cannot erase; a wrong alias erases nothing; no CSRF token: refused
    assert bob.post(f"/clients/{client_id}/erase", {"confirm_alias": ALIAS}).status_code == 404
    wrong = ann.post(f"/clients/{client_id}/erase", {"confirm_alias": "Zephyrine"})
    assert wrong.status_code == 400 and "E430" in wrong.text
    forged = ann.http.post(f"/clients/{client_id}/erase", data={"confirm_alias": ALIAS})
    assert forged.status_code in (400, 403)
    assert _referring(store, client_id, [session_id])

    done = ann.post(f"/clients/{client_id}/erase", {"confirm_alias": f"  {ALIAS} "})
    assert done.status_code == 303 and done.headers["location"] == "/clients?erased=1"
    caseload = ann.http.get("/clients?erased=1").text
    assert "record was erased" in caseload and ALIAS not in caseload
    assert ann.http.get(f"/clients/{client_id}").status_code == 404
    assert ann.http.get(f"/sessions/{session_id}").status_code == 404
    assert _referring(store, client_id, [session_id]) == []
    assert "Other client" in caseload  # the other client is intact
    assert len(store.list_sessions(ann.user.id, kept_id)) == 1
    deletes = [a for a in store.list_audit(record_type="client") if a.action == "delete"]
    assert [(a.user_id, a.record_id, a.detail) for a in deletes] == [
        (ann.user.id, client_id, "erased")
    ]
    assert not [w for w in WORDS if w.lower() in _audit_text(store).lower()]


def test_the_sqlite_file_keeps_no_trace(ann: Web, store: Store, backend: str) -> None:
    if backend != "sqlite":
        pytest.skip("reads the SQLite file")
    client_id = ann.add_client(ALIAS)
    ann.upload_text(client_id, "week.txt", SESSION)
    path = Path(str(store.engine.url.database))
    wal = path.with_name(path.name + "-wal")

    def raw() -> bytes:
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    # encrypted at rest (edgewise.store.crypto): never in the file, before erasure or after
    assert b"marmalade lighthouse" not in raw() and ALIAS.encode() not in raw()
    assert ann.post(f"/clients/{client_id}/erase", {"confirm_alias": ALIAS}).status_code == 303
    assert b"marmalade lighthouse" not in raw() and ALIAS.encode() not in raw()
