"""Bring a database to a schema revision with Alembic, programmatically (no alembic.ini).

On SQLite the upgrade runs with foreign keys off (``PRAGMA foreign_keys`` cannot change
inside a transaction), so Alembic's batch "copy and move" of a table cannot cascade or
null out rows that point at it; ``PRAGMA foreign_key_check`` must come back clean before
the upgrade commits. The whole upgrade is one transaction on both backends.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from edgewise.store.engine import is_sqlite, make_engine, writer
from edgewise.store.errors import StoreError

__all__ = ["alembic_config", "current_revision", "head_revision", "script_location", "upgrade"]


def script_location() -> Path:
    """The ``migrations`` folder shipped inside the package."""
    return Path(str(files("edgewise.store") / "migrations"))


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config for the shipped scripts, optionally bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision the shipped scripts know."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise StoreError("no migration scripts found")
    return head


def upgrade(target: Engine | str, revision: str = "head") -> None:
    """Upgrade the database behind ``target`` (an engine or a URL) to ``revision``."""
    with _engine(target) as engine:
        sqlite = is_sqlite(engine)
        with writer(engine).connect() as conn:
            if sqlite:
                _pragma(conn, "foreign_keys=OFF")
            try:
                with conn.begin():
                    command.upgrade(alembic_config(conn), revision)
                    if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first():
                        raise StoreError("migration left rows with broken foreign keys")
            finally:
                if sqlite:
                    _pragma(conn, "foreign_keys=ON")


def current_revision(target: Engine | str) -> str | None:
    """The revision the database is at (None: never migrated)."""
    with _engine(target) as engine, engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def _engine(target: Engine | str) -> Iterator[Engine]:
    """Use ``target`` if it is an engine; else make one for the URL and dispose of it after."""
    if isinstance(target, Engine):
        yield target
        return
    engine = make_engine(target)
    try:
        yield engine
    finally:
        engine.dispose()


def _pragma(conn: Connection, setting: str) -> None:
    """Run a PRAGMA outside any transaction, straight on the driver connection."""
    driver: Any = conn.connection.driver_connection
    driver.execute(f"PRAGMA {setting}")
