"""Erasing a client: every record about them goes in one transaction; a tombstone stays.

What goes: the client's risk flags, measure responses, alerts, sessions (with their
transcripts, analyses and upload digests), shares, and the client row itself. What
stays: the audit log, which holds ids and fixed words only and is append-only (never
changed or deleted), plus one new ``delete`` row of the ``client`` (the tombstone:
who, when, which id) written in the same transaction.

On SQLite the deleted rows' bytes would linger in free pages and in the WAL, so after
the commit :meth:`ErasureRepository.compact` runs ``VACUUM`` (the file is rebuilt from
the live rows) and ``PRAGMA wal_checkpoint(TRUNCATE)`` (the WAL is emptied). On
PostgreSQL the dead tuples stay in the table files until autovacuum reuses their space;
``VACUUM FULL`` rewrites them (see docs/backup.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from edgewise.store.base import StoreBase, now
from edgewise.store.engine import is_sqlite
from edgewise.store.errors import NotFoundError
from edgewise.store.tables import (
    Alert,
    AuditEntry,
    Client,
    ClientShare,
    MeasureResponse,
    RiskFlag,
    SessionRow,
)

__all__ = ["ArchivedClient", "ErasedCounts", "ErasureRepository"]

#: The tables holding a client's records, children first (the order of deletion).
_BY_CLIENT: tuple[tuple[str, Any], ...] = (
    ("risk_flags", RiskFlag),
    ("measure_responses", MeasureResponse),
    ("alerts", Alert),
    ("sessions", SessionRow),
    ("shares", ClientShare),
)


@dataclass(frozen=True, slots=True)
class ErasedCounts:
    """How many records of each kind an erasure removed (or would remove)."""

    client_id: int
    sessions: int
    measure_responses: int
    alerts: int
    risk_flags: int
    shares: int


@dataclass(frozen=True, slots=True)
class ArchivedClient:
    """An archived client and the time it was last changed (the archive date's upper bound)."""

    client_id: int
    owner_id: int
    last_change: dt.datetime


class ErasureRepository(StoreBase):
    """Erasure and the retention query; see the module's docstring."""

    def erase_client(
        self,
        client_id: int,
        *,
        owner_id: int | None,
        by: int | None,
        detail: str,
        compact: bool = True,
    ) -> ErasedCounts:
        """Delete everything about the client and write its tombstone, in one transaction.

        ``owner_id``: the client must be theirs (NotFoundError otherwise); None for the
        operator's retention purge. ``by`` is who the tombstone names (None: operator).
        ``compact=False`` leaves :meth:`compact` to the caller (one VACUUM for many).
        """
        with self._write() as s:
            self._client(s, client_id, owner_id, lock=True)
            counts = {name: _delete(s, table, client_id) for name, table in _BY_CLIENT}
            s.execute(delete(Client).where(Client.id == client_id))
            s.add(
                AuditEntry(
                    at=now(),
                    user_id=by,
                    action="delete",
                    record_type="client",
                    record_id=client_id,
                    detail=detail,
                )
            )
        if compact:
            self.compact()
        return ErasedCounts(client_id=client_id, **counts)

    def count_client(self, client_id: int, *, owner_id: int | None) -> ErasedCounts:
        """What :meth:`erase_client` would remove (for a dry run)."""
        with self._read() as s:
            self._client(s, client_id, owner_id)
            counts = {
                name: int(
                    s.scalar(
                        select(func.count()).select_from(table).where(table.client_id == client_id)
                    )
                    or 0
                )
                for name, table in _BY_CLIENT
            }
        return ErasedCounts(client_id=client_id, **counts)

    def archived_clients(self, before: dt.datetime) -> list[ArchivedClient]:
        """Archived clients last changed before ``before``, by id.

        The clients table keeps whether a client is archived, not since when, so the
        archive date is bounded from above by the client's last change: its creation,
        the newest ``update`` audit row of it (archiving writes one) and its sessions'
        newest ``updated_at``. A client changed after being archived counts from then,
        so this never purges early.
        """
        audited = (
            select(AuditEntry.record_id, func.max(AuditEntry.at))
            .where(AuditEntry.record_type == "client", AuditEntry.action == "update")
            .group_by(AuditEntry.record_id)
        )
        sessions = select(SessionRow.client_id, func.max(SessionRow.updated_at)).group_by(
            SessionRow.client_id
        )
        with self._read() as s:
            clients = list(s.scalars(select(Client).where(Client.archived.is_(True))))
            updates = {int(cid): at for cid, at in s.execute(audited) if cid is not None}
            touched = {int(cid): at for cid, at in s.execute(sessions)}
        found = []
        for row in sorted(clients, key=lambda c: c.id):
            times = [row.created_at, updates.get(row.id), touched.get(row.id)]
            last = max(_aware(t) for t in times if t is not None)
            if last < before:
                found.append(ArchivedClient(row.id, row.owner_id, last))
        return found

    def compact(self) -> None:
        """SQLite: rebuild the file and empty the WAL, so erased bytes leave the disk."""
        if not is_sqlite(self._engine):
            return
        with self._engine.connect() as conn:
            driver: Any = conn.connection.driver_connection
            driver.execute("VACUUM")
            driver.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    @staticmethod
    def _client(s: Session, client_id: int, owner_id: int | None, *, lock: bool = False) -> Client:
        query = select(Client).where(Client.id == client_id)
        row = s.scalar(query.with_for_update() if lock else query)
        if row is None or (owner_id is not None and row.owner_id != owner_id):
            raise NotFoundError(f"no client {client_id} of yours to erase")
        return row


def _delete(s: Session, table: Any, client_id: int) -> int:
    """Delete the client's rows of ``table``; how many went."""
    result: Any = s.execute(delete(table).where(table.client_id == client_id))
    return int(result.rowcount)


def _aware(value: dt.datetime) -> dt.datetime:
    """Aggregates (max) come back naive from SQLite: they are UTC."""
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
