"""The audit log: who viewed, made, changed or exported which record, and when.

Rows hold ids and a fixed vocabulary only (never clinical text); see :meth:`AuditRepository.audit`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import get_args

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from edgewise.store import convert
from edgewise.store.base import StoreBase, now
from edgewise.store.chain import ChainLink
from edgewise.store.engine import writer
from edgewise.store.errors import InvalidRecordError
from edgewise.store.records import AuditAction, AuditRecord, RecordType
from edgewise.store.tables import AuditEntry

__all__ = ["AuditRepository", "append_without_key"]

_ACTIONS: frozenset[str] = frozenset(get_args(AuditAction))
_RECORD_TYPES: frozenset[str] = frozenset(get_args(RecordType))
#: An audit detail: fixed words and ``key=number`` pairs, e.g. ``reviewed session=4 turn=12``.
_DETAIL = re.compile(r"^[a-z_]+(=\d{1,18})?( [a-z_]+(=\d{1,18})?)*$")


def _entry(
    user_id: int | None,
    action: AuditAction,
    record_type: RecordType,
    record_id: int | None,
    detail: str | None,
) -> AuditEntry:
    """A new audit row, after checking its vocabulary (InvalidRecordError otherwise)."""
    if action not in _ACTIONS:
        raise InvalidRecordError(f"unknown audit action {action!r}")
    if record_type not in _RECORD_TYPES:
        raise InvalidRecordError("unknown audit record type")
    if detail is not None and (len(detail) > 200 or not _DETAIL.match(detail)):
        raise InvalidRecordError("an audit detail holds words and key=number pairs only")
    return AuditEntry(
        at=now(),
        user_id=user_id,
        action=action,
        record_type=record_type,
        record_id=record_id,
        detail=detail,
    )


def append_without_key(
    engine: Engine,
    action: AuditAction,
    record_type: RecordType,
    record_id: int | None = None,
    *,
    detail: str | None = None,
) -> None:
    """Append an audit row naming no user (the operator) on ``engine``, chained like every
    row, without the encryption key: the audit log holds no sealed column, and backup and
    restore run without the key."""
    entry = _entry(None, action, record_type, record_id, detail)
    with Session(writer(engine), expire_on_commit=False) as s, s.begin():
        s.add(entry)


class AuditRepository(StoreBase):
    """Audit rows: appended (hash-chained, see :mod:`edgewise.store.chain`), listed,
    walked for verification, read by date for export; never changed or deleted."""

    def audit(
        self,
        user_id: int | None,
        action: AuditAction,
        record_type: RecordType,
        record_id: int | None = None,
        *,
        detail: str | None = None,
    ) -> None:
        """Append an audit row: ids and a fixed vocabulary only, never clinical text.

        ``detail`` says more about the record in words and ``key=number`` pairs only,
        e.g. ``reviewed session=4 turn=12``; anything else is refused.
        """
        entry = _entry(user_id, action, record_type, record_id, detail)
        with self._write() as s:
            s.add(entry)

    def list_audit(
        self,
        *,
        user_id: int | None = None,
        record_type: RecordType | None = None,
        record_id: int | None = None,
        limit: int = 1000,
    ) -> list[AuditRecord]:
        """Audit rows, newest first, optionally for one user or one record."""
        query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if user_id is not None:
            query = query.where(AuditEntry.user_id == user_id)
        if record_type is not None:
            query = query.where(AuditEntry.record_type == record_type)
        if record_id is not None:
            query = query.where(AuditEntry.record_id == record_id)
        with self._read() as s:
            return [convert.audit_record(row) for row in s.scalars(query.limit(limit))]

    def audit_links(self, *, batch: int = 5000) -> Iterator[ChainLink]:
        """Every audit row's chained fields and hashes, in id order (read in batches of
        ``batch`` rows, each batch its own read, so a long log never sits in memory)."""
        after = 0
        while True:
            query = (select(AuditEntry).where(AuditEntry.id > after).order_by(AuditEntry.id)).limit(
                batch
            )
            with self._read() as s:
                rows = [_link(row) for row in s.scalars(query)]
            yield from rows
            if len(rows) < batch:
                return
            after = rows[-1].id

    def last_sign_ins(self) -> dict[int, dt.datetime]:
        """When each account last signed in successfully (accounts never signed in: absent)."""
        query = (
            select(AuditEntry.record_id, func.max(AuditEntry.at))
            .where(
                AuditEntry.action == "login",
                AuditEntry.record_type == "user",
                AuditEntry.detail == "succeeded",
                AuditEntry.record_id.is_not(None),
            )
            .group_by(AuditEntry.record_id)
        )
        with self._read() as s:
            return {int(uid): at for uid, at in s.execute(query) if uid is not None}

    def audit_between(self, start: dt.datetime, end: dt.datetime) -> list[AuditRecord]:
        """Audit rows with ``start <= at < end``, oldest first."""
        query = (
            select(AuditEntry)
            .where(AuditEntry.at >= start, AuditEntry.at < end)
            .order_by(AuditEntry.id)
        )
        with self._read() as s:
            return [convert.audit_record(row) for row in s.scalars(query)]


def _link(row: AuditEntry) -> ChainLink:
    return ChainLink(
        id=row.id,
        at=row.at,
        user_id=row.user_id,
        action=row.action,
        record_type=row.record_type,
        record_id=row.record_id,
        detail=row.detail,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
