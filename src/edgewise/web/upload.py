"""Read an uploaded transcript: into a private temp file, through the readers, then gone.

The file is copied into a folder of its own in the app's private upload folder (see
:mod:`edgewise.web.scratch`) and hashed (SHA-256) as it is copied; the folder is removed
when reading ends, however it ends.

Errors come back coded, with the uploaded file's name in place of the temp path, and with a
fix the upload form offers (choose the file's encoding, name the clinician's speaker,
rename the file): never a command-line option. Like every edgewise error they never quote
the transcript.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import BinaryIO

from edgewise.domain import Session
from edgewise.error_codes import error_code
from edgewise.errors import (
    EdgewiseError,
    EncodingError,
    FileTooLargeError,
    InputError,
    MissingColumnError,
    RoleInferenceError,
    UnknownFormatError,
    UsageError,
)
from edgewise.readers import MAX_BYTES, read_sessions
from edgewise.readers.base import ReadOptions
from edgewise.readers.roles import RoleOptions
from edgewise.web.scratch import default_upload_dir, upload_folder

__all__ = [
    "ALREADY_UPLOADED",
    "ENCODINGS",
    "Upload",
    "UploadError",
    "already_uploaded",
    "clean_name",
    "number_ranges",
    "read_upload",
    "web_message",
    "without_cli_fixes",
]

#: The encodings the upload form offers besides UTF-8 (its default): value -> label.
ENCODINGS = {
    "cp1252": "Windows-1252 (Western European, Windows)",
    "latin-1": "Latin-1 (ISO-8859-1)",
    "utf-16": "UTF-16",
    "mac_roman": "Mac OS Roman",
}
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")
#: Fixes that name a command-line option, removed from messages the form shows:
#: "pass --x (...) or <other fix>" keeps the other fix; "... or pass --x ..." and a lone
#: "; pass --x ..." go.
_CLI_FIXES = (
    re.compile(r"pass --[a-z-]+(?: \([^)]*\)| [A-Z]+)?(?: or --[a-z-]+(?: [A-Z]+)?)*,? or "),
    re.compile(r",?\s+or pass --[a-z-]+[^;]*"),
    re.compile(r"[;,]?\s*pass --[a-z-]+[^;]*"),
)
_LOOKS_LIKE = re.compile(r"looks like ([A-Za-z0-9 -]+?)\)|file is ([A-Za-z0-9-]+) text")
#: What a person can do on the upload form for each fix the readers give at the command line.
ENCODING_FIX = (
    "choose the file's encoding under \u201cFile encoding\u201d and upload it again, "
    "or save the file as UTF-8"
)
CLINICIAN_FIX = (
    "type the clinician's speaker name (as it is written in the file) under "
    "\u201cClinician's speaker name\u201d and upload it again"
)
#: The fix the form offers for errors whose readers' fix is a command-line option.
_FIXES: dict[type[EdgewiseError], str] = {
    UnknownFormatError: (
        "rename the file to end in .txt, .vtt, .srt, .docx, .json or .csv, "
        "whichever it is, and upload it again"
    ),
    MissingColumnError: (
        "rename that column's header in the file's first line (e.g. to text, speaker "
        "or role) and upload it again"
    ),
}
#: The code of the notice for a file the client already has (nothing new is stored).
ALREADY_UPLOADED = "E330"
_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
_STEM = re.compile(r"[^A-Za-z0-9._-]+")
CHUNK = 1024 * 1024


class UploadError(InputError):
    """An upload that cannot be read, named by its uploaded name (never the temp path).

    A reader's error comes back with its own code (and so its catalogued HTTP status),
    its line, and the fix the upload form offers: :meth:`of`.
    """

    code = InputError.code

    def __init__(
        self, message: str, *, path: str, line: int | None = None, code: str | None = None
    ) -> None:
        if code is not None:
            error_code(code)  # a KeyError for a code the catalogue does not hold
            self.code = code
        super().__init__(message, path=path, line=line)

    @classmethod
    def of(cls, exc: EdgewiseError, name: str) -> UploadError:
        """``exc``, raised reading the upload ``name``, as the form words it."""
        return cls(web_message(exc), path=name, line=exc.line, code=exc.code)


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded file, read: its clean name, the SHA-256 of its bytes (lowercase hex)
    and its sessions (``source`` is the uploaded name)."""

    name: str
    digest: str
    sessions: tuple[Session, ...]

    def __repr__(self) -> str:  # sessions hold transcript text: never in a repr
        return f"Upload(name={self.name!r}, digest={self.digest!r}, {len(self.sessions)} sessions)"


def clean_name(filename: str | None) -> str:
    """The uploaded file's base name, without folders or control characters (max 200)."""
    name = PurePath((filename or "").replace("\\", "/")).name
    name = _UNSAFE.sub("", name).strip()
    return name[:200] or "upload"


def read_upload(
    stream: BinaryIO,
    filename: str | None,
    therapist: str | None,
    encoding: str | None = None,
    *,
    folder: Path | None = None,
) -> Upload:
    """The sessions in an uploaded file (any format the readers know, by its extension),
    decoded as UTF-8 or as ``encoding`` (one of :data:`ENCODINGS`), read from a copy in
    the private ``folder`` (default: :func:`~edgewise.web.scratch.default_upload_dir`)."""
    name = clean_name(filename)
    if encoding is not None and encoding not in ENCODINGS:
        raise UploadError("choose a file encoding from the list", path=name)
    options = ReadOptions(encoding=encoding)
    suffix = PurePath(name).suffix
    if not _SUFFIX.match(suffix):
        suffix = ""
    roles = RoleOptions(therapists=(therapist,) if therapist else ())
    stem = _STEM.sub("_", PurePath(name).stem)[:80].strip("._") or "upload"
    with upload_folder(folder or default_upload_dir()) as private:
        path = private / f"{stem}{suffix.lower()}"
        try:
            digest = _copy_limited(stream, path)
            sessions = read_sessions(path, options=options, roles=roles)
        except EdgewiseError as exc:
            raise UploadError.of(exc, name) from None
    if not sessions:
        raise UploadError("no sessions found", path=name)
    # The readers record the (temporary) path read; keep the uploaded name instead.
    named = tuple(s.model_copy(update={"source": name}) for s in sessions)
    return Upload(name=name, digest=digest, sessions=named)


def _copy_limited(stream: BinaryIO, path: Path) -> str:
    """Copy at most MAX_BYTES (more is a coded error; the rest is not read); the SHA-256."""
    written = 0
    digest = hashlib.sha256()
    with path.open("xb") as out:
        while chunk := stream.read(CHUNK):
            written += len(chunk)
            if written > MAX_BYTES:
                raise FileTooLargeError(f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB")
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def already_uploaded(name: str, numbers: Sequence[int]) -> str:
    """The notice for a file this client already has, naming the sessions it made."""
    word = "session" if len(numbers) == 1 else "sessions"
    notice = error_code(ALREADY_UPLOADED).message(sessions=f"{word} {number_ranges(numbers)}")
    return f"{ALREADY_UPLOADED} {name}: {notice}"


def number_ranges(numbers: Sequence[int]) -> str:
    """``[3, 4, 5, 8]`` as ``3\u20135, 8``: runs joined by an en dash."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}\u2013{r[-1]}" for r in runs)


def web_message(exc: EdgewiseError) -> str:
    """What went wrong and what the user can do about it on the upload form."""
    if isinstance(exc, EncodingError):
        return _encoding_message(exc.message)
    if isinstance(exc, RoleInferenceError):
        return f"edgewise cannot tell which speaker is the clinician; {CLINICIAN_FIX}."
    if isinstance(exc, UsageError):
        return f"the clinician's speaker name is not a speaker in this file; {CLINICIAN_FIX}."
    for kind, fix in _FIXES.items():
        if isinstance(exc, kind):
            return f"{exc.message.split(';')[0]}; {fix}"
    return without_cli_fixes(exc.message)


def without_cli_fixes(message: str) -> str:
    """``message`` with any fix that names a command-line option removed."""
    for pattern in _CLI_FIXES:
        message = pattern.sub("", message)
    return message.strip()


def _encoding_message(message: str) -> str:
    """The encoding error in words for the form: its likely encoding, and the two fixes."""
    if message.startswith(("unknown encoding", "cannot be decoded as")):
        return f"the file is not in the encoding chosen; {ENCODING_FIX}"
    found = _LOOKS_LIKE.search(message)
    guess = next((g for g in found.groups() if g), None) if found else None
    what = f" (it looks like {guess})" if guess else ""
    return f"the file is not UTF-8 text{what}; {ENCODING_FIX}"
