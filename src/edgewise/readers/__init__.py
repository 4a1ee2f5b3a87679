"""Read transcript files into :class:`~edgewise.domain.Session` objects.

The format is chosen by file extension or named explicitly (``--input-format``).
Each format's reader yields raw turns; :mod:`edgewise.readers.roles` then decides who
is the therapist, the client or another speaker.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from edgewise.domain import Session
from edgewise.errors import UnknownFormatError
from edgewise.readers.base import MAX_BYTES, RawTranscript, RawTurn, Reader, ReadOptions
from edgewise.readers.limits import Limits
from edgewise.readers.source import SAVE_AS, check_path

if TYPE_CHECKING:
    from edgewise.readers.roles import RoleOptions

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "Limits",
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

#: The format names ``--input-format`` accepts.
FORMATS: tuple[str, ...] = tuple(_READERS)


def detect_format(path: Path, fmt: str | None = None, options: ReadOptions | None = None) -> str:
    """The reader name for ``path``: ``fmt`` if given, else from the extension.

    ``options`` only shapes the error's fix (``--input-format`` when it is offered).
    """
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
            + _format_fix(options or ReadOptions()),
            path=path,
        )
    return found


def _format_fix(options: ReadOptions) -> str:
    """How to name the format: pass ``--input-format`` where offered, else rename the file."""
    rename = f"rename the file to end in {SAVE_AS}"
    if options.offers("--input-format"):
        return f"pass --input-format ({', '.join(FORMATS)}) or {rename}"
    return rename


def _reader(name: str) -> Reader:
    module, func = _READERS[name]
    reader: Reader = getattr(importlib.import_module(module), func)
    return reader


def read_raw(
    path: Path, *, fmt: str | None = None, options: ReadOptions | None = None
) -> list[RawTranscript]:
    """The raw transcripts in ``path``, before roles are decided.

    A missing file or a directory is refused (E100) before its format is looked at.
    """
    options = options or ReadOptions()
    check_path(path)
    return _reader(detect_format(path, fmt, options))(path, options)


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
    from edgewise.readers.roles import RoleOptions, build_session

    raws = read_raw(path, fmt=fmt, options=options)
    return [build_session(raw, roles or RoleOptions()) for raw in raws]
