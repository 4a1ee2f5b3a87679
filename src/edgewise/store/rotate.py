"""Sealing existing values: encrypting an older database's rows, and key rotation.

Both walk every :class:`~edgewise.store.crypto.EncryptedText` column of the schema (found
in the metadata, so tables added later are covered) a batch of rows at a time, each
batch its own transaction, so an interrupted run loses at most one batch of work and a
second run carries on where the first stopped: a value already sealed with the new key
is not touched again.

Rotation: the new key is registered as ``next``; every value sealed with the active key
is opened and sealed again with the new one; then, in one transaction, the old key is
retired (its check value dropped, so it no longer opens the database) and the new one
becomes active. Stop ``serve`` and the worker first: they hold the old key only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    Integer,
    MetaData,
    Table,
    Text,
    inspect,
    select,
    update,
)

from edgewise.store.crypto import PREFIX, EncryptedText, Keyring, RotationError, attach
from edgewise.store.keys import KeySource, key_material, key_rows, match_key, new_key_row
from edgewise.store.tables import Base, EncryptionKey

__all__ = [
    "BATCH",
    "Column3",
    "RotationReport",
    "encrypted_columns",
    "open_all",
    "rotate",
    "seal_plain",
]

#: Rows per transaction.
BATCH = 500
#: (table, column, label) of an encrypted column.
Column3 = tuple[str, str, str]


def encrypted_columns() -> list[Column3]:
    """Every encrypted column of the schema, as (table, column, label)."""
    found: list[Column3] = []
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, EncryptedText):
                found.append((table.name, column.name, column.type.label))
    return found


def raw_column(table: str, column: str) -> Column[str]:
    """``table.column`` as plain text, to read or count sealed values as they are stored."""
    return _raw(table, column).c[column]


def _raw(table: str, column: str) -> Table:
    """The table's id and ``column`` as plain text (no sealing on the way in or out)."""
    return Table(table, MetaData(), Column("id", Integer, primary_key=True), Column(column, Text))


def _present(conn: Connection) -> list[Column3]:
    """The encrypted columns whose table and column exist in the database."""
    inspector = inspect(conn)
    present: list[Column3] = []
    for table, column, label in encrypted_columns():
        if inspector.has_table(table):
            if column in {c["name"] for c in inspector.get_columns(table)}:
                present.append((table, column, label))
    return present


def seal_plain(conn: Connection, keyring: Keyring, *, batch: int = BATCH) -> int:
    """Seal every value not sealed yet, in ``conn``'s transaction (migration 0009)."""
    count = 0
    for table, column, label in _present(conn):
        raw = _raw(table, column)
        value = raw.c[column]
        after = 0
        while True:
            query = (
                select(raw.c.id, value)
                .where(raw.c.id > after, value.is_not(None), value.not_like(f"{PREFIX}:%"))
                .order_by(raw.c.id)
                .limit(batch)
            )
            rows = list(conn.execute(query))
            for row_id, plain in rows:
                sealed = keyring.seal(plain, label)
                conn.execute(raw.update().where(raw.c.id == row_id).values({column: sealed}))
            count += len(rows)
            if len(rows) < batch:
                break
            after = rows[-1][0]
    return count


def open_all(conn: Connection, keyring: Keyring) -> int:
    """Open every sealed value in place, in ``conn``'s transaction (downgrade of 0009)."""
    count = 0
    for table, column, label in _present(conn):
        raw = _raw(table, column)
        value = raw.c[column]
        for row_id, sealed in list(
            conn.execute(select(raw.c.id, value).where(value.like(f"{PREFIX}:%")))
        ):
            plain = keyring.open(sealed, label)
            conn.execute(raw.update().where(raw.c.id == row_id).values({column: plain}))
            count += 1
    return count


def _reseal_batch(
    conn: Connection, keyring: Keyring, old_id: int, where: Column3, batch: int
) -> int:
    """Seal one batch of ``where``'s values sealed with ``old_id`` again with the active key."""
    table, column, label = where
    raw = _raw(table, column)
    value = raw.c[column]
    query = select(raw.c.id, value).where(value.like(f"{PREFIX}:{old_id}:%")).limit(batch)
    rows = list(conn.execute(query))
    for row_id, old in rows:
        new = keyring.seal(keyring.open(old, label), label)
        conn.execute(raw.update().where(raw.c.id == row_id, value == old).values({column: new}))
    return len(rows)


@dataclass(frozen=True, slots=True)
class RotationReport:
    """What :func:`rotate` did: the keys' ids and how many values it sealed again."""

    old_id: int
    new_id: int
    resealed: int
    already_done: bool = False


def rotate(
    engine: Engine,
    old: KeySource,
    new: KeySource,
    *,
    batch: int = BATCH,
    on_batch: Callable[[int], None] | None = None,
) -> RotationReport:
    """Move every value from the key ``old`` opens to the key of ``new`` (registered as the
    next key, or the one a rotation left half done was moving to); ``on_batch`` is told
    each batch's count. Done already (``new`` opens the active key): nothing is changed.

    RotationError (E445) when the keys do not fit the database's state: ``old`` does not
    open the active key, or another rotation is pending.
    """
    with engine.begin() as conn:
        rows = key_rows(conn) or []
        active = next((r.id for r in rows if r.state == "active"), None)
        pending = next((r.id for r in rows if r.state == "next"), None)
        if active is None:
            raise RotationError("the database has no active key to rotate from")
        new_found = match_key(rows, new)
        if active in new_found:
            return RotationReport(active, active, 0, already_done=True)
        old_found = match_key(rows, old)
        if active not in old_found:
            raise RotationError(f"{old.describe()} does not open the active key")
        if pending is None:
            material = key_material(new, may_create=False)
            if material.key == old_found[active]:
                raise RotationError("the new key is the key in use")
            pending = new_key_row(conn, material, "next")
            new_key = material.key
        elif pending in new_found:
            new_key = new_found[pending]
        else:
            raise RotationError("another rotation is pending: run it again with its new key")
    keyring = Keyring({active: old_found[active], pending: new_key}, pending)
    total = 0
    with engine.connect() as conn:
        columns = _present(conn)
    for where in columns:
        while True:
            with engine.begin() as conn:
                done = _reseal_batch(conn, keyring, active, where, batch)
            if done:
                total += done
                if on_batch is not None:
                    on_batch(done)
            if done < batch:
                break
    _finish(engine, active, pending, columns)
    attach(engine, Keyring({pending: new_key}, pending))
    return RotationReport(active, pending, total)


def _finish(engine: Engine, old_id: int, new_id: int, columns: list[Column3]) -> None:
    """Retire the old key and make the new one active, in one transaction, once no value
    sealed with the old key is left (one written meanwhile: RotationError, run it again)."""
    table = EncryptionKey
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as conn:
        for name, column, _label in columns:
            value = _raw(name, column).c[column]
            if conn.execute(select(value).where(value.like(f"{PREFIX}:{old_id}:%"))).first():
                raise RotationError(
                    f"values were sealed with the old key during the rotation ({name}.{column}); "
                    "stop the server and run it again"
                )
        conn.execute(
            update(table)
            .where(table.id == old_id)
            .values(state="retired", check=None, retired_at=now)
        )
        conn.execute(update(table).where(table.id == new_id).values(state="active"))
