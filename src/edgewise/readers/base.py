"""What every reader produces, and the options readers share.

A reader turns one file into one or more :class:`RawTranscript`: turns with a
speaker as written, before roles are decided (that is ``edgewise.readers.roles``'s job).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from edgewise.domain import Role
from edgewise.readers.limits import LIMITS, Limits

__all__ = ["MAX_BYTES", "RawTranscript", "RawTurn", "ReadOptions", "Reader"]

#: Default size limit for one input file (20 MiB, about 100 hours of transcript).
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class RawTurn:
    """One turn as found in the file.

    ``speaker`` is the name or label as written (``None`` when the input has
    no speaker for it); ``role`` is set only when the input states it
    explicitly (a role column, a ``T:`` label). ``line`` is the 1-based line
    (or row, or cue number) where the turn starts, for error messages.
    """

    speaker: str | None
    text: str
    line: int
    role: Role | None = None
    start: float | None = None
    end: float | None = None
    source_id: str | None = None


@dataclass(frozen=True, slots=True)
class RawTranscript:
    """The turns of one session, as read."""

    session_id: str
    turns: tuple[RawTurn, ...]
    source: str
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """Options every reader accepts; readers ignore those that do not apply.

    ``columns`` maps a logical column (``session``, ``id``, ``speaker``,
    ``role``, ``text``, ``start``, ``end``) to the CSV header that holds it.
    ``offered`` holds the command-line options the caller gives its user (e.g.
    ``--encoding``): an error names an option as its fix only when it is offered,
    so the web app and the Python API never point at an option they lack.
    ``limits`` bounds what the file may expand to (see :mod:`edgewise.readers.limits`).
    """

    encoding: str | None = None
    max_bytes: int = MAX_BYTES
    columns: dict[str, str] = field(default_factory=dict)
    offered: frozenset[str] = frozenset()
    limits: Limits = LIMITS

    def offers(self, option: str) -> bool:
        """Whether the user can pass ``option`` (e.g. ``--encoding``) where they are."""
        return option in self.offered


Reader = Callable[[Path, ReadOptions], list[RawTranscript]]
