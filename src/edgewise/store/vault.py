"""Encrypted, authenticated backup files: a header, then AES-256-GCM chunks.

Layout: ``MAGIC`` (16 bytes), the header's length (4 bytes, big-endian), the header
(UTF-8 JSON: format version, scrypt parameters and salt, the nonce prefix, the backend
kind, the schema revision, the creation time, the plaintext's size and SHA-256), then the
plaintext in chunks of ``CHUNK`` bytes, each sealed with AES-256-GCM. A chunk's nonce is
the 8-byte random prefix and its 4-byte index; its associated data is the whole header,
its index and whether it is the last, so a changed header, a reordered, dropped or
appended chunk or a cut file fails a tag. The key is scrypt of the passphrase and salt.

Decryption checks every tag and the plaintext's SHA-256 into a temporary file before
handing it over: a wrong passphrase or a damaged file never yields a byte of plaintext.
Messages name the file and what is wrong, never its content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from edgewise.errors import EdgewiseError, InputError

__all__ = [
    "CHUNK",
    "FORMAT_VERSION",
    "MAGIC",
    "BackupDamagedError",
    "BackupFormatError",
    "BackupHeader",
    "KdfParams",
    "decrypt_to",
    "read_header",
    "seal_file",
]

MAGIC = b"EDGEWISE-BACKUP\x00"
FORMAT_VERSION = 1
#: Plaintext bytes per chunk (1 MiB): memory stays small whatever the database's size.
CHUNK = 1 << 20
_TAG = 16
_MAX_HEADER = 64 * 1024
_BUFFER = 1 << 16


class BackupFormatError(InputError):
    """The file is not an edgewise backup, or one of a version this edgewise cannot read."""

    code = "E422"


class BackupDamagedError(EdgewiseError):
    """The passphrase is wrong or the file was changed or cut: a tag or the hash fails."""

    code = "E423"


@dataclass(frozen=True, slots=True)
class KdfParams:
    """scrypt's work factors: ``n`` (a power of two), ``r``, ``p``; memory is 128·n·r bytes.

    The default (n=2**17, r=8) takes 128 MiB and about half a second, so each guess at
    a passphrase costs an attacker as much. Reading a file refuses factors above the
    caps below, so a forged header cannot make restore eat the machine.
    """

    n: int = 2**17
    r: int = 8
    p: int = 1

    def check(self) -> None:
        """BackupFormatError unless the factors are sane and within the caps."""
        power_of_two = self.n > 1 and self.n & (self.n - 1) == 0
        if not (power_of_two and self.n <= 2**20 and 1 <= self.r <= 16 and 1 <= self.p <= 4):
            raise BackupFormatError("the backup's key-derivation parameters are out of range")

    def derive(self, passphrase: str, salt: bytes) -> bytes:
        """The 32-byte key for ``passphrase`` and ``salt``."""
        kdf = Scrypt(salt=salt, length=32, n=self.n, r=self.r, p=self.p)
        return kdf.derive(passphrase.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class BackupHeader:
    """What a backup says about itself (in clear, but covered by every chunk's tag)."""

    backend: str
    revision: str | None
    created: dt.datetime
    size: int
    sha256: str
    kdf: KdfParams
    salt: bytes
    nonce_prefix: bytes
    version: int = FORMAT_VERSION

    def to_bytes(self) -> bytes:
        body: dict[str, Any] = {
            "version": self.version,
            "kdf": {"name": "scrypt", "n": self.kdf.n, "r": self.kdf.r, "p": self.kdf.p},
            "salt": self.salt.hex(),
            "nonce_prefix": self.nonce_prefix.hex(),
            "backend": self.backend,
            "revision": self.revision,
            "created": self.created.astimezone(dt.UTC).isoformat(),
            "size": self.size,
            "sha256": self.sha256,
            "chunk": CHUNK,
        }
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")

    @classmethod
    def from_bytes(cls, raw: bytes) -> BackupHeader:
        try:
            body = json.loads(raw.decode("utf-8"))
            if body["version"] != FORMAT_VERSION or body["chunk"] != CHUNK:
                raise BackupFormatError(f"backup format version {body['version']} is not 1")
            if body["kdf"]["name"] != "scrypt":
                raise BackupFormatError("the backup's key derivation is not scrypt")
            kdf = KdfParams(int(body["kdf"]["n"]), int(body["kdf"]["r"]), int(body["kdf"]["p"]))
            header = cls(
                backend=str(body["backend"]),
                revision=None if body["revision"] is None else str(body["revision"]),
                created=dt.datetime.fromisoformat(body["created"]),
                size=int(body["size"]),
                sha256=str(body["sha256"]),
                kdf=kdf,
                salt=bytes.fromhex(body["salt"]),
                nonce_prefix=bytes.fromhex(body["nonce_prefix"]),
            )
        except BackupFormatError:
            raise
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise BackupFormatError("the backup's header cannot be read") from None
        kdf.check()
        if len(header.nonce_prefix) != 8 or len(header.salt) < 16 or header.size < 0:
            raise BackupFormatError("the backup's header is out of range")
        return header


def _chunks(size: int) -> int:
    """How many chunks hold ``size`` bytes (an empty plaintext is one empty chunk)."""
    return max(1, -(-size // CHUNK))


def _aad(header: bytes, index: int, last: bool) -> bytes:
    return header + struct.pack(">IB", index, 1 if last else 0)


def _nonce(prefix: bytes, index: int) -> bytes:
    return prefix + struct.pack(">I", index)


def _digest(path: Path) -> tuple[int, str]:
    """Size and SHA-256 (hex) of the file at ``path``."""
    sha = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while block := fh.read(_BUFFER):
            sha.update(block)
            size += len(block)
    return size, sha.hexdigest()


def seal_file(
    plain: Path,
    out: BinaryIO,
    passphrase: str,
    *,
    backend: str,
    revision: str | None,
    kdf: KdfParams | None = None,
) -> BackupHeader:
    """Write the backup of the file ``plain`` to ``out``; returns its header."""
    params = kdf or KdfParams()
    params.check()
    size, sha = _digest(plain)
    header = BackupHeader(
        backend=backend,
        revision=revision,
        created=dt.datetime.now(dt.UTC),
        size=size,
        sha256=sha,
        kdf=params,
        salt=secrets.token_bytes(16),
        nonce_prefix=secrets.token_bytes(8),
    )
    raw = header.to_bytes()
    aead = AESGCM(params.derive(passphrase, header.salt))
    out.write(MAGIC + struct.pack(">I", len(raw)) + raw)
    count = _chunks(size)
    with plain.open("rb") as fh:
        for index in range(count):
            block = fh.read(CHUNK)
            last = index == count - 1
            out.write(
                aead.encrypt(_nonce(header.nonce_prefix, index), block, _aad(raw, index, last))
            )
    return header


def read_header(path: Path) -> tuple[BackupHeader, bytes, int]:
    """The header of the backup at ``path``, its raw bytes and where the chunks start."""
    try:
        with path.open("rb") as fh:
            start = fh.read(len(MAGIC) + 4)
            if len(start) < len(MAGIC) + 4 or start[: len(MAGIC)] != MAGIC:
                raise BackupFormatError("not an edgewise backup", path=path)
            (length,) = struct.unpack(">I", start[len(MAGIC) :])
            if length > _MAX_HEADER:
                raise BackupFormatError("the backup's header is too long", path=path)
            raw = fh.read(length)
    except OSError as exc:
        raise BackupFormatError(f"cannot read the backup ({exc.strerror})", path=path) from None
    if len(raw) != length:
        raise BackupDamagedError("the backup is cut short", path=path)
    return BackupHeader.from_bytes(raw), raw, len(start) + length


def decrypt_to(path: Path, passphrase: str, out: BinaryIO) -> BackupHeader:
    """Check and decrypt the backup at ``path`` into ``out`` (a private temporary file).

    BackupDamagedError if any tag fails (a wrong passphrase, a changed or cut file) or the
    plaintext's size or SHA-256 differ from the header's; ``out`` then holds partial bytes
    that the caller must discard.
    """
    header, raw, offset = read_header(path)
    aead = AESGCM(header.kdf.derive(passphrase, header.salt))
    expected = offset + _chunks(header.size) * _TAG + header.size
    if path.stat().st_size != expected:
        raise BackupDamagedError("the backup's length is wrong (cut short or added to)", path=path)
    sha = hashlib.sha256()
    count = _chunks(header.size)
    with path.open("rb") as fh:
        fh.seek(offset)
        for index, sealed in enumerate(_sealed_chunks(fh, header.size)):
            aad = _aad(raw, index, index == count - 1)
            try:
                block = aead.decrypt(_nonce(header.nonce_prefix, index), sealed, aad)
            except InvalidTag:
                raise BackupDamagedError(
                    "the backup cannot be decrypted: the passphrase is wrong or the file "
                    "was changed",
                    path=path,
                ) from None
            sha.update(block)
            out.write(block)
    if sha.hexdigest() != header.sha256:
        raise BackupDamagedError("the backup's content does not match its hash", path=path)
    out.flush()
    os.fsync(out.fileno())
    return header


def _sealed_chunks(fh: BinaryIO, size: int) -> Iterator[bytes]:
    """Each chunk's ciphertext and tag, in order."""
    left = size
    for _ in range(_chunks(size)):
        take = min(left, CHUNK)
        left -= take
        yield fh.read(take + _TAG)
