"""Engines for SQLite (WAL, one writer at a time) and PostgreSQL (psycopg 3).

SQLite and transactions. Python's ``sqlite3`` (before 3.12's ``autocommit``) only emits
``BEGIN`` before INSERT/UPDATE/DELETE, so a read-then-write is not one transaction and
two writers can both read, then collide. We follow SQLAlchemy's documented recipe
("Using SQLAlchemy to emit BEGIN in lieu of SQLite's transaction control"):

* a ``connect`` pool event sets ``dbapi_connection.isolation_level = None`` so the driver
  never emits BEGIN itself, then sets the pragmas;
* a ``begin`` connection event emits BEGIN ourselves: ``BEGIN IMMEDIATE`` for
  connections from :func:`writer` (execution option ``edgewise_write``), which takes
  SQLite's write lock at the start so writers queue (up to ``busy_timeout``) instead of
  failing half way; plain deferred ``BEGIN`` for reads, which in WAL mode never block.

PostgreSQL needs none of this: every statement runs in a real transaction already.

A SQLite file is made 0600 before the first connect (SQLite gives its -wal and -shm
files the database file's mode), and an existing one open to others is made 0600.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.pool import ConnectionPoolEntry

from edgewise.store.config import normalise_url

__all__ = ["SQLITE_PRAGMAS", "WRITE_OPTION", "is_sqlite", "make_engine", "writer"]

#: Execution option that marks a connection (or engine) as a writer.
WRITE_OPTION = "edgewise_write"

#: Pragmas set on every new SQLite connection, in this order.
SQLITE_PRAGMAS: tuple[tuple[str, str], ...] = (
    ("journal_mode", "WAL"),
    ("foreign_keys", "ON"),
    ("busy_timeout", "5000"),
    ("synchronous", "NORMAL"),
)


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine for ``url``: SQLite gets the pragmas and the BEGIN recipe above."""
    url = normalise_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        _private_file(parsed.database)
        engine = create_engine(url, echo=echo)
        _install_sqlite_events(engine)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _private_file(database: str | None) -> None:
    """Make the SQLite file (if its folder exists) 0600, or tighten an existing one's mode."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return
    path = Path(database).expanduser()
    if not path.parent.is_dir():
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        for each in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            try:
                if each.is_file() and stat.S_IMODE(each.stat().st_mode) & 0o077:
                    each.chmod(0o600)
            except OSError:
                pass  # not ours to change: SQLite reports what it cannot open
    except OSError:
        pass  # SQLite reports the folder's problem when it connects


def writer(engine: Engine) -> Engine:
    """The same engine, marked so its transactions start with ``BEGIN IMMEDIATE`` on SQLite."""
    return engine.execution_options(**{WRITE_OPTION: True})


def is_sqlite(engine: Engine) -> bool:
    """Whether ``engine`` talks to SQLite."""
    return engine.dialect.name == "sqlite"


def _install_sqlite_events(engine: Engine) -> None:
    """Attach the connect (pragmas) and begin (BEGIN [IMMEDIATE]) listeners."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for name, value in SQLITE_PRAGMAS:
                cursor.execute(f"PRAGMA {name}={value}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = bool(conn.get_execution_options().get(WRITE_OPTION))
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
