"""The audit log's hash chain: each row carries the hash of the row before it.

A row's ``hash`` is the SHA-256 (hex) of its ``prev_hash`` followed by the canonical
JSON of its fields (id, time, user, action, record type, record id, detail); the first
row's ``prev_hash`` is 64 zeros. Changing a row's fields changes its hash; removing,
inserting or reordering rows breaks the link of the row after. Someone who can rewrite
the whole file can rebuild the chain, so the newest hash (the head) is worth keeping
somewhere else (``edgewise audit verify --expect-head``).

Every audit row the store writes goes through :func:`seal`, which a ``before_flush``
listener on SQLAlchemy sessions calls for new :class:`AuditEntry` objects: it takes the
chain's lock (SQLite: the write transaction is ``BEGIN IMMEDIATE`` already; PostgreSQL:
``pg_advisory_xact_lock``), reads the head and gives each new row its id and hashes,
so two writers cannot fork the chain. Changing or deleting an audit row through the
ORM is refused; the database's triggers (revision 0007) refuse it for raw SQL too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import Session

from edgewise.store.errors import InvalidRecordError
from edgewise.store.tables import AuditEntry

__all__ = ["GENESIS", "ChainBreak", "ChainLink", "row_hash", "seal", "walk"]

#: The ``prev_hash`` of the first row.
GENESIS = "0" * 64
#: The PostgreSQL advisory lock key that serialises audit appends (any fixed number).
_PG_LOCK = 0x6564_6777_6175_6474  # "edgwaudt"


@dataclass(frozen=True, slots=True)
class ChainLink:
    """The fields of one row the chain covers, and its stored hashes."""

    id: int
    at: dt.datetime
    user_id: int | None
    action: str
    record_type: str
    record_id: int | None
    detail: str | None
    prev_hash: str | None
    hash: str | None


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """Where the chain first fails: the row id and what is wrong (changed, removed or
    inserted before it)."""

    row_id: int
    problem: str


def _stamp(at: dt.datetime) -> str:
    """The time as the chain writes it: UTC, microseconds, ``Z``."""
    aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(
    prev_hash: str,
    *,
    id: int,
    at: dt.datetime,
    user_id: int | None,
    action: str,
    record_type: str,
    record_id: int | None,
    detail: str | None,
) -> str:
    """SHA-256 (hex) of ``prev_hash`` and the canonical JSON of the row's fields."""
    fields = {
        "action": action,
        "at": _stamp(at),
        "detail": detail,
        "id": id,
        "record_id": record_id,
        "record_type": record_type,
        "user_id": user_id,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256((prev_hash + canonical).encode("ascii")).hexdigest()


def link_hash(link: ChainLink, prev_hash: str) -> str:
    """What ``link``'s hash should be if the row before it has ``prev_hash``."""
    return row_hash(
        prev_hash,
        id=link.id,
        at=link.at,
        user_id=link.user_id,
        action=link.action,
        record_type=link.record_type,
        record_id=link.record_id,
        detail=link.detail,
    )


def walk(links: Iterable[ChainLink]) -> tuple[int, str, ChainBreak | None]:
    """Check ``links`` in id order: (rows checked, the head hash, the first break or None).

    A row whose fields no longer give its hash was changed; a row whose ``prev_hash`` is
    not the hash of the row before it follows a removed, inserted or moved row.
    """
    count, head = 0, GENESIS
    for link in links:
        if link.prev_hash != head:
            what = "the row before it was removed, or this row was inserted or moved"
            return count, head, ChainBreak(link.id, what)
        if link.hash != link_hash(link, head):
            return count, head, ChainBreak(link.id, "this row was changed")
        count, head = count + 1, link.hash
    return count, head, None


def seal(session: Session, entries: Iterable[AuditEntry]) -> None:
    """Give each new audit row, in the order added, its id, ``prev_hash`` and ``hash``."""
    new = sorted(entries, key=lambda e: inspect(e).insert_order or 0)
    if not new:
        return
    postgres = session.get_bind().dialect.name == "postgresql"
    if postgres:
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_LOCK})
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    last_id, head = (last[0], last[1] or GENESIS) if last else (0, GENESIS)
    for entry in new:
        entry.id = _next_id(session, last_id) if postgres else last_id + 1
        last_id = entry.id
        entry.prev_hash = head
        entry.hash = head = row_hash(
            head,
            id=entry.id,
            at=entry.at,
            user_id=entry.user_id,
            action=entry.action,
            record_type=entry.record_type,
            record_id=entry.record_id,
            detail=entry.detail,
        )


def _next_id(session: Session, last_id: int) -> int:
    """The next id from PostgreSQL's sequence (never below the newest row's)."""
    query = text("SELECT nextval(pg_get_serial_sequence('audit_log', 'id'))")
    value = int(session.execute(query).scalar_one())
    return max(value, last_id + 1)


def _new_entries(session: Session) -> Iterator[AuditEntry]:
    for obj in session.new:
        if isinstance(obj, AuditEntry):
            yield obj


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    """Refuse changing or deleting audit rows; chain the new ones."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise InvalidRecordError("audit rows are append-only")
    seal(session, _new_entries(session))
