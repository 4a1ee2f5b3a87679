"""Read transcript files into :class:`~edgewise.domain.Session` objects.

The format is chosen by file extension or named explicitly (``--format``).
Each format's reader yields raw turns; :mod:`edgewise.roles` then decides who
is the therapist, the client or another speaker.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from edgewise.domain import Session
from edgewise.errors import UnknownFormatError
from edgewise.readers.base import MAX_BYTES, RawTranscript, RawTurn, Reader, ReadOptions

if TYPE_CHECKING:
    from edgewise.roles import RoleOptions

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "RawTranscript",
    "RawTurn",
    "ReadOptions",
    "detect_format",
    "read_raw",
    "read_sessions",
]

#: format name -> (module, function); modules load lazily to keep start-up quick.
_READERS: dict[str, tuple[str, str]] = {
    "text": ("edgewise.readers.plaintext", "read_text"),
    "vtt": ("edgewise.readers.subtitles", "read_vtt"),
    "srt": ("edgewise.readers.subtitles", "read_srt"),
    "docx": ("edgewise.readers.docx", "read_docx"),
    "json": ("edgewise.readers.jsonfmt", "read_json"),
    "csv": ("edgewise.readers.csvfmt", "read_csv"),
}

_EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".vtt": "vtt",
    ".srt": "srt",
    ".docx": "docx",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "csv",
}

#: The format names ``--format`` accepts.
FORMATS: tuple[str, ...] = tuple(_READERS)


def detect_format(path: Path, fmt: str | None = None) -> str:
    """The reader name for ``path``: ``fmt`` if given, else from the extension."""
    if fmt is not None:
        if fmt not in _READERS:
            raise UnknownFormatError(
                f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}", path=path
            )
        return fmt
    found = _EXTENSIONS.get(path.suffix.lower())
    if found is None:
        raise UnknownFormatError(
            f"cannot tell the format from the extension {path.suffix or '(none)'!r}; "
            f"pass --format ({', '.join(FORMATS)})",
            path=path,
        )
    return found


def _reader(name: str) -> Reader:
    module, func = _READERS[name]
    reader: Reader = getattr(importlib.import_module(module), func)
    return reader


def read_raw(
    path: Path, *, fmt: str | None = None, options: ReadOptions | None = None
) -> list[RawTranscript]:
    """The raw transcripts in ``path``, before roles are decided."""
    return _reader(detect_format(path, fmt))(path, options or ReadOptions())


def read_sessions(
    path: Path,
    *,
    fmt: str | None = None,
    options: ReadOptions | None = None,
    roles: RoleOptions | None = None,
) -> list[Session]:
    """Every session in ``path``, with roles decided.

    Raises :class:`~edgewise.errors.RoleInferenceError` when roles cannot be
    told apart and ``roles.strict`` is set (the default).
    """
    from edgewise.roles import RoleOptions, build_session

    raws = read_raw(path, fmt=fmt, options=options)
    return [build_session(raw, roles or RoleOptions()) for raw in raws]
