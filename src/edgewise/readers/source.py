"""Load a transcript file's bytes and text safely: size, emptiness, binary, encoding.

edgewise reads UTF-8 (with or without a byte-order mark). Any other encoding
is refused with a coded error that names what the file looks like, and the
user can then pass ``--encoding`` explicitly: edgewise never guesses an
encoding silently, because a wrong guess corrupts clinical text unnoticed.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from edgewise.errors import (
    BinaryFileError,
    EmptyFileError,
    EncodingError,
    FileTooLargeError,
    InputError,
)
from edgewise.fileio import read_at_most
from edgewise.readers.base import MAX_BYTES, ReadOptions

__all__ = ["MAX_BYTES", "check_path", "load_bytes", "load_text"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
#: The extensions a transcript can be saved with, for fixes that name them.
SAVE_AS = ".txt, .vtt, .srt, .docx, .json or .csv"


def check_path(path: Path) -> int:
    """The size of the file at ``path``; E100 when it is missing, unreadable or a directory."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise InputError("file not found; check the name and the folder", path=path) from None
    except OSError as exc:
        raise InputError(
            f"cannot read file ({exc.strerror}); check that you may read it", path=path
        ) from None
    if path.is_dir():
        raise InputError(
            f"is a directory, not a transcript file; give the files in it (e.g. {path / '*.txt'})",
            path=path,
        )
    return size


def load_bytes(path: Path, options: ReadOptions) -> bytes:
    """The file's bytes, refusing missing, oversized and empty files."""
    size = check_path(path)
    if size > options.max_bytes:
        raise FileTooLargeError(
            f"file is {size:,} bytes; the limit is {options.max_bytes:,} bytes: "
            "split it into smaller files",
            path=path,
        )
    try:
        data = read_at_most(path, options.max_bytes)
    except OSError as exc:
        raise InputError(
            f"cannot read file ({exc.strerror}); check that you may read it", path=path
        ) from None
    if len(data) > options.max_bytes:  # it grew after stat, or is a device or a pipe
        raise FileTooLargeError(
            f"file is larger than the limit of {options.max_bytes:,} bytes: "
            "split it into smaller files",
            path=path,
        )
    if not data.strip():
        raise EmptyFileError("file is empty; check that it is the file you meant", path=path)
    return data


def load_text(path: Path, options: ReadOptions) -> str:
    """The file decoded as text, with newlines normalised to ``\\n``."""
    return decode(load_bytes(path, options), path, options)


def decode(data: bytes, path: Path, options: ReadOptions) -> str:
    """Decode ``data`` as UTF-8, or as ``options.encoding`` when the user names one."""
    if options.encoding is not None:
        text = _decode_as(data, path, options.encoding)
    else:
        _refuse_other_boms(data, path, options)
        _refuse_binary(data, path)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise EncodingError(
                f"not valid UTF-8 (it looks like {_guess(data)}); save it as UTF-8"
                + _or_encoding(options, "latin-1", example=True),
                path=path,
                line=line,
            ) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise BinaryFileError(
            "file contains NUL characters; it is not a text transcript: save it as UTF-8 text",
            path=path,
        )
    if not text.strip():
        raise EmptyFileError("file has no text; check that it is the file you meant", path=path)
    return text


def _or_encoding(options: ReadOptions, name: str, *, example: bool = False) -> str:
    """`` or pass --encoding NAME`` when the user can pass ``--encoding`` here, else nothing."""
    if not options.offers("--encoding"):
        return ""
    if example:
        return f" or pass --encoding (e.g. --encoding {name})"
    return f" or pass --encoding {name}"


def _decode_as(data: bytes, path: Path, encoding: str) -> str:
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise EncodingError(
            f"unknown encoding {encoding!r}; name a known one, e.g. latin-1, cp1252 or utf-16",
            path=path,
        ) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise EncodingError(
            f"cannot be decoded as {encoding}; name the encoding the file was saved in, "
            "or save it as UTF-8",
            path=path,
            line=line,
        ) from None
    return text.lstrip("\ufeff")


def _refuse_other_boms(data: bytes, path: Path, options: ReadOptions) -> None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            raise EncodingError(
                f"file is {name} text (byte-order mark found); save it as UTF-8"
                + _or_encoding(options, name.lower()),
                path=path,
            )


def _refuse_binary(data: bytes, path: Path) -> None:
    head = data[:8192]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > max(4, len(head) // 50):
        raise BinaryFileError(
            f"file is binary, not a text transcript; export the transcript as {SAVE_AS}",
            path=path,
        )


def _guess(data: bytes) -> str:
    """A short, honest description of a non-UTF-8 file's likely encoding."""
    if any(0x80 <= b <= 0x9F for b in data):
        return "Windows-1252"
    return "Latin-1"
