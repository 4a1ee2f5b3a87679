"""Every error edgewise raises on purpose, with a stable code.

Each class's ``code`` names its entry in the error catalogue
(:mod:`edgewise.error_codes`): what the code means, the CLI's exit status (2 for bad
input or options, 1 otherwise), the web app's HTTP status, its message template and
its usual fix. A class whose code is not in the catalogue fails when it is defined.

Messages never contain transcript text: they name the file, the line and what is
wrong, nothing more.
"""

from __future__ import annotations

from pathlib import Path

from edgewise.error_codes import ErrorCode, error_code

__all__ = [
    "ArchiveTooLargeError",
    "AuditChainError",
    "BinaryFileError",
    "DeidMissingError",
    "EdgewiseError",
    "EmptyFileError",
    "EncodingError",
    "FileTooLargeError",
    "InputError",
    "InternalError",
    "MemberTooLargeError",
    "MissingColumnError",
    "ModelError",
    "NoSpeakersError",
    "ParseError",
    "PseudonymMapError",
    "PseudonymMapExposedError",
    "RayMissingError",
    "RayStartError",
    "RayUnreachableError",
    "RoleInferenceError",
    "TlsRequiredError",
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
    """Base of every edgewise error; ``code`` is stable across releases.

    Give either the whole ``message`` or the fields the code's template names (e.g.
    ``TooManyLinesError(limit=500_000, path=p)``); a message built from the template
    ends with the code's fix.
    """

    code = "E000"

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        try:
            error_code(cls.code)
        except KeyError as exc:
            raise TypeError(f"{cls.__qualname__}: {exc.args[0]}") from None

    def __init__(
        self,
        message: str | None = None,
        *,
        path: Path | str | None = None,
        line: int | None = None,
        **fields: object,
    ) -> None:
        if message is not None and fields:
            raise TypeError("give a message or the template's fields, not both")
        self.message = self.entry.message(**fields) if message is None else message
        self.path = None if path is None else str(path)
        self.line = line
        super().__init__(self.render())

    @property
    def entry(self) -> ErrorCode:
        """This error's catalogue entry: exit and HTTP statuses, title, fix."""
        return error_code(self.code)

    def render(self) -> str:
        """``E110 file.txt:4: what is wrong`` — one line, no transcript text."""
        where = ""
        if self.path is not None:
            where = self.path if self.line is None else f"{self.path}:{self.line}"
            where += ": "
        return f"{self.code} {where}{self.message}"


class InputError(EdgewiseError):
    """The input or the options given cannot be used (CLI exit status 2, HTTP 400)."""

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


class TlsRequiredError(InputError):
    """``edgewise serve --host`` beyond this machine without ``--cert``/``--key``:
    ``TlsRequiredError(address=...)``."""

    code = "E361"


class AuditChainError(EdgewiseError):
    """The audit log's hash chain is broken; the message names the row id and what is
    wrong, never the row's contents."""

    code = "E370"


class RayMissingError(EdgewiseError):
    """``--ray`` without Ray installed: ``RayMissingError(module="ray")``."""

    code = "E400"


class RayUnreachableError(InputError):
    """No Ray cluster answers at ``--ray-address``: ``RayUnreachableError(address=...,
    reason=...)``, the reason being a system error's wording or an exception's type."""

    code = "E401"


class RayStartError(EdgewiseError):
    """A local Ray could not be started: ``RayStartError(reason=type(exc).__name__)``."""

    code = "E402"


class DeidMissingError(EdgewiseError):
    """``edgewise deid`` without the ``deid`` extra: ``DeidMissingError(module="spacy")``."""

    code = "E410"


class PseudonymMapError(InputError):
    """The ``--map`` file is not a pseudonym map edgewise wrote (the message names the
    file and what is wrong, never a name in it)."""

    code = "E411"


class PseudonymMapExposedError(InputError):
    """The ``--map`` file may be read or written by other accounts."""

    code = "E412"


class InternalError(EdgewiseError):
    """A bug: ``InternalError(kind=type(exc).__name__)`` names the exception's type only,
    since its text could hold transcript text."""

    code = "E999"
