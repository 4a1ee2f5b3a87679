"""The audit log's hash chain on SQLite and PostgreSQL: rows are chained as written,
cannot be changed or deleted through the app or with plain SQL, concurrent writers
never fork the chain, and tampering by someone with file access is found."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from edgewise.store import Store
from edgewise.store.chain import GENESIS, ChainBreak, walk
from edgewise.store.errors import InvalidRecordError
from edgewise.store.tables import AuditEntry


def _log(store: Store, rows: int = 5) -> int:
    user = store.create_user("ana", "h").id
    for i in range(rows):
        store.audit(user, "view", "client", i + 1, detail=f"page={i}")
    return user


def _check(store: Store) -> tuple[int, str, ChainBreak | None]:
    return walk(store.audit_links())


def test_rows_are_chained_in_id_order(store: Store) -> None:
    _log(store)
    links = list(store.audit_links(batch=2))  # several batches
    assert [link.id for link in links] == [1, 2, 3, 4, 5]
    assert links[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(links, links[1:], strict=False))
    count, head, broken = _check(store)
    assert (count, head, broken) == (5, links[-1].hash, None)


def test_rows_written_elsewhere_in_the_store_are_chained(store: Store) -> None:
    user = _log(store, 1)
    store.add_token(user, "laptop", "read", "a" * 64, "ew_abcd")  # audits in its transaction
    client = store.add_client(user, "Wren").id
    store.audit(user, "view", "client", client)
    count, _, broken = _check(store)
    assert broken is None and count == len(store.list_audit())


def test_the_app_cannot_change_or_delete_an_audit_row(store: Store) -> None:
    _log(store, 2)
    with Session(store.engine) as s, pytest.raises(InvalidRecordError):
        row = s.get(AuditEntry, 1)
        assert row is not None
        row.detail = "page=9"
        s.flush()
    with Session(store.engine) as s, pytest.raises(InvalidRecordError):
        s.delete(s.get(AuditEntry, 2))
        s.flush()
    for sql in ("UPDATE audit_log SET detail = 'page=9'", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError), store.engine.begin() as conn:
            conn.execute(text(sql))
    assert _check(store)[:1] == (2,) and _check(store)[2] is None


def _drop_triggers(store: Store) -> None:
    """What an attacker with the database file (or a superuser) can do first."""
    with store.engine.begin() as conn:
        if store.engine.dialect.name == "sqlite":
            conn.execute(text("DROP TRIGGER audit_log_append_only_UPDATE"))
            conn.execute(text("DROP TRIGGER audit_log_append_only_DELETE"))
        else:
            conn.execute(text("DROP TRIGGER audit_log_append_only ON audit_log"))


def _restore_triggers(store: Store) -> None:
    """Put the PostgreSQL trigger back: the test database is shared by later tests."""
    if store.engine.dialect.name == "postgresql":
        with store.engine.begin() as conn:
            conn.execute(
                text(
                    "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
                    "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
                )
            )


SWAP = (
    "UPDATE audit_log SET record_id = CASE id WHEN 2 THEN 3 ELSE 2 END,"
    " detail = CASE id WHEN 2 THEN 'page=2' ELSE 'page=1' END WHERE id IN (2, 3)"
)
#: The attack, the row the walk stops at, what it says, and how many rows it passed.
TAMPERING: dict[str, tuple[str, int, str, int]] = {
    "changed detail": ("UPDATE audit_log SET detail = 'page=7' WHERE id = 3", 3, "changed", 2),
    "deleted row": ("DELETE FROM audit_log WHERE id = 3", 4, "removed", 2),
    "deleted newest row": ("DELETE FROM audit_log WHERE id = 5", 0, "", 4),
    "swapped contents": (SWAP, 2, "changed", 1),
    "swapped rows with their hashes": ("", 2, "moved", 1),
}


@pytest.mark.parametrize("attack", list(TAMPERING))
def test_tampering_is_found(store: Store, attack: str) -> None:
    _log(store)
    sql, row, problem, passed = TAMPERING[attack]
    head_before = _check(store)[1]
    _drop_triggers(store)
    try:
        with store.engine.begin() as conn:
            if sql:
                conn.execute(text(sql))
            else:  # move whole rows, hashes and all: ids 2 and 3 trade places
                conn.execute(text("UPDATE audit_log SET id = 99 WHERE id = 2"))
                conn.execute(text("UPDATE audit_log SET id = 2 WHERE id = 3"))
                conn.execute(text("UPDATE audit_log SET id = 3 WHERE id = 99"))
        count, head, broken = _check(store)
        assert count == passed
        if row:
            assert broken is not None and broken.row_id == row and problem in broken.problem
        else:  # the chain left is intact; only the head kept elsewhere shows the loss
            assert broken is None and head != head_before
    finally:
        _restore_triggers(store)


def test_a_row_inserted_with_plain_sql_is_found(store: Store) -> None:
    _log(store, 2)
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO audit_log (id, at, user_id, action, record_type, record_id) "
                "VALUES (3, CURRENT_TIMESTAMP, 1, 'view', 'client', 9)"
            )
        )
    count, _, broken = _check(store)
    assert count == 2 and broken is not None and broken.row_id == 3
    assert "inserted" in broken.problem


def _in_threads(work: Callable[[int], None], threads: int) -> None:
    failures: list[BaseException] = []

    def run(n: int) -> None:
        try:
            work(n)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    pool = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert failures == []


def test_concurrent_writers_do_not_fork_the_chain(store: Store) -> None:
    user = store.create_user("ana", "h").id

    def write(n: int) -> None:
        for i in range(25):
            store.audit(user, "view", "client", n * 100 + i)

    _in_threads(write, 6)
    count, _, broken = _check(store)
    assert broken is None and count == 150
    hashes = [link.prev_hash for link in store.audit_links()]
    assert len(set(hashes)) == 150  # no two rows claim the same predecessor


def test_operator_rows_need_no_key_and_are_chained(store: Store) -> None:
    """``edgewise backup`` and ``restore`` audit without the encryption key."""
    from edgewise.store.audit import append_without_key
    from edgewise.store.crypto import keyring_of
    from edgewise.store.engine import make_engine

    _log(store, rows=2)
    engine = make_engine(store.engine.url.render_as_string(hide_password=False))
    try:
        assert keyring_of(engine.dialect) is None
        append_without_key(engine, "export", "database", detail="backup bytes=10 cli os_uid=0")
        with pytest.raises(InvalidRecordError):
            append_without_key(engine, "export", "database", detail="/home/ann/backup.ewb")
    finally:
        engine.dispose()
    count, _, broken = _check(store)
    assert (count, broken) == (3, None)
    [row] = store.list_audit(record_type="database")
    assert (row.user_id, row.action, row.detail) == (None, "export", "backup bytes=10 cli os_uid=0")
