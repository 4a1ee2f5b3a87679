"""Backup and restore: an encrypted, authenticated snapshot of the whole database.

:func:`backup` copies the database consistently while the app may be serving
(:mod:`edgewise.store.snapshot`), seals the copy with a passphrase
(:mod:`edgewise.store.vault`) and writes the file atomically with mode 0600.
:func:`restore` checks every tag and the hash before it touches the target; refuses a
target that holds records unless ``force``; loads the snapshot; then checks the schema
revision and brings it to this edgewise's newest. Plaintext copies live only in a
private (0700) temporary folder and are removed on the way out.

Each is audited in the database it acted on, naming no user but the OS account that ran
the command (:func:`edgewise.services.actor.operator_words`): ``export``/``database``
with ``backup bytes=N`` (written after the file, so the backup does not hold its own
row), ``update``/``database`` with ``restored backup_created=UNIX_TIME`` (written into
the restored database, after the rows the backup brought).
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from alembic.script import ScriptDirectory

from edgewise.errors import InputError
from edgewise.services.actor import operator_words
from edgewise.store import snapshot
from edgewise.store.audit import append_without_key
from edgewise.store.engine import make_engine
from edgewise.store.errors import StoreError
from edgewise.store.migrate import alembic_config, current_revision, upgrade
from edgewise.store.records import AuditAction
from edgewise.store.vault import (
    BackupDamagedError,
    BackupHeader,
    KdfParams,
    decrypt_to,
    read_header,
    seal_file,
)

__all__ = [
    "PASSPHRASE_ENV",
    "PassphraseError",
    "SchemaMismatchError",
    "backup",
    "check_passphrase",
    "passphrase_from_file",
    "restore",
]

#: The environment variable a passphrase may come from (for scheduled backups).
PASSPHRASE_ENV = "EDGEWISE_BACKUP_PASSPHRASE"
_MIN_PASSPHRASE = 8


class PassphraseError(InputError):
    """No usable passphrase: empty, too short, or a file others may read."""

    code = "E420"


class SchemaMismatchError(StoreError):
    """The backup is of another backend, or of a schema this edgewise does not know."""

    code = "E425"


def passphrase_from_file(path: Path) -> str:
    """The first line of ``path``, which must be a file only its owner may read (0600)."""
    try:
        mode = path.stat().st_mode
        if not stat.S_ISREG(mode):
            raise PassphraseError("the passphrase file is not a regular file", path=path)
        if mode & 0o077:
            raise PassphraseError(
                "the passphrase file can be read by other accounts; make it private: "
                "chmod 600 FILE",
                path=path,
            )
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise PassphraseError(f"cannot read the passphrase file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise PassphraseError("the passphrase file is not UTF-8 text", path=path) from None
    return lines[0] if lines else ""


def check_passphrase(passphrase: str) -> str:
    """``passphrase`` if it has at least 8 characters, else PassphraseError."""
    if len(passphrase) < _MIN_PASSPHRASE:
        raise PassphraseError(
            f"the backup passphrase must have at least {_MIN_PASSPHRASE} characters"
        )
    return passphrase


@contextlib.contextmanager
def _private_folder() -> Iterator[Path]:
    """A temporary folder only this account may enter (plaintext goes there briefly)."""
    with tempfile.TemporaryDirectory(prefix="edgewise-backup-") as name:
        os.chmod(name, 0o700)
        yield Path(name)


def backup(url: str, out: Path, passphrase: str, *, kdf: KdfParams | None = None) -> BackupHeader:
    """Write the encrypted snapshot of the database at ``url`` to ``out`` (0600, atomic)."""
    check_passphrase(passphrase)
    backend = snapshot.backend_of(url)
    revision = current_revision(url)
    out = out.expanduser()
    if out.is_dir():
        raise InputError(f"{out} is a folder; give the backup file's path")
    with _private_folder() as folder:
        plain = folder / "snapshot"
        snapshot.dump(url, plain)
        if backend == "sqlite":
            revision = snapshot.snapshot_revision(plain, backend)
        header = _write_atomic(out, plain, passphrase, backend, revision, kdf)
    _audit(url, "export", f"backup bytes={header.size}")
    return header


def _audit(url: str, action: AuditAction, detail: str) -> None:
    """The audit row of a backup or restore, in the database at ``url``: who (the OS
    account) and what, with the time; never a path, a passphrase or a record's content."""
    engine = make_engine(url)
    try:
        append_without_key(engine, action, "database", None, detail=f"{detail} {operator_words()}")
    finally:
        engine.dispose()


def _write_atomic(
    out: Path,
    plain: Path,
    passphrase: str,
    backend: str,
    revision: str | None,
    kdf: KdfParams | None,
) -> BackupHeader:
    """Seal ``plain`` into a temporary file beside ``out``, fsync it, rename it over ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            header = seal_file(plain, fh, passphrase, backend=backend, revision=revision, kdf=kdf)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, out)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    folder = os.open(out.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)
    return header


def _known_revisions() -> set[str]:
    scripts = ScriptDirectory.from_config(alembic_config())
    return {script.revision for script in scripts.walk_revisions()}


def restore(url: str, source: Path, passphrase: str, *, force: bool = False) -> BackupHeader:
    """Check the backup at ``source``, then load it into the database at ``url``."""
    header, _, _ = read_header(source)
    backend = snapshot.backend_of(url)
    if header.backend != backend:
        raise SchemaMismatchError(
            f"the backup is of a {header.backend} database; the target is {backend}"
        )
    if header.revision is not None and header.revision not in _known_revisions():
        raise SchemaMismatchError(
            f"the backup's schema revision {header.revision} is unknown to this edgewise "
            "(made by a newer one?); upgrade edgewise first"
        )
    with _private_folder() as folder:
        plain = folder / "snapshot"
        with plain.open("wb") as fh:
            decrypt_to(source, passphrase, fh)
        if backend == "sqlite" and snapshot.snapshot_revision(plain, backend) != header.revision:
            raise BackupDamagedError("the snapshot's schema revision differs from its header")
        if backend == "sqlite":
            _check_key(plain)  # E441 before the target is touched: its key must open it
        if not force and not snapshot.is_empty(url):
            raise snapshot.NotEmptyError(
                "the target database holds records; restore over it with --force"
            )
        snapshot.load(url, plain, backend)
    _check_loaded(url, header)
    made = int(header.created.timestamp())
    _audit(url, "update", f"restored backup_created={made}")
    return header


def _check_key(plain: Path) -> None:
    """The encryption key in use opens the SQLite snapshot at ``plain`` (read only)."""
    from sqlalchemy import create_engine

    from edgewise.store.keys import check_opens, resolve_key_source

    engine = create_engine(f"sqlite:///file:{plain}?mode=ro&uri=true")
    try:
        check_opens(engine, resolve_key_source())
    finally:
        engine.dispose()


def _check_loaded(url: str, header: BackupHeader) -> None:
    """The restored database is at the backup's revision; then migrate it to head."""
    loaded = current_revision(url)
    if header.revision is not None and loaded != header.revision:
        raise SchemaMismatchError(
            f"the restored database is at revision {loaded}, the backup said {header.revision}"
        )
    upgrade(url)
