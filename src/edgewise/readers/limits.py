"""Limits on what one input may become when parsed, checked before anything is returned.

The file size limit (``MAX_BYTES``) bounds what is read from disk, not what it turns
into: an 800 KB .docx can unzip to 190 MiB of XML, and 19 MiB of ``A: x`` lines are two
million turns. These limits bind on what is parsed, each with its own coded error
(E140-E149, worded in :mod:`edgewise.error_codes`). Every value is far above any real session,
so only a damaged or hostile file meets one:

* a long real session is about 2,000 turns of at most a few hundred characters (two
  hours of talk); ``MAX_TURNS`` and ``MAX_TURN_CHARS`` allow ten times that;
* a corpus file (CSV, JSON) holds at most a few hundred sessions (AnnoMI has 133);
  ``MAX_SESSIONS`` allows 5,000;
* ``MAX_CHARS`` is what the largest plain-text file (20 MiB) could hold, about 100
  hours of transcript: no format may expand past it;
* a Word transcript of 2,000 turns has 20-40 parts, 1-5 MB of XML and 45,000-100,000
  XML elements (20-25 a paragraph, about 50 a table row); the archive limits allow
  five to ten times that, and are low enough that a zip bomb is refused within a
  second, in under 100 MB;
* ``MAX_LINES`` bounds the per-line work of the text readers (a speaker label is a
  few microseconds of pattern matching): 500,000 lines is 25 times a long session's
  captions (about 20,000 lines of WebVTT) and a corpus CSV of 5,000 sessions of 100
  turns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from edgewise.errors import (
    TooManyLinesError,
    TooManySessionsError,
    TooManyTurnsError,
    TooMuchTextError,
    TurnTooLongError,
)

if TYPE_CHECKING:
    from edgewise.readers.base import RawTranscript, RawTurn

__all__ = [
    "LIMITS",
    "MAX_ARCHIVE_BYTES",
    "MAX_CHARS",
    "MAX_LINES",
    "MAX_MEMBER_BYTES",
    "MAX_SESSIONS",
    "MAX_TURNS",
    "MAX_TURN_CHARS",
    "MAX_XML_ELEMENTS",
    "MAX_XML_TOKEN_BYTES",
    "MAX_ZIP_MEMBERS",
    "Limits",
    "check_lines",
    "check_transcripts",
    "check_turn",
    "refuse_chars",
    "refuse_sessions",
    "refuse_turns",
]

_MIB = 1024 * 1024

#: Members a zip-based file (.docx) may list (E140); Word writes 10-40.
MAX_ZIP_MEMBERS = 1_000
#: Bytes one zip member may unpack to, counted as read, never from its header (E141).
MAX_MEMBER_BYTES = 64 * _MIB
#: Bytes all the zip members read may unpack to together (E142).
MAX_ARCHIVE_BYTES = 80 * _MIB
#: Elements (start tags) an XML document may hold, all parts read together (E143).
MAX_XML_ELEMENTS = 500_000
#: Bytes one XML tag, comment or declaration may run to before it ends (E144).
MAX_XML_TOKEN_BYTES = 1 * _MIB
#: Lines a text file (.txt, .vtt, .srt, .csv) may have (E145).
MAX_LINES = 500_000
#: Turns one session may have (E146).
MAX_TURNS = 20_000
#: Characters one turn may have (E147); in a .docx, also one line or table cell.
MAX_TURN_CHARS = 20_000
#: Sessions one file may hold (E148).
MAX_SESSIONS = 5_000
#: Characters the turns of one file may hold together (E149), 20 Mi.
MAX_CHARS = 20 * _MIB


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits one read applies; the defaults are the documented constants.

    Callers may lower them (the tests do, to reach each limit with a small file);
    raising them takes back the protection they give.
    """

    max_zip_members: int = MAX_ZIP_MEMBERS
    max_member_bytes: int = MAX_MEMBER_BYTES
    max_archive_bytes: int = MAX_ARCHIVE_BYTES
    max_xml_elements: int = MAX_XML_ELEMENTS
    max_xml_token_bytes: int = MAX_XML_TOKEN_BYTES
    max_lines: int = MAX_LINES
    max_turns: int = MAX_TURNS
    max_turn_chars: int = MAX_TURN_CHARS
    max_sessions: int = MAX_SESSIONS
    max_chars: int = MAX_CHARS


#: The limits every reader applies unless told otherwise.
LIMITS = Limits()


def check_lines(text: str, path: Path | str, limits: Limits) -> None:
    """Refuse ``text`` before parsing when it has more than ``limits.max_lines`` lines."""
    if text.count("\n", 0, len(text) - 1) >= limits.max_lines:
        raise TooManyLinesError(limit=limits.max_lines, path=path)


def check_turn(chars: int, path: Path | str, limits: Limits, line: int | None) -> None:
    """Refuse a turn (or a document line) of ``chars`` characters over the limit."""
    if chars > limits.max_turn_chars:
        raise TurnTooLongError(chars=chars, limit=limits.max_turn_chars, path=path, line=line)


def refuse_turns(path: Path | str, limits: Limits, line: int | None) -> NoReturn:
    """Raise the error for a session with more than ``limits.max_turns`` turns."""
    raise TooManyTurnsError(limit=limits.max_turns, path=path, line=line)


def refuse_sessions(path: Path | str, limits: Limits, line: int | None) -> NoReturn:
    """Raise the error for a file with more than ``limits.max_sessions`` sessions."""
    raise TooManySessionsError(limit=limits.max_sessions, path=path, line=line)


def refuse_chars(path: Path | str, limits: Limits, line: int | None = None) -> NoReturn:
    """Raise the error for a file whose text passes ``limits.max_chars``."""
    raise TooMuchTextError(limit=limits.max_chars, path=path, line=line)


def check_transcripts(
    raws: Sequence[RawTranscript], path: Path | str, limits: Limits
) -> list[RawTranscript]:
    """``raws`` unchanged when every limit on sessions, turns and characters holds."""
    if len(raws) > limits.max_sessions:
        refuse_sessions(path, limits, _first_line(raws[limits.max_sessions].turns))
    total = 0
    for raw in raws:
        if len(raw.turns) > limits.max_turns:
            refuse_turns(path, limits, raw.turns[limits.max_turns].line)
        for turn in raw.turns:
            check_turn(len(turn.text), path, limits, turn.line)
            total += len(turn.text)
        if total > limits.max_chars:
            refuse_chars(path, limits)
    return list(raws)


def _first_line(turns: Sequence[RawTurn]) -> int | None:
    return turns[0].line if turns else None
