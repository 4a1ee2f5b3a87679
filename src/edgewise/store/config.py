"""Where the database lives: an explicit URL, the environment, or a SQLite file in the data dir."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs
from sqlalchemy.engine import make_url

__all__ = [
    "APP_NAME",
    "DB_FILENAME",
    "ENV_DATA_DIR",
    "ENV_DB_URL",
    "normalise_url",
    "resolve_data_dir",
    "resolve_db_url",
]

APP_NAME = "edgewise"
#: The SQLite file created in the data directory when no URL is given.
DB_FILENAME = "edgewise.db"
ENV_DB_URL = "EDGEWISE_DB_URL"
ENV_DATA_DIR = "EDGEWISE_DATA_DIR"

_PG_PREFIXES = ("postgresql://", "postgres://")


def resolve_data_dir(
    data_dir: str | Path | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """``data_dir`` > ``$EDGEWISE_DATA_DIR`` > the platform user data dir; created if missing,
    and private (0700)."""
    environ = os.environ if env is None else env
    chosen = data_dir if data_dir else environ.get(ENV_DATA_DIR) or None
    path = Path(chosen) if chosen else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = path.expanduser()
    _private_folder(path)
    return path


def _private_folder(path: Path) -> None:
    """Make the data folder 0700 (made if missing; an existing one of ours is tightened)."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode is masked by the umask
        return
    try:
        if path.is_dir() and path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
            path.chmod(0o700)
    except OSError:
        pass  # not ours to change


def resolve_db_url(
    db_url: str | None = None,
    data_dir: str | Path | None = None,
    env: Mapping[str, str] | None = None,
) -> str:
    """``db_url`` > ``$EDGEWISE_DB_URL`` > SQLite ``edgewise.db`` in :func:`resolve_data_dir`."""
    environ = os.environ if env is None else env
    explicit = db_url or environ.get(ENV_DB_URL) or None
    if explicit:
        url = normalise_url(explicit)
        _ensure_sqlite_parent(url)
        return url
    path = resolve_data_dir(data_dir, environ) / DB_FILENAME
    return f"sqlite:///{path}"


def normalise_url(url: str) -> str:
    """Give bare ``postgresql://``/``postgres://`` URLs the psycopg 3 driver; others unchanged."""
    for prefix in _PG_PREFIXES:
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _ensure_sqlite_parent(url: str) -> None:
    """Create the folder of a file-based SQLite URL so the first connect can make the file."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
