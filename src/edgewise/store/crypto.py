"""Field-level encryption of health data: AES-256-GCM through an SQLAlchemy column type.

A column declared ``EncryptedText("sessions.transcript")`` holds text like
``ew1:3:<base64>``: the format, the id of the key that sealed it (a row of
``encryption_keys``), then the 12-byte random nonce and the ciphertext with its 16-byte
tag. The associated data is the column's label and the key id, so a value copied into
another column, or relabelled with another key id, fails its tag (E444) instead of
reading as something else. The same type serves SQLite and PostgreSQL.

The keys travel with the engine, not in a global: :func:`attach` puts a
:class:`Keyring` on the engine's dialect, which SQLAlchemy hands to every bind and
result processor. A column read or written on an engine without one raises
:class:`KeyMissingError` (E440). Errors name the column, never the value.
"""

from __future__ import annotations

import binascii
import secrets
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import Engine, Text
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.types import TypeDecorator

from edgewise.store.errors import StoreError

__all__ = [
    "CHECK_LABEL",
    "KEY_BYTES",
    "PREFIX",
    "EncryptedText",
    "KeyMissingError",
    "Keyring",
    "RotationError",
    "UndecryptableError",
    "WrongKeyError",
    "attach",
    "detach",
    "key_id_of",
    "keyring_of",
]

#: The format tag every sealed value starts with.
PREFIX = "ew1"
#: AES-256: keys are 32 bytes.
KEY_BYTES = 32
#: The label of the key-check value stored with each key (see edgewise.store.keys).
CHECK_LABEL = "encryption_keys.check"
_NONCE = 12
_ATTRIBUTE = "edgewise_keyring"


class KeyMissingError(StoreError):
    """No key is configured, and the database needs one."""

    code = "E440"


class WrongKeyError(StoreError):
    """The key given is not one this database was encrypted with."""

    code = "E441"


class UndecryptableError(StoreError):
    """A stored value fails its tag: changed, moved, or sealed with a key no longer known."""

    code = "E444"


class RotationError(StoreError):
    """A key rotation cannot go on (its new key is missing, or another one is pending)."""

    code = "E445"


class Keyring:
    """The keys a database's values may be sealed with, by id; new values use ``active``.

    ``pending_kdf`` is set (to a 1-tuple of the ``kdf`` column) while the active key is
    not yet registered in the database: migration 0009 registers it.
    """

    def __init__(self, keys: Mapping[int, bytes], active: int) -> None:
        if active not in keys:
            raise ValueError("the active key must be one of the keys")
        if any(len(k) != KEY_BYTES for k in keys.values()):
            raise ValueError("keys are 32 bytes")
        self._ciphers = {kid: AESGCM(key) for kid, key in keys.items()}
        self._keys = dict(keys)
        self.active = active
        self.pending_kdf: tuple[str | None] | None = None

    def __repr__(self) -> str:
        return f"Keyring(ids={sorted(self._ciphers)}, active={self.active})"

    @property
    def ids(self) -> tuple[int, ...]:
        """The ids of the keys held, in order."""
        return tuple(sorted(self._ciphers))

    def key(self, key_id: int) -> bytes:
        """The bytes of the key ``key_id`` (to register it)."""
        return self._keys[key_id]

    def seal(self, plain: str, label: str, *, key_id: int | None = None) -> str:
        """``plain`` sealed for the column ``label`` with the active key (or ``key_id``)."""
        kid = self.active if key_id is None else key_id
        nonce = secrets.token_bytes(_NONCE)
        sealed = self._ciphers[kid].encrypt(nonce, plain.encode("utf-8"), _aad(label, kid))
        body = binascii.b2a_base64(nonce + sealed, newline=False).decode("ascii")
        return f"{PREFIX}:{kid}:{body}"

    def open(self, value: str, label: str) -> str:
        """The text sealed in ``value`` for the column ``label``; UndecryptableError if the
        value is not sealed, names a key not held, or fails its tag."""
        kid = key_id_of(value)
        cipher = self._ciphers.get(kid) if kid is not None else None
        if kid is None or cipher is None:
            raise UndecryptableError(f"a value in {label} is not sealed with a key held")
        try:
            body = value[value.index(":", len(PREFIX) + 1) + 1 :]
            raw = binascii.a2b_base64(body, strict_mode=True)
            plain = cipher.decrypt(raw[:_NONCE], raw[_NONCE:], _aad(label, kid))
            return plain.decode("utf-8")
        except (InvalidTag, binascii.Error, ValueError):
            raise UndecryptableError(f"a value in {label} fails its integrity check") from None


def _aad(label: str, key_id: int) -> bytes:
    return f"edgewise:{label}:{key_id}".encode("ascii")


def key_id_of(value: str) -> int | None:
    """The key id a sealed value names, or None when it is not a sealed value."""
    head = value[:24].split(":", 2)
    if len(head) != 3 or head[0] != PREFIX or not head[1].isdigit():
        return None
    return int(head[1])


def attach(engine: Engine | Connection, keyring: Keyring) -> None:
    """Make ``keyring`` the keys of every connection of ``engine`` (shared by its dialect)."""
    setattr(engine.dialect, _ATTRIBUTE, keyring)


def detach(engine: Engine | Connection) -> None:
    """Forget the engine's keys (after a rotation, before attaching the new ones)."""
    if hasattr(engine.dialect, _ATTRIBUTE):
        delattr(engine.dialect, _ATTRIBUTE)


def keyring_of(dialect: Dialect) -> Keyring | None:
    """The keys attached to ``dialect``'s engine, if any."""
    found = getattr(dialect, _ATTRIBUTE, None)
    return found if isinstance(found, Keyring) else None


class EncryptedText(TypeDecorator[str]):
    """Text sealed with AES-256-GCM on the way in and opened on the way out.

    ``label`` ("table.column") is bound into each value. SQL cannot compare, order or
    search these columns: do it in Python after reading.
    """

    impl = Text
    cache_ok = True

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def _keyring(self, dialect: Dialect) -> Keyring:
        keyring = keyring_of(dialect)
        if keyring is None:
            raise KeyMissingError(f"no encryption key is configured to use {self.label}")
        return keyring

    def process_bind_param(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return self._keyring(dialect).seal(value, self.label)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        return self._keyring(dialect).open(str(value), self.label)
