"""Every error edgewise raises on purpose, with a stable code.

User errors (bad input, bad options) derive from :class:`InputError`; the CLI
prints them as one line and exits with status 2. Messages never contain
transcript text: they name the file, the line and what is wrong, nothing more.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "ArchiveTooLargeError",
    "BinaryFileError",
    "EdgewiseError",
    "EmptyFileError",
    "EncodingError",
    "FileTooLargeError",
    "InputError",
    "MemberTooLargeError",
    "MissingColumnError",
    "ModelError",
    "NoSpeakersError",
    "ParseError",
    "RoleInferenceError",
    "TooManyElementsError",
    "TooManyLinesError",
    "TooManyMembersError",
    "TooManySessionsError",
    "TooManyTurnsError",
    "TooMuchTextError",
    "TurnTooLongError",
    "UnknownFormatError",
    "UsageError",
    "XmlTokenTooLongError",
]


class EdgewiseError(Exception):
    """Base of every edgewise error; ``code`` is stable across releases."""

    code = "E000"

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        self.message = message
        self.path = None if path is None else str(path)
        self.line = line
        super().__init__(self.render())

    def render(self) -> str:
        """``E123 file.txt:4: what is wrong`` — one line, no transcript text."""
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{self.code} {where}{self.message}"


class InputError(EdgewiseError):
    """The input or the options given cannot be used (CLI exit status 2)."""

    code = "E100"


class EmptyFileError(InputError):
    code = "E101"


class BinaryFileError(InputError):
    code = "E102"


class EncodingError(InputError):
    code = "E103"


class FileTooLargeError(InputError):
    code = "E104"


class UnknownFormatError(InputError):
    code = "E105"


class ParseError(InputError):
    """The file is of a known format but its content cannot be read as a transcript."""

    code = "E110"


class MissingColumnError(InputError):
    code = "E111"


class NoSpeakersError(InputError):
    code = "E112"


class RoleInferenceError(InputError):
    """Speakers are names only and edgewise cannot tell who the clinician is."""

    code = "E120"


class UsageError(InputError):
    """An option value is invalid (e.g. ``--therapist`` names no speaker)."""

    code = "E130"


# Input limits (E140-E149): what a file may expand to when parsed, whatever its size on
# disk. Each is one constant in ``edgewise.readers.limits``, where the values are explained.


class TooManyMembersError(InputError):
    """A zip-based file (.docx) lists more members than ``MAX_ZIP_MEMBERS``."""

    code = "E140"


class MemberTooLargeError(InputError):
    """One zip member unpacks to more than ``MAX_MEMBER_BYTES`` (bytes really read)."""

    code = "E141"


class ArchiveTooLargeError(InputError):
    """The zip members read unpack to more than ``MAX_ARCHIVE_BYTES`` together."""

    code = "E142"


class TooManyElementsError(InputError):
    """An XML document holds more than ``MAX_XML_ELEMENTS`` elements."""

    code = "E143"


class XmlTokenTooLongError(InputError):
    """One XML tag, comment or declaration runs past ``MAX_XML_TOKEN_BYTES``."""

    code = "E144"


class TooManyLinesError(InputError):
    """A text file (.txt, .vtt, .srt, .csv) has more than ``MAX_LINES`` lines."""

    code = "E145"


class TooManyTurnsError(InputError):
    """One session has more than ``MAX_TURNS`` turns."""

    code = "E146"


class TurnTooLongError(InputError):
    """One turn (or one line of a document) has more than ``MAX_TURN_CHARS`` characters."""

    code = "E147"


class TooManySessionsError(InputError):
    """One file holds more than ``MAX_SESSIONS`` sessions."""

    code = "E148"


class TooMuchTextError(InputError):
    """One file's turns hold more than ``MAX_CHARS`` characters together."""

    code = "E149"


class ModelError(EdgewiseError):
    """The shipped model is missing or does not match this version of edgewise."""

    code = "E200"
