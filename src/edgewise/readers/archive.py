"""Open zip-based files (.docx) without trusting what their headers say.

A zip's directory states each member's unpacked size, and a bomb lies about it. Here
members are read in chunks and counted as they come (:class:`Budget`); the directory
is sized from its end record before :mod:`zipfile` parses it; and only the two
compression methods Word writes are accepted (bzip2 and LZMA members would unpack a
whole read at once, with no bound).
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from edgewise.errors import (
    ArchiveTooLargeError,
    MemberTooLargeError,
    ParseError,
    TooManyMembersError,
)
from edgewise.readers.limits import Limits

__all__ = ["Budget", "CHUNK", "open_archive"]

#: Bytes unpacked per read: a bomb is stopped within one chunk of a limit.
CHUNK = 64 * 1024
#: Directory bytes allowed per member before :mod:`zipfile` parses the directory
#: (a Word entry takes 60-150).
_DIRECTORY_BYTES_PER_MEMBER = 1024
_END = b"PK\x05\x06"
_END_SIZE = 22
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"
_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})


@dataclass(slots=True)
class Budget:
    """Bytes unpacked so far from one archive, refused once a limit is passed."""

    path: Path
    limits: Limits
    total: int = 0

    def chunks(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's bytes in chunks, counted as read (its header's size is not used)."""
        if info.compress_type not in _METHODS:
            raise ParseError(
                "not a valid DOCX file (a part is compressed in a way Word never uses); "
                "open it in Word and save it again as .docx",
                path=self.path,
            )
        read = 0
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                read += len(chunk)
                self.total += len(chunk)
                self._check(read)
                yield chunk

    def again(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
        """The member's bytes once more, uncounted: :meth:`chunks` has read them all.

        The same compressed bytes unpack to the same bytes, so this read is as
        bounded as the counted one was.
        """
        with archive.open(info) as member:
            while chunk := member.read(CHUNK):
                yield chunk

    def _check(self, read: int) -> None:
        if read > self.limits.max_member_bytes:
            raise MemberTooLargeError(limit=self.limits.max_member_bytes, path=self.path)
        if self.total > self.limits.max_archive_bytes:
            raise ArchiveTooLargeError(limit=self.limits.max_archive_bytes, path=self.path)


def open_archive(data: bytes, path: Path, limits: Limits, not_valid: str) -> zipfile.ZipFile:
    """The zip in ``data``, its directory sized before it is parsed.

    Raises ParseError with ``not_valid`` when ``data`` is not a zip, and
    TooManyMembersError when it lists more than ``limits.max_zip_members``.
    """
    members, directory = _directory_size(data)
    if members > limits.max_zip_members or directory > _directory_limit(limits):
        _too_many(path, limits)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception:
        raise ParseError(not_valid, path=path) from None
    if len(archive.infolist()) > limits.max_zip_members:
        _too_many(path, limits)
    return archive


def _directory_limit(limits: Limits) -> int:
    return limits.max_zip_members * _DIRECTORY_BYTES_PER_MEMBER


def _too_many(path: Path, limits: Limits) -> NoReturn:
    raise TooManyMembersError(limit=limits.max_zip_members, path=path)


def _directory_size(data: bytes) -> tuple[int, int]:
    """(members, directory bytes) from the end record, or (0, 0) if there is none.

    A file without an end record is left to :mod:`zipfile` to refuse.
    """
    at = data.rfind(_END, max(0, len(data) - _END_SIZE - 0xFFFF))
    if at < 0 or len(data) - at < _END_SIZE:
        return 0, 0
    members, directory = struct.unpack_from("<HL", data, at + 10)
    locator = at - 20
    if locator >= 0 and data[locator : locator + 4] == _ZIP64_LOCATOR:
        (offset,) = struct.unpack_from("<Q", data, locator + 8)
        if offset + 56 <= len(data) and data[offset : offset + 4] == _ZIP64_END:
            members, directory = struct.unpack_from("<QQ", data, offset + 32)
    return members, directory
