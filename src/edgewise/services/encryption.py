"""The encryption key's use cases: make a key file, check a key, rotate to a new key.

Rotating with key files: the new key is written next to the old one
(``edgewise.key.next``, 0600) unless ``--new-key-file`` names one, every value is sealed
again with it (:func:`edgewise.store.rotate.rotate`), and then the new file takes the
old one's place (a rename; the old key is gone). Run again after an interruption, it
finds the pending rotation and the ``.next`` file and carries on; after a crash between
the database's switch and the rename, it only does the rename.

A rotation is audited once it is done: ``update``/``encryption_key`` (the new key's id)
with ``rotated from_key=ID values=N`` and the OS account that ran it
(:func:`edgewise.services.actor.operator_words`); never a key or a passphrase.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from edgewise.errors import UsageError
from edgewise.services.actor import operator_words
from edgewise.store import resolve_db_url
from edgewise.store.audit import append_without_key
from edgewise.store.crypto import PREFIX, RotationError, key_id_of
from edgewise.store.engine import make_engine
from edgewise.store.keys import (
    KeySource,
    key_rows,
    read_key_file,
    resolve_key_source,
    unlock,
    write_key_file,
)
from edgewise.store.rotate import RotationReport, encrypted_columns, raw_column, rotate

__all__ = ["KeyStatus", "check_key", "init_key", "rotate_key"]


def init_key(source: KeySource) -> Path:
    """Write a new key file where ``source`` names one (refused if a file is there)."""
    if source.path is None:
        raise UsageError("a passphrase needs no key file: set EDGEWISE_KEY_FILE to make one")
    if source.path.exists():
        raise UsageError(f"{source.path} exists already; a key file is never overwritten")
    write_key_file(source.path)
    return source.path


@dataclass(frozen=True, slots=True)
class KeyStatus:
    """The key in use and how many stored values each key id seals."""

    active_id: int
    kind: str
    sealed: dict[int, int]
    retired: tuple[int, ...]


def check_key(
    db_url: str | None, data_dir: str | Path | None, source: KeySource | None = None
) -> KeyStatus:
    """Open the database with the key (E440/E441/E442/E443/E445 as :func:`unlock`) and
    count the values each key id seals."""
    engine = make_engine(resolve_db_url(db_url, data_dir))
    try:
        keyring = unlock(engine, source or resolve_key_source()).keyring
        sealed: dict[int, int] = {}
        with engine.connect() as conn:
            rows = key_rows(conn) or []
            for table, column, _label in encrypted_columns():
                value = raw_column(table, column)
                query = select(value).where(value.like(f"{PREFIX}:%"))
                for (text,) in conn.execute(query):
                    kid = key_id_of(text)
                    if kid is not None:
                        sealed[kid] = sealed.get(kid, 0) + 1
        active = next(r for r in rows if r.id == keyring.active)
        return KeyStatus(
            active_id=keyring.active,
            kind="passphrase" if active.kdf else "key file",
            sealed=sealed,
            retired=tuple(r.id for r in rows if r.state == "retired"),
        )
    finally:
        engine.dispose()


def _next_path(path: Path) -> Path:
    return path.with_name(path.name + ".next")


def rotate_key(
    db_url: str | None,
    data_dir: str | Path | None,
    *,
    source: KeySource | None = None,
    new_key_file: Path | None = None,
    new_passphrase: str | None = None,
    on_batch: Callable[[int], None] | None = None,
    batch: int = 500,
) -> tuple[RotationReport, Path | None]:
    """Rotate from the key of ``source`` to a new one; returns the report and the file
    that now holds the key (None for a passphrase). The new key: ``new_passphrase``, or
    ``new_key_file`` (made if missing), or a new file beside the old key file."""
    old = source or resolve_key_source()
    replace: Path | None = None
    if new_passphrase is not None:
        new = KeySource(passphrase=new_passphrase)
    else:
        if new_key_file is None:
            if old.path is None:
                raise UsageError("give --new-key-file or a new passphrase to rotate a passphrase")
            new_key_file = _next_path(old.path)
            replace = old.path
        new = KeySource(path=new_key_file)
    engine = make_engine(resolve_db_url(db_url, data_dir))
    try:
        with engine.connect() as conn:
            rows = key_rows(conn)
        if not rows:
            raise RotationError("the database has no key yet: open it once with its key first")
        pending = any(r.state == "next" for r in rows)
        if new.path is not None and not new.path.exists():
            if pending:
                raise RotationError(f"the new key of the pending rotation is missing: {new.path}")
            write_key_file(new.path)
        if new.path is not None:
            read_key_file(new.path)  # E442/E443 before any change
        report = rotate(engine, old, new, batch=batch, on_batch=on_batch)
        if not report.already_done:
            detail = f"rotated from_key={report.old_id} values={report.resealed}"
            words = f"{detail} {operator_words()}"
            append_without_key(engine, "update", "encryption_key", report.new_id, detail=words)
    finally:
        engine.dispose()
    if replace is not None and new.path is not None:
        os.replace(new.path, replace)
        return report, replace
    return report, new.path
