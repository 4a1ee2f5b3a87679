"""The backup file format: sealed and opened again; wrong passphrases and damage refused."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from edgewise.store.vault import (
    CHUNK,
    MAGIC,
    BackupDamagedError,
    BackupFormatError,
    KdfParams,
    decrypt_to,
    read_header,
    seal_file,
)

LIGHT = KdfParams(n=2**10, r=8, p=1)  # fast for tests; the default is n=2**17
SECRET = b"Client said: the marmalade lighthouse promise.\n"


def _seal(tmp_path: Path, plain: bytes, passphrase: str = "correct horse") -> Path:
    source = tmp_path / "plain.bin"
    source.write_bytes(plain)
    out = tmp_path / "backup.ewb"
    with out.open("wb") as fh:
        seal_file(source, fh, passphrase, backend="sqlite", revision="0006", kdf=LIGHT)
    return out


def _open(path: Path, passphrase: str = "correct horse") -> bytes:
    target = path.with_name("opened.bin")
    with target.open("wb") as fh:
        decrypt_to(path, passphrase, fh)
    return target.read_bytes()


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 5])
def test_round_trip(tmp_path: Path, size: int) -> None:
    plain = (SECRET * (size // len(SECRET) + 1))[:size]
    sealed = _seal(tmp_path, plain)
    assert _open(sealed) == plain
    if size:
        assert SECRET[:20] not in sealed.read_bytes()
    header, _, _ = read_header(sealed)
    assert (header.backend, header.revision, header.size) == ("sqlite", "0006", size)


def test_the_default_work_factor_round_trips(tmp_path: Path) -> None:
    source = tmp_path / "plain.bin"
    source.write_bytes(SECRET)
    out = tmp_path / "backup.ewb"
    with out.open("wb") as fh:
        header = seal_file(source, fh, "correct horse", backend="sqlite", revision=None)
    assert (header.kdf.n, header.kdf.r, header.kdf.p) == (2**17, 8, 1)
    assert _open(out) == SECRET


def test_a_wrong_passphrase_is_refused(tmp_path: Path) -> None:
    sealed = _seal(tmp_path, SECRET)
    with pytest.raises(BackupDamagedError) as caught:
        _open(sealed, "correct horsf")
    assert caught.value.code == "E423"
    assert "marmalade" not in str(caught.value)


def test_a_cut_file_is_refused(tmp_path: Path) -> None:
    sealed = _seal(tmp_path, SECRET * 50_000)  # more than one chunk
    data = sealed.read_bytes()
    for keep in (len(data) - 1, len(data) - CHUNK // 2, len(data) - (len(data) - 200) // 2):
        sealed.write_bytes(data[:keep])
        with pytest.raises(BackupDamagedError):
            _open(sealed)


def test_a_dropped_last_chunk_is_refused_even_with_a_fixed_size(tmp_path: Path) -> None:
    """Cutting whole chunks and rewriting the header's size breaks the header's tag."""
    sealed = _seal(tmp_path, SECRET * 50_000)
    header, raw, offset = read_header(sealed)
    forged = raw.replace(f'"size":{header.size}'.encode(), f'"size":{CHUNK}'.encode())
    body = sealed.read_bytes()[offset : offset + CHUNK + 16]
    sealed.write_bytes(MAGIC + struct.pack(">I", len(forged)) + forged + body)
    with pytest.raises(BackupDamagedError):
        _open(sealed)


@pytest.mark.parametrize("where", ["header", "first", "last"])
def test_a_flipped_byte_is_refused(tmp_path: Path, where: str) -> None:
    sealed = _seal(tmp_path, SECRET * 100)
    data = bytearray(sealed.read_bytes())
    _, raw, offset = read_header(sealed)
    index = {"header": offset - len(raw) + raw.index(b"0006"), "first": offset, "last": -1}[where]
    data[index] ^= 0x01
    sealed.write_bytes(bytes(data))
    with pytest.raises((BackupDamagedError, BackupFormatError)):
        _open(sealed)


def test_not_a_backup(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    with pytest.raises(BackupFormatError) as caught:
        read_header(other)
    assert caught.value.code == "E422"


def test_a_forged_work_factor_is_refused(tmp_path: Path) -> None:
    sealed = _seal(tmp_path, SECRET)
    _, raw, offset = read_header(sealed)
    forged = raw.replace(b'"n":1024', b'"n":1073741824')
    sealed.write_bytes(
        MAGIC + struct.pack(">I", len(forged)) + forged + sealed.read_bytes()[offset:]
    )
    with pytest.raises(BackupFormatError):
        read_header(sealed)
