"""Where the encryption key comes from, and checking it against the database before use.

A key is 32 random bytes in a key file (``edgewise-key-1 <base64>``, mode 0600, refused
with E442 when other accounts may read or write it), or is derived from a passphrase
with scrypt (memory-hard: n=2**17, r=8, 128 MiB; the salt and factors are stored in the
database with the key). The source is, in order: the file given, ``$EDGEWISE_KEY_FILE``,
``$EDGEWISE_KEY_PASSPHRASE``, else ``edgewise.key`` in the user's config folder (not the
data folder, so a copy of the data folder holds no key). Only that default file is made
when missing, and only for a database that holds no clients yet.

Each key has a row in ``encryption_keys`` with a *check value*: a constant sealed with
the key. :func:`unlock` finds the row the key opens before anything reads or writes a
value: a key that opens none is E441 and the database is left as it was.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Connection, Engine, insert, inspect, select, text, update

from edgewise.errors import InputError
from edgewise.store.crypto import (
    CHECK_LABEL,
    KEY_BYTES,
    KeyMissingError,
    Keyring,
    RotationError,
    WrongKeyError,
    attach,
    keyring_of,
)
from edgewise.store.tables import EncryptionKey
from edgewise.store.vault import KdfParams

__all__ = [
    "CHECK_TEXT",
    "ENV_KEY_FILE",
    "ENV_KEY_PASSPHRASE",
    "KEY_FILENAME",
    "KeyFileError",
    "KeySource",
    "NewKey",
    "check_opens",
    "ensure_unlocked",
    "key_material",
    "match_key",
    "new_key_row",
    "read_key_file",
    "resolve_key_source",
    "unlock",
    "write_key_file",
]

ENV_KEY_FILE = "EDGEWISE_KEY_FILE"
ENV_KEY_PASSPHRASE = "EDGEWISE_KEY_PASSPHRASE"
KEY_FILENAME = "edgewise.key"
#: What each key's check value seals.
CHECK_TEXT = "edgewise encryption key check"
_HEADER = "edgewise-key-1"
_MIN_PASSPHRASE = 12


class KeyFileError(InputError):
    """The key file is open to other accounts, or not a regular file."""

    code = "E442"


class KeyFormatError(InputError):
    """The key file is not an edgewise key, or the passphrase is too short."""

    code = "E443"


@dataclass(frozen=True, slots=True)
class KeySource:
    """A key file (``path``) or a passphrase; ``default``: the file may be made if missing."""

    path: Path | None = None
    passphrase: str | None = field(default=None, repr=False)
    default: bool = False

    def describe(self) -> str:
        """Where the key comes from, for messages (never the passphrase)."""
        return "the passphrase" if self.passphrase is not None else f"the key file {self.path}"


@dataclass(frozen=True, slots=True)
class NewKey:
    """A key not yet registered: its bytes, and its ``kdf`` column (None: a key file)."""

    key: bytes = field(repr=False)
    kdf: str | None


def default_key_path() -> Path:
    """``edgewise.key`` in the user's config folder."""
    return Path(platformdirs.user_config_dir("edgewise", appauthor=False)) / KEY_FILENAME


def resolve_key_source(
    key_file: str | Path | None = None, env: Mapping[str, str] | None = None
) -> KeySource:
    """``key_file`` > ``$EDGEWISE_KEY_FILE`` > ``$EDGEWISE_KEY_PASSPHRASE`` > the default file."""
    environ = os.environ if env is None else env
    if key_file:
        return KeySource(path=Path(key_file).expanduser())
    if environ.get(ENV_KEY_FILE):
        return KeySource(path=Path(environ[ENV_KEY_FILE]).expanduser())
    if environ.get(ENV_KEY_PASSPHRASE) is not None:
        return KeySource(passphrase=environ[ENV_KEY_PASSPHRASE])
    return KeySource(path=default_key_path(), default=True)


def write_key_file(path: Path, key: bytes | None = None) -> bytes:
    """Make a new key file at ``path`` (0600, its folder 0700 when made); never overwrites."""
    key = key if key is not None else secrets.token_bytes(KEY_BYTES)
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    body = f"{_HEADER} {base64.b64encode(key).decode('ascii')}\n".encode("ascii")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, body)
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


def read_key_file(path: Path) -> bytes:
    """The key in the file at ``path``: E442 if others may use it, E443 if malformed."""
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise KeyFileError("the key file is not a regular file", path=path)
        if info.st_mode & 0o077:
            raise KeyFileError(
                f"the key file is open to other accounts (mode {stat.S_IMODE(info.st_mode):o}); "
                "make it private: chmod 600 FILE",
                path=path,
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise KeyMissingError("the key file does not exist", path=path) from None
    except OSError as exc:
        raise KeyFileError(f"cannot read the key file ({exc.strerror})", path=path) from None
    parts = raw.decode("ascii", errors="replace").split()
    try:
        if len(parts) != 2 or parts[0] != _HEADER:
            raise ValueError
        key = base64.b64decode(parts[1], validate=True)
    except (ValueError, binascii.Error):
        raise KeyFormatError("the file is not an edgewise key", path=path) from None
    if len(key) != KEY_BYTES:
        raise KeyFormatError("the file is not an edgewise key", path=path)
    return key


def _passphrase(source: KeySource) -> str:
    phrase = source.passphrase or ""
    if len(phrase) < _MIN_PASSPHRASE:
        raise KeyFormatError(f"the key passphrase is shorter than {_MIN_PASSPHRASE} characters")
    return phrase


def _derive(passphrase: str, kdf_json: str) -> bytes:
    body = json.loads(kdf_json)
    params = KdfParams(int(body["n"]), int(body["r"]), int(body["p"]))
    params.check()
    return params.derive(passphrase, bytes.fromhex(body["salt"]))


def key_material(source: KeySource, *, may_create: bool) -> NewKey:
    """A key for a database that has none yet: from the file (made if ``may_create`` and
    it is the default file), or from the passphrase with a new salt."""
    if source.passphrase is not None:
        params = KdfParams()
        salt = secrets.token_bytes(16)
        kdf = {"name": "scrypt", "n": params.n, "r": params.r, "p": params.p, "salt": salt.hex()}
        kdf_json = json.dumps(kdf, sort_keys=True)
        return NewKey(_derive(_passphrase(source), kdf_json), kdf_json)
    assert source.path is not None
    if may_create and source.default and not source.path.exists():
        return NewKey(write_key_file(source.path), None)
    return NewKey(read_key_file(source.path), None)


def new_key_row(conn: Connection, new: NewKey, state: str) -> int:
    """Register ``new`` in ``encryption_keys`` with its check value; returns its id."""
    row = {"state": state, "kdf": new.kdf, "check": None, "created_at": _now()}
    result = conn.execute(insert(EncryptionKey).values(**row))
    key_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    check = Keyring({key_id: new.key}, key_id).seal(CHECK_TEXT, CHECK_LABEL)
    conn.execute(update(EncryptionKey).where(EncryptionKey.id == key_id).values(check=check))
    return key_id


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _opens(key: bytes, key_id: int, check: str) -> bool:
    try:
        return Keyring({key_id: key}, key_id).open(check, CHECK_LABEL) == CHECK_TEXT
    except Exception:  # noqa: BLE001 - any failure means: not this key
        return False


def match_key(rows: list[Any], source: KeySource) -> dict[int, bytes]:
    """The ids of the ``encryption_keys`` rows that ``source``'s key opens, with the key."""
    found: dict[int, bytes] = {}
    file_key = None if source.passphrase is not None else _file_key(source)
    for row in rows:
        if row.check is None:
            continue
        if source.passphrase is not None:
            if row.kdf is None:
                continue
            key = _derive(_passphrase(source), row.kdf)
        else:
            if row.kdf is not None or file_key is None:
                continue
            key = file_key
        if _opens(key, row.id, row.check):
            found[row.id] = key
    return found


def _file_key(source: KeySource) -> bytes:
    assert source.path is not None
    if source.default and not source.path.exists():
        raise KeyMissingError(
            f"no encryption key: set {ENV_KEY_FILE} or {ENV_KEY_PASSPHRASE} "
            f"(looked for {source.path})"
        )
    return read_key_file(source.path)


def key_rows(conn: Connection) -> list[Any] | None:
    """The rows of ``encryption_keys`` (None: the table is not there yet, before 0009)."""
    if not inspect(conn).has_table(EncryptionKey.__tablename__):
        return None
    table = EncryptionKey.__table__
    return list(conn.execute(select(table).order_by(table.c.id)))


def _holds_clients(conn: Connection) -> bool:
    if not inspect(conn).has_table("clients"):
        return False
    return conn.execute(text("SELECT 1 FROM clients LIMIT 1")).first() is not None


@dataclass
class Unlocked:
    """What :func:`unlock` found: the keyring, and a key to register (new databases)."""

    keyring: Keyring
    pending: NewKey | None = None
    created: Path | None = None


def unlock(engine: Engine | Connection, source: KeySource) -> Unlocked:
    """Check ``source``'s key against the database and attach the keyring to ``engine``.

    A database with keys: the key must open the active key's check value (E441 if it
    opens none, E445 if it opens only the next key of a rotation left half done). A
    database without (new, or older than revision 0009): the key is made or derived and
    registered now if the table is there, else by migration 0009; the default key file
    is made only when the database holds no clients (E440 otherwise). On a connection,
    the registration is part of its transaction.
    """
    if isinstance(engine, Connection):
        unlocked = _unlock_on(engine, source)
    else:
        with engine.begin() as conn:
            unlocked = _unlock_on(conn, source)
    attach(engine, unlocked.keyring)
    return unlocked


def _unlock_on(conn: Connection, source: KeySource) -> Unlocked:
    rows = key_rows(conn)
    if rows:
        found = match_key(rows, source)
        active = [r.id for r in rows if r.state == "active"]
        if not found:
            raise WrongKeyError(
                f"{source.describe()} does not open this database; nothing was read or written"
            )
        if not active or active[0] not in found:
            raise RotationError(
                "a key rotation is half done: run 'edgewise key rotate' with the old key"
            )
        return Unlocked(Keyring(found, active[0]))
    existed = source.path.exists() if source.path is not None else True
    new = key_material(source, may_create=not _holds_clients(conn))
    created = source.path if source.path is not None and not existed else None
    if rows is not None:  # the table is there but empty: register now
        key_id = new_key_row(conn, new, "active")
        return Unlocked(Keyring({key_id: new.key}, key_id), created=created)
    keyring = Keyring({1: new.key}, 1)
    keyring.pending_kdf = (new.kdf,)
    return Unlocked(keyring, pending=new, created=created)


def check_opens(engine: Engine, source: KeySource) -> None:
    """Read-only: E441 unless ``source``'s key opens the database's active key (a database
    without keys passes: it has nothing sealed yet)."""
    with engine.connect() as conn:
        rows = key_rows(conn)
    if not rows:
        return
    active = [r.id for r in rows if r.state == "active"]
    if not active or active[0] not in match_key(rows, source):
        raise WrongKeyError(
            f"{source.describe()} does not open this database; nothing was read or written"
        )


def ensure_unlocked(engine: Engine, source: KeySource | None = None) -> Keyring:
    """The engine's keyring, unlocking it from ``source`` (default: the environment)."""
    keyring = keyring_of(engine.dialect)
    if keyring is not None:
        return keyring
    return unlock(engine, source or resolve_key_source()).keyring
