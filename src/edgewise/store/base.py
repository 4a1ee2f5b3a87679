"""What every part of the Store shares: the engine, one transaction per call, access checks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, defer

from edgewise.store.caseload import visible_to
from edgewise.store.engine import make_engine, writer
from edgewise.store.errors import InvalidRecordError, NotFoundError, ReadOnlyError
from edgewise.store.keys import ensure_unlocked
from edgewise.store.tables import Client, ClientShare, SessionRow

__all__ = ["WITHOUT_TEXT", "StoreBase", "check_json", "now"]

#: Load options that leave a session's transcript and analysis in the database: they can
#: run to megabytes, and lists of sessions (or of their risk flags) show neither.
WITHOUT_TEXT = (
    defer(SessionRow.transcript, raiseload=True),
    defer(SessionRow.analysis, raiseload=True),
)


def now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


def check_json(value: str, field: str) -> str:
    """``value`` if it is JSON text, else InvalidRecordError naming only the field."""
    try:
        json.loads(value)
    except (TypeError, ValueError):
        raise InvalidRecordError(f"{field} is not valid JSON") from None
    return value


class StoreBase:
    """The engine and the transaction helpers; see :class:`edgewise.store.Store`."""

    def __init__(self, engine: Engine) -> None:
        # The health-data columns are encrypted: the key is checked (and attached to the
        # engine) before any record is read or written. See edgewise.store.keys.
        ensure_unlocked(engine)
        self._engine = engine
        self._writer = writer(engine)

    @classmethod
    def from_url(cls, url: str) -> Self:
        """A store on a new engine for ``url`` (the schema must be migrated already)."""
        engine = make_engine(url)
        try:
            return cls(engine)
        except BaseException:
            engine.dispose()  # a wrong or missing key: leave no connection behind
            raise

    @property
    def engine(self) -> Engine:
        """The engine underneath (for migrations and tests)."""
        return self._engine

    def close(self) -> None:
        """Close the pooled connections."""
        self._engine.dispose()

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """A read transaction (deferred BEGIN on SQLite: never blocks on a writer in WAL)."""
        with Session(self._engine, expire_on_commit=False) as session, session.begin():
            yield session

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """A write transaction: commits on success, rolls back on any exception."""
        with Session(self._writer, expire_on_commit=False) as session, session.begin():
            yield session

    @staticmethod
    def _owned(s: Session, owner_id: int, client_id: int) -> Client:
        """The client if ``owner_id`` owns it, else NotFoundError."""
        row = s.get(Client, client_id)
        if row is None or row.owner_id != owner_id:
            raise NotFoundError(f"no client {client_id} owned by user {owner_id}")
        return row

    @staticmethod
    def _visible_client(s: Session, user_id: int, client_id: int, *, lock: bool = False) -> Client:
        """The client if ``user_id`` may see it, else NotFoundError; ``lock``: FOR UPDATE."""
        query = select(Client).where(Client.id == client_id, visible_to(user_id))
        row = s.scalar(query.with_for_update(of=Client) if lock else query)
        if row is None:
            raise NotFoundError(f"no client {client_id} for user {user_id}")
        return row

    @staticmethod
    def _writable_client(s: Session, user_id: int, client_id: int, *, lock: bool = False) -> Client:
        """The client if ``user_id`` may add to it (owner, or a share that may write), else
        NotFoundError (not visible) or ReadOnlyError (shared read-only)."""
        row = StoreBase._visible_client(s, user_id, client_id, lock=lock)
        if not StoreBase._can_write(s, row, user_id):
            raise ReadOnlyError(f"client {client_id} is shared read-only with user {user_id}")
        return row

    @staticmethod
    def _can_write(s: Session, row: Client, user_id: int) -> bool:
        """Whether ``user_id``, who can see ``row``, may add to it: its owner, or a share
        that may write."""
        if row.owner_id == user_id:
            return True
        share = s.get(ClientShare, (row.id, user_id))
        return share is not None and share.can_write
