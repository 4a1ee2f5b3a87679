"""Local-first storage: SQLite by default, PostgreSQL by URL, migrated with Alembic.

``open_store(db_url=None, data_dir=None)`` resolves the database (see
:func:`resolve_db_url`), brings its schema to the newest revision and returns a
:class:`Store`. Nothing here logs or raises with clinical text in the message.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

from edgewise.store.config import resolve_data_dir, resolve_db_url
from edgewise.store.engine import make_engine
from edgewise.store.errors import (
    ConflictError,
    InvalidRecordError,
    NotFoundError,
    ReadOnlyError,
    StoreError,
)
from edgewise.store.keys import KeySource, resolve_key_source, unlock
from edgewise.store.migrate import current_revision, head_revision, upgrade
from edgewise.store.records import (
    AlertChange,
    AlertRecord,
    AnalysisVersions,
    AuditRecord,
    CaseloadPage,
    CaseloadRow,
    ClientRecord,
    MeasureDefinitionRecord,
    MeasureResponseRecord,
    RiskFlagRecord,
    SessionRecord,
    SessionScores,
    TokenRecord,
    TokenScope,
    UserRecord,
    analysis_outcome,
)
from edgewise.store.repository import DEFAULT_MEASURE_KEYS, Store
from edgewise.store.uploads import NewSession, UploadRecord

__all__ = [
    "DEFAULT_MEASURE_KEYS",
    "AlertChange",
    "AlertRecord",
    "AnalysisVersions",
    "AuditRecord",
    "CaseloadPage",
    "CaseloadRow",
    "ClientRecord",
    "ConflictError",
    "InvalidRecordError",
    "KeySource",
    "MeasureDefinitionRecord",
    "MeasureResponseRecord",
    "NewSession",
    "NotFoundError",
    "ReadOnlyError",
    "RiskFlagRecord",
    "SessionRecord",
    "SessionScores",
    "Store",
    "StoreError",
    "TokenRecord",
    "TokenScope",
    "UploadRecord",
    "UserRecord",
    "analysis_outcome",
    "current_revision",
    "head_revision",
    "make_engine",
    "open_store",
    "resolve_data_dir",
    "resolve_db_url",
    "resolve_key_source",
    "upgrade",
]


def open_store(
    db_url: str | None = None,
    data_dir: str | Path | None = None,
    *,
    migrate: bool = True,
    key: KeySource | None = None,
) -> Store:
    """The store for ``db_url``/``data_dir`` (see resolve_db_url), upgraded to head by default.

    ``key``: where the encryption key comes from (default: :func:`resolve_key_source`); it
    is checked against the database before the upgrade or anything else touches it.
    """
    backend = "given"
    try:
        url = resolve_db_url(db_url, data_dir)
        backend = make_url(url).get_backend_name()
        engine = make_engine(url)
        try:
            unlock(engine, key or resolve_key_source())
            if migrate:
                upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
    except StoreError:
        raise
    except (ArgumentError, NoSuchModuleError, ModuleNotFoundError):
        raise StoreError(
            "the database URL is not one edgewise can use (sqlite:///PATH or postgresql://...)"
        ) from None
    except OSError as exc:  # the data dir cannot be made
        raise StoreError(f"cannot create the data folder ({exc.strerror})") from None
    except OperationalError as exc:  # the URL names a server or file that cannot be reached
        # Only the backend and the error class: the URL may hold a password.
        reason = type(exc.orig).__name__ if exc.orig is not None else type(exc).__name__
        raise StoreError(f"cannot connect to the {backend} database ({reason})") from None
    return Store(engine)
