"""Store.add_sessions on SQLite and PostgreSQL: an upload is stored whole or not at all,
and the same file for the same client is stored once."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select, text

from edgewise.store import (
    ConflictError,
    InvalidRecordError,
    NewSession,
    NotFoundError,
    ReadOnlyError,
    Store,
    UploadRecord,
)
from edgewise.store.tables import AuditEntry, SessionRow

# Fictional, written for these tests.
TRANSCRIPT = "T: How was the week?\nC: Quieter. I walked to the canal twice."
DAY = dt.date(2026, 3, 2)
DIGEST = hashlib.sha256(b"an uploaded file").hexdigest()
OTHER_DIGEST = hashlib.sha256(b"another uploaded file").hexdigest()


def _upload(n: int) -> list[NewSession]:
    return [NewSession(DAY + dt.timedelta(days=7 * i), f"{TRANSCRIPT} ({i})") for i in range(n)]


def _owner_and_client(store: Store) -> tuple[int, int]:
    owner = store.create_user("ana", "hash-a").id
    return owner, store.add_client(owner, "Client Kestrel-2").id


def _counts(store: Store) -> tuple[int, int]:
    """(sessions, audit rows) in the whole database."""
    with store.engine.connect() as conn:
        sessions = conn.scalar(select(func.count()).select_from(SessionRow))
        audits = conn.scalar(select(func.count()).select_from(AuditEntry))
    return int(sessions or 0), int(audits or 0)


@contextmanager
def _nth_insert_fails(store: Store, n: int) -> Iterator[None]:
    """A trigger that refuses the client's session number ``n`` inside the database, after
    the rows before it were inserted by the same statement."""
    sqlite = store.engine.dialect.name == "sqlite"
    if sqlite:
        create = [
            f"CREATE TRIGGER fail_nth BEFORE INSERT ON sessions WHEN NEW.number = {n} "
            "BEGIN SELECT RAISE(ABORT, 'injected'); END"
        ]
        drop = ["DROP TRIGGER fail_nth"]
    else:
        create = [
            "CREATE FUNCTION fail_nth() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.number = {n} THEN RAISE EXCEPTION 'injected' USING ERRCODE = '23514'; "
            "END IF; RETURN NEW; END $$",
            "CREATE TRIGGER fail_nth BEFORE INSERT ON sessions "
            "FOR EACH ROW EXECUTE FUNCTION fail_nth()",
        ]
        drop = ["DROP TRIGGER fail_nth ON sessions", "DROP FUNCTION fail_nth()"]
    with store.engine.begin() as conn:
        for statement in create:
            conn.execute(text(statement))
    try:
        yield
    finally:
        with store.engine.begin() as conn:
            for statement in drop:
                conn.execute(text(statement))


@contextmanager
def _fail_after(store: Store, prefix: str) -> Iterator[None]:
    """Raise right after the first statement starting with ``prefix`` has run."""

    def boom(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(prefix):
            raise RuntimeError("injected failure")

    event.listen(store.engine, "after_cursor_execute", boom)
    try:
        yield
    finally:
        event.remove(store.engine, "after_cursor_execute", boom)


def test_an_upload_is_stored_numbered_and_audited(store: Store) -> None:
    owner, client = _owner_and_client(store)
    store.add_session(owner, client, date=DAY, transcript="earlier")
    stored = store.add_sessions(
        owner, client, _upload(3), upload_digest=DIGEST, source_name="a.csv"
    )
    assert stored.created
    assert [r.number for r in stored.sessions] == [2, 3, 4]
    assert all(r.status == "pending" and r.source_name == "a.csv" for r in stored.sessions)
    assert [r.date for r in stored.sessions] == [DAY + dt.timedelta(days=7 * i) for i in range(3)]
    full = store.get_session(owner, stored.sessions[2].id, with_transcript=True)
    assert full is not None and full.transcript == f"{TRANSCRIPT} (2)"
    with store.engine.connect() as conn:
        digests = conn.scalars(select(SessionRow.upload_digest).order_by(SessionRow.number))
        assert list(digests) == [None, DIGEST, DIGEST, DIGEST]
    created = [a.record_id for a in store.list_audit(record_type="session", user_id=owner)]
    assert len(created) == 3 and set(created) == {r.id for r in stored.sessions}


@pytest.mark.parametrize("n", [1, 3, 5])
def test_an_upload_is_all_or_nothing_when_the_nth_insert_fails(store: Store, n: int) -> None:
    owner, client = _owner_and_client(store)
    before = _counts(store)
    with _nth_insert_fails(store, n), pytest.raises(ConflictError):
        store.add_sessions(owner, client, _upload(5), upload_digest=DIGEST)
    assert _counts(store) == before
    assert store.list_sessions(owner, client) == []
    again = store.add_sessions(owner, client, _upload(5), upload_digest=DIGEST)
    assert again.created and [r.number for r in again.sessions] == [1, 2, 3, 4, 5]


def test_an_upload_is_all_or_nothing_when_its_audit_fails(store: Store) -> None:
    owner, client = _owner_and_client(store)
    before = _counts(store)
    with _fail_after(store, "INSERT INTO AUDIT_LOG"), pytest.raises(RuntimeError):
        store.add_sessions(owner, client, _upload(4), upload_digest=DIGEST)
    assert _counts(store) == before


def test_the_same_file_for_the_same_client_is_stored_once(store: Store) -> None:
    owner, client = _owner_and_client(store)
    first = store.add_sessions(owner, client, _upload(3), upload_digest=DIGEST)
    counts = _counts(store)
    again = store.add_sessions(owner, client, _upload(3), upload_digest=DIGEST)
    assert again == UploadRecord(first.sessions, created=False)
    assert _counts(store) == counts
    other_file = store.add_sessions(owner, client, _upload(1), upload_digest=OTHER_DIGEST)
    assert other_file.created and other_file.sessions[0].number == 4


def test_the_same_file_for_another_client_is_stored(store: Store) -> None:
    owner, client = _owner_and_client(store)
    other = store.add_client(owner, "Client Wren-5").id
    store.add_sessions(owner, client, _upload(2), upload_digest=DIGEST)
    elsewhere = store.add_sessions(owner, other, _upload(2), upload_digest=DIGEST)
    assert elsewhere.created and {r.client_id for r in elsewhere.sessions} == {other}


def test_a_colleague_sees_the_file_the_owner_uploaded(store: Store) -> None:
    owner, client = _owner_and_client(store)
    colleague = store.create_user("ben", "hash-b").id
    store.share_client(owner, client, colleague)
    first = store.add_sessions(owner, client, _upload(2), upload_digest=DIGEST)
    again = store.add_sessions(colleague, client, _upload(2), upload_digest=DIGEST)
    assert not again.created and again.sessions == first.sessions


def test_racing_uploads_of_one_file_store_it_once(store: Store) -> None:
    owner, client = _owner_and_client(store)
    start = threading.Barrier(4)
    results: list[UploadRecord] = []
    errors: list[BaseException] = []

    def upload() -> None:
        try:
            start.wait()
            results.append(store.add_sessions(owner, client, _upload(6), upload_digest=DIGEST))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=upload) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.created for r in results) == [False, False, False, True]
    assert len({r.sessions for r in results}) == 1
    assert [s.number for s in store.list_sessions(owner, client)] == [1, 2, 3, 4, 5, 6]


def test_uploads_need_a_client_the_user_may_add_to(store: Store) -> None:
    owner, client = _owner_and_client(store)
    stranger = store.create_user("cy", "hash-c").id
    reader = store.create_user("di", "hash-d").id
    store.share_client(owner, client, reader, can_write=False)
    with pytest.raises(NotFoundError):
        store.add_sessions(stranger, client, _upload(1), upload_digest=DIGEST)
    with pytest.raises(ReadOnlyError):
        store.add_sessions(reader, client, _upload(1), upload_digest=DIGEST)
    with pytest.raises(InvalidRecordError):
        store.add_sessions(owner, client, [], upload_digest=DIGEST)
    with pytest.raises(InvalidRecordError):
        store.add_sessions(owner, client, _upload(1), upload_digest="not-a-digest")
    assert _counts(store)[0] == 0


def test_new_sessions_keep_their_transcript_out_of_repr() -> None:
    [new] = _upload(1)
    assert TRANSCRIPT not in repr(new) and "2026" in repr(new)
