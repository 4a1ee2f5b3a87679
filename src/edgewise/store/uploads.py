"""Store methods for uploads: every session of one file in one transaction, never twice.

An upload is stored whole or not at all: its sessions, their numbers and their ``create``
audit rows are written in one transaction, so a server killed half way leaves either the
whole upload or nothing. Every session an upload makes carries the SHA-256 of the file's
bytes (``upload_digest``); the same bytes for the same client are recognised inside that
transaction, under the client's row lock (BEGIN IMMEDIATE on SQLite), so two requests
racing with one file store it once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from edgewise.store import convert
from edgewise.store.base import StoreBase, now
from edgewise.store.errors import ConflictError, InvalidRecordError
from edgewise.store.records import SessionRecord
from edgewise.store.tables import AuditEntry, SessionRow

__all__ = ["NewSession", "UploadRecord", "UploadRepository"]

_DIGEST = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class NewSession:
    """One session of an upload: its date and its transcript (stored JSON text)."""

    date: dt.date
    transcript: str

    def __repr__(self) -> str:  # the transcript is health information: never in a repr
        return f"NewSession(date={self.date!r})"


@dataclass(frozen=True, slots=True)
class UploadRecord:
    """What an upload holds: its sessions in order, and whether this call stored them
    (``created``) or found them stored by an earlier upload of the same file."""

    sessions: tuple[SessionRecord, ...]
    created: bool


class UploadRepository(StoreBase):
    """Uploads; mixed into :class:`edgewise.store.Store`."""

    def add_sessions(
        self,
        user_id: int,
        client_id: int,
        sessions: Sequence[NewSession],
        *,
        upload_digest: str,
        source_name: str | None = None,
    ) -> UploadRecord:
        """Store an upload's sessions as pending, numbered on from the client's last, with a
        ``create`` audit row each by ``user_id``: all of them or none.

        When the client already has sessions from a file with ``upload_digest`` (SHA-256,
        lowercase hex), nothing is stored and those sessions come back (``created`` False).
        NotFoundError: the client is not visible to ``user_id``; ReadOnlyError: shared
        read-only.
        """
        if not sessions:
            raise InvalidRecordError("an upload holds at least one session")
        if not _DIGEST.match(upload_digest):
            raise InvalidRecordError("an upload digest is 64 lowercase hexadecimal digits")
        try:
            with self._write() as s:
                # The client row lock serialises uploads to one client on PostgreSQL (SQLite:
                # BEGIN IMMEDIATE), so the check below sees any upload committed before it.
                self._writable_client(s, user_id, client_id, lock=True)
                earlier = self._uploaded(s, client_id, upload_digest)
                if earlier:
                    return UploadRecord(tuple(map(convert.session_record, earlier)), False)
                rows = self._insert_upload(s, client_id, sessions, upload_digest, source_name)
                self._audit_created(s, user_id, rows)
                return UploadRecord(tuple(map(convert.session_record, rows)), True)
        except IntegrityError:
            raise ConflictError(f"client {client_id} changed during the upload") from None

    @staticmethod
    def _uploaded(s: Session, client_id: int, upload_digest: str) -> list[SessionRow]:
        query = (
            select(SessionRow)
            .where(SessionRow.client_id == client_id, SessionRow.upload_digest == upload_digest)
            .order_by(SessionRow.number)
        )
        return list(s.scalars(query))

    @staticmethod
    def _insert_upload(
        s: Session,
        client_id: int,
        sessions: Sequence[NewSession],
        upload_digest: str,
        source_name: str | None,
    ) -> list[SessionRow]:
        numbers = select(func.max(SessionRow.number)).where(SessionRow.client_id == client_id)
        last = s.scalar(numbers)
        stamp = now()
        rows = [
            SessionRow(
                client_id=client_id,
                number=(last or 0) + i,
                date=new.date,
                source_name=source_name,
                transcript=new.transcript,
                status="pending",
                analysis_progress=0,
                upload_digest=upload_digest,
                created_at=stamp,
                updated_at=stamp,
            )
            for i, new in enumerate(sessions, start=1)
        ]
        s.add_all(rows)
        s.flush()
        return rows

    @staticmethod
    def _audit_created(s: Session, user_id: int, rows: Sequence[SessionRow]) -> None:
        """A ``create`` row per session, in the upload's transaction (none is ever missed)."""
        stamp = now()
        s.add_all(
            AuditEntry(
                at=stamp, user_id=user_id, action="create", record_type="session", record_id=r.id
            )
            for r in rows
        )
