"""Erasure and the retention query, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from edgewise.store import NotFoundError, Store
from edgewise.store.engine import is_sqlite
from edgewise.store.erase import ErasureRepository
from edgewise.store.rotate import raw_column
from edgewise.store.tables import AuditEntry, Base, Client

ALIAS = "Zephyrine Quillfeather"
PHRASE = "the marmalade lighthouse promise"
OTHER_ALIAS = "Bartholomew Ostrander"
OTHER_PHRASE = "the velvet tram confession"


def _fill() -> ModuleType:
    name = "edgewise_tests_store_fill"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("fill.py"))
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


def _referencing(store: Store, client_id: int, session_ids: list[int]) -> dict[str, int]:
    """Rows of every table with a client_id or session_id column that point at the client."""
    found: dict[str, int] = {}
    with store.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_log":
                continue
            for column, ids in (("client_id", [client_id]), ("session_id", session_ids)):
                if column in table.c and ids:
                    query = select(table).where(table.c[column].in_(ids))
                    count = len(conn.execute(query).all())
                    if count:
                        found[f"{table.name}.{column}"] = count
        if conn.execute(select(Client).where(Client.id == client_id)).first():
            found["clients.id"] = 1
    return found


@pytest.fixture
def people(store: Store) -> tuple[int, int]:
    ann = store.create_user("ann", "x").id
    bob = store.create_user("bob", "x").id
    return ann, bob


def test_erase_removes_every_record_and_leaves_a_tombstone(
    store: Store, people: tuple[int, int]
) -> None:
    ann, bob = people
    fill = _fill()
    gone = fill.fill_client(store, ann, ALIAS, PHRASE, share_with=bob)
    kept = fill.fill_client(store, ann, OTHER_ALIAS, OTHER_PHRASE, share_with=bob)
    session_ids = [s.id for s in store.list_sessions(ann, gone)]
    before = fill.dump_tables(store.engine)
    assert _referencing(store, gone, session_ids)  # the check can find rows

    counts = ErasureRepository(store.engine).erase_client(
        gone, owner_id=ann, by=ann, detail="erased"
    )

    assert (counts.sessions, counts.measure_responses, counts.alerts) == (2, 1, 1)
    assert (counts.risk_flags, counts.shares) == (1, 1)
    assert _referencing(store, gone, session_ids) == {}
    after = fill.dump_tables(store.engine)
    # the other client's records are untouched, row for row
    for name in ("sessions", "measure_responses", "alerts", "risk_flags", "client_shares"):
        column = "client_id"
        table = Base.metadata.tables[name]
        index = list(table.c.keys()).index(column)
        assert [r for r in before[name] if r[index] == kept] == after[name]
    # audit rows are only added to: the old ones stay as they were, plus the tombstone
    assert after["audit_log"][: len(before["audit_log"])] == before["audit_log"]
    tombstones = store.list_audit(record_type="client", record_id=gone)
    assert [(a.user_id, a.action, a.detail) for a in tombstones][0] == (ann, "delete", "erased")


def test_only_the_owner_erases(store: Store, people: tuple[int, int]) -> None:
    ann, bob = people
    client = _fill().fill_client(store, ann, ALIAS, PHRASE, share_with=bob)
    repo = ErasureRepository(store.engine)
    with pytest.raises(NotFoundError):
        repo.erase_client(client, owner_id=bob, by=bob, detail="erased")
    with pytest.raises(NotFoundError):
        repo.erase_client(client + 100, owner_id=ann, by=ann, detail="erased")
    assert store.get_client(ann, client) is not None
    assert len(store.list_sessions(ann, client)) == 2


def test_a_failed_erasure_changes_nothing(
    store: Store, people: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    ann, _ = people
    fill = _fill()
    client = fill.fill_client(store, ann, ALIAS, PHRASE)
    before = fill.dump_tables(store.engine)

    def broken(self: Session, *_: object, **__: object) -> None:
        raise RuntimeError("disk gone")

    monkeypatch.setattr(Session, "add", broken)  # fails after the deletes, before commit
    with pytest.raises(RuntimeError):
        ErasureRepository(store.engine).erase_client(client, owner_id=ann, by=ann, detail="erased")
    monkeypatch.undo()
    assert fill.dump_tables(store.engine) == before


def test_sqlite_file_keeps_no_trace_after_erasure(
    store: Store, people: tuple[int, int], backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("the raw-file check reads the SQLite file")
    ann, _ = people
    fill = _fill()
    client = fill.fill_client(store, ann, ALIAS, PHRASE)
    other = fill.fill_client(store, ann, OTHER_ALIAS, OTHER_PHRASE)
    path = Path(str(store.engine.url.database))
    wal = path.with_name(path.name + "-wal")

    def on_disk() -> bytes:
        return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")

    def sealed(client_id: int) -> list[bytes]:
        """The client's alias and transcripts as stored (encrypted, edgewise.store.crypto)."""
        alias, transcript = raw_column("clients", "alias"), raw_column("sessions", "transcript")
        clients, sessions = alias.table, transcript.table
        with store.engine.connect() as conn:
            found = list(conn.scalars(select(alias).where(clients.c.id == client_id)))
            query = select(transcript).where(sessions.c.id.in_(_session_ids(store, client_id)))
            found += list(conn.scalars(query))
        return [value.encode() for value in found if value]

    gone, kept = sealed(client), sealed(other)
    assert all(value in on_disk() for value in gone + kept)
    assert PHRASE.encode() not in on_disk() and ALIAS.encode() not in on_disk()
    ErasureRepository(store.engine).erase_client(client, owner_id=ann, by=ann, detail="erased")
    raw = on_disk()
    assert not any(value in raw for value in gone)
    assert all(value in raw for value in kept)  # the other client is still there


def _session_ids(store: Store, client_id: int) -> list[int]:
    table = Base.metadata.tables["sessions"]
    with store.engine.connect() as conn:
        return list(conn.scalars(select(table.c.id).where(table.c.client_id == client_id)))


def _archive(store: Store, client_id: int, when: dt.datetime) -> None:
    """Archive the client and date everything about it at ``when``."""
    with Session(store.engine) as s, s.begin():
        s.execute(update(Client).where(Client.id == client_id).values(archived=True))
        s.execute(update(Client).where(Client.id == client_id).values(created_at=when))
    table = Base.metadata.tables["sessions"]
    with store.engine.begin() as conn:
        conn.execute(update(table).where(table.c.client_id == client_id).values(updated_at=when))


def test_archived_clients_counts_from_the_last_change(
    store: Store, people: tuple[int, int]
) -> None:
    ann, _ = people
    fill = _fill()
    old = fill.fill_client(store, ann, ALIAS, PHRASE)
    recent = fill.fill_client(store, ann, OTHER_ALIAS, OTHER_PHRASE)
    active = fill.fill_client(store, ann, "Active", "nothing here")
    long_ago = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
    _archive(store, old, long_ago)
    _archive(store, recent, long_ago)
    store.audit(ann, "update", "client", recent)  # changed (e.g. archived) just now
    with Session(store.engine) as s, s.begin():
        s.execute(update(Client).where(Client.id == active).values(created_at=long_ago))
    cutoff = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)

    due = ErasureRepository(store.engine).archived_clients(cutoff)

    assert [c.client_id for c in due] == [old]
    assert due[0].last_change == long_ago


def test_compact_runs_only_on_sqlite(store: Store) -> None:
    ErasureRepository(store.engine).compact()
    with store.engine.connect() as conn:
        if is_sqlite(store.engine):
            assert conn.execute(text("PRAGMA freelist_count")).scalar() == 0
    assert store.list_audit(record_type="client") == []


def test_the_tombstone_holds_ids_only(store: Store, people: tuple[int, int]) -> None:
    ann, _ = people
    client = _fill().fill_client(store, ann, ALIAS, PHRASE)
    ErasureRepository(store.engine).erase_client(client, owner_id=None, by=None, detail="erased")
    with Session(store.engine) as s:
        row = s.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).one()
    assert (row.user_id, row.record_type, row.record_id, row.detail) == (
        None,
        "client",
        client,
        "erased",
    )
