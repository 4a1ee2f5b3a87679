"""Consistent copies of the database, and loading one back.

SQLite: the online backup API (``sqlite3.Connection.backup``) in one step, which copies
every page under one read transaction, so writers going on meanwhile are either wholly
in the copy or wholly out of it. Restoring runs the same API the other way, into the
target database: SQLite swaps the pages in under the target's write lock, so readers
see the old database or the new one, never a mix.

PostgreSQL: ``pg_dump --format=custom`` (one repeatable-read transaction) and
``pg_restore --clean --if-exists --single-transaction``. The tools come from the newest
``/usr/lib/postgresql/*/bin`` or PATH; the password travels in ``PGPASSWORD``, never on
a command line that ``ps`` shows.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy import func, inspect, select
from sqlalchemy.engine import URL, make_url

from edgewise.store.engine import make_engine
from edgewise.store.errors import StoreError
from edgewise.store.tables import Base, MeasureDefinition

__all__ = [
    "BackupToolError",
    "BackupToolMissingError",
    "NotEmptyError",
    "backend_of",
    "dump",
    "is_empty",
    "load",
    "pg_tool",
    "sqlite_path",
    "snapshot_revision",
]


class BackupToolMissingError(StoreError):
    """pg_dump or pg_restore is not installed where edgewise looks."""

    code = "E421"


class NotEmptyError(StoreError):
    """Restore would overwrite a database that holds records (and --force was not given)."""

    code = "E424"


class BackupToolError(StoreError):
    """pg_dump or pg_restore (or SQLite's backup) failed."""

    code = "E426"


def backend_of(url: str) -> str:
    """``sqlite`` or ``postgresql``."""
    return make_url(url).get_backend_name()


def sqlite_path(url: str) -> Path:
    """The file of a SQLite URL (StoreError for an in-memory one)."""
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        raise StoreError("backup and restore need a SQLite file, not an in-memory database")
    return Path(database).expanduser()


def pg_tool(name: str) -> Path:
    """The newest ``name`` (pg_dump, pg_restore) installed, else BackupToolMissingError."""
    versions = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
        reverse=True,
    )
    found = [p for p in versions if p.is_file()]
    if found:
        return found[0]
    on_path = shutil.which(name)
    if on_path:
        return Path(on_path)
    raise BackupToolMissingError(
        f"{name} is not installed (looked in /usr/lib/postgresql/*/bin and PATH); "
        "install the PostgreSQL client tools (Debian: postgresql-client)"
    )


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password, and the environment that carries it."""
    parsed: URL = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    uri = parsed.set(drivername="postgresql", password=None)
    return uri.render_as_string(hide_password=False), env


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    """Run a PostgreSQL tool; BackupToolError naming only its exit status."""
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    if done.returncode != 0:
        raise BackupToolError(f"{what} failed (exit status {done.returncode})")


def dump(url: str, dest: Path) -> None:
    """Write a consistent copy of the database at ``url`` to ``dest`` (a new file)."""
    if backend_of(url) == "sqlite":
        source = sqlite_path(url)
        if not source.is_file():
            raise StoreError(f"there is no database at {source}")
        src = sqlite3.connect(source)
        dst = sqlite3.connect(dest)
        try:
            src.backup(dst)  # pages=-1: one step, one read transaction
        except sqlite3.Error as exc:
            raise BackupToolError(f"SQLite's backup failed ({type(exc).__name__})") from None
        finally:
            dst.close()
            src.close()
        return
    uri, env = _libpq(url)
    argv = [str(pg_tool("pg_dump")), "--format=custom", "--no-owner", "--no-privileges"]
    _run([*argv, "--file", str(dest), "--dbname", uri], env, "pg_dump")


def snapshot_revision(plain: Path, backend: str) -> str | None:
    """The schema revision a SQLite snapshot holds (None for PostgreSQL: read after load)."""
    if backend != "sqlite":
        return None
    conn = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        return None
    finally:
        conn.close()
    return None if row is None else str(row[0])


def is_empty(url: str) -> bool:
    """Whether the database holds no records (built-in measure definitions aside)."""
    if backend_of(url) == "sqlite" and not sqlite_path(url).exists():
        return True
    engine = make_engine(url)
    try:
        present = set(inspect(engine).get_table_names())
        with engine.connect() as conn:
            for table in Base.metadata.sorted_tables:
                if table.name not in present:
                    continue
                query = select(func.count()).select_from(table)
                if table.name == MeasureDefinition.__tablename__:
                    query = query.where(table.c.builtin.is_(False))
                if conn.scalar(query):
                    return False
    finally:
        engine.dispose()
    return True


def load(url: str, plain: Path, backend: str) -> None:
    """Replace the database at ``url`` by the checked snapshot ``plain``."""
    if backend != backend_of(url):
        raise StoreError(f"the backup is of a {backend} database; the target is {backend_of(url)}")
    if backend == "sqlite":
        target = sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():  # made private before SQLite writes a byte into it
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        src = sqlite3.connect(f"file:{plain}?mode=ro", uri=True)
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
            dst.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise BackupToolError(f"SQLite's restore failed ({type(exc).__name__})") from None
        finally:
            dst.close()
            src.close()
        os.chmod(target, 0o600)
        return
    uri, env = _libpq(url)
    argv = [str(pg_tool("pg_restore")), "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    _run([*argv, "--single-transaction", "--dbname", uri, str(plain)], env, "pg_restore")
