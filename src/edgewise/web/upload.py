"""Read an uploaded transcript: into a private temp file, through the readers, then gone.

Errors come back as the readers' coded messages with the uploaded file's name in place of
the temp path; like every edgewise error they never quote the transcript.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path, PurePath
from typing import BinaryIO

from edgewise.domain import Session
from edgewise.errors import EdgewiseError, FileTooLargeError, InputError, UsageError
from edgewise.readers import MAX_BYTES, read_sessions
from edgewise.roles import RoleOptions

__all__ = ["UploadError", "clean_name", "read_upload"]

_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
_STEM = re.compile(r"[^A-Za-z0-9._-]+")
CHUNK = 1024 * 1024


class UploadError(Exception):
    """An upload that cannot be read; ``message`` is coded and shows the uploaded name only."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def clean_name(filename: str | None) -> str:
    """The uploaded file's base name, without folders or control characters (max 200)."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = _UNSAFE.sub("", name).strip()
    return name[:200] or "upload"


def read_upload(stream: BinaryIO, filename: str | None, therapist: str | None) -> list[Session]:
    """The sessions in an uploaded file (any format the readers know, by its extension)."""
    name = clean_name(filename)
    suffix = PurePath(name).suffix
    if not _SUFFIX.match(suffix):
        suffix = ""
    roles = RoleOptions(therapists=(therapist,) if therapist else ())
    stem = _STEM.sub("_", PurePath(name).stem)[:80].strip("._") or "upload"
    with tempfile.TemporaryDirectory(prefix="edgewise-upload-") as folder:
        path = Path(folder) / f"{stem}{suffix.lower()}"
        try:
            _copy_limited(stream, path)
            sessions = read_sessions(path, roles=roles)
        except EdgewiseError as exc:
            raise UploadError(_message(exc, name)) from None
    if not sessions:
        raise UploadError(f"{InputError.code} {name}: no sessions found")
    # The readers record the (temporary) path read; keep the uploaded name instead.
    return [s.model_copy(update={"source": name}) for s in sessions]


def _copy_limited(stream: BinaryIO, path: Path) -> None:
    """Copy at most MAX_BYTES; more is a coded error (the rest is not read)."""
    written = 0
    with path.open("wb") as out:
        while chunk := stream.read(CHUNK):
            written += len(chunk)
            if written > MAX_BYTES:
                raise FileTooLargeError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
            out.write(chunk)


def _message(exc: EdgewiseError, name: str) -> str:
    """The coded message with the uploaded name (and line) in place of the temp path."""
    where = name if exc.line is None else f"{name}:{exc.line}"
    text = f"{exc.code} {where}: {exc.message}"
    if isinstance(exc, UsageError) or exc.code == "E120":
        text += " — name the clinician's speaker below and upload again."
    return text
