"""Read CSV and TSV transcripts: one row per utterance, one or many sessions per file.

Columns are found by header name (see :data:`DEFAULT_COLUMNS`) or mapped by the
user (``ReadOptions.columns``, filled by ``--text-col`` and friends). Rows keep
their file order; a session column groups them into sessions in order of first
appearance. Errors name the file, the line and the header, never a cell's content.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from edgewise.domain import Role
from edgewise.errors import (
    EmptyFileError,
    MissingColumnError,
    NoSpeakersError,
    ParseError,
    UsageError,
)
from edgewise.readers.base import RawTranscript, RawTurn, ReadOptions
from edgewise.readers.limits import (
    Limits,
    check_lines,
    check_transcripts,
    refuse_sessions,
    refuse_turns,
)
from edgewise.readers.roles import role_from_label
from edgewise.readers.source import load_text

__all__ = ["DEFAULT_COLUMNS", "parse_timestamp", "read_csv"]

#: Logical column -> header names recognised (case-insensitively) when not mapped.
DEFAULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "session": ("session_id", "transcript_id", "session"),
    "id": ("utterance_id", "id", "turn"),
    "speaker": ("speaker", "name", "interlocutor"),
    "role": ("role",),
    "text": ("text", "utterance_text", "utterance", "content"),
    "start": ("start", "start_time", "timestamp"),
    "end": ("end", "end_time"),
    "date": ("date", "session_date"),
}

_DELIMITERS = (",", ";", "\t")
#: No time is written with more characters (``00:01:02.500`` has 12).
_MAX_TIME_CHARS = 32
_SECONDS = re.compile(r"\d+(?:[.,]\d+)?")
_CLOCK = re.compile(r"(?:(\d+):)?(\d+):(\d+)(?:[.,](\d+))?")
_ROLES: tuple[Role, ...] = ("therapist", "client", "other")


@dataclass(frozen=True, slots=True)
class _Row:
    """One data row: its cells and the file line where it starts."""

    cells: list[str]
    line: int


def read_csv(path: Path, options: ReadOptions) -> list[RawTranscript]:
    """The sessions in a CSV/TSV file, one row per utterance, in file order."""
    text = load_text(path, options)
    check_lines(text, path, options.limits)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else sniff_delimiter(text)
    rows = _rows(text, delimiter, path)
    header = _header(rows, path)
    columns = _resolve_columns(header, options, path)
    grouped: dict[str, list[RawTurn]] = {}
    dates: dict[str, dt.date] = {}
    for row in _data_rows(rows, len(header), path):
        session_id = _session_id(row, columns, path)
        turn = _turn(row, columns, path)
        date = _date(row, columns, path)
        if date is not None:
            dates.setdefault(session_id, date)
        if turn is not None:
            _add(grouped, session_id, turn, path, options.limits)
    if not grouped:
        raise EmptyFileError(
            "no rows with text after the header; check that the file holds the transcript",
            path=path,
        )
    if "speaker" in columns and "role" not in columns:
        grouped = _apply_label_roles(grouped)
    raws = [
        RawTranscript(session_id=sid, turns=tuple(turns), source=str(path), date=dates.get(sid))
        for sid, turns in grouped.items()
    ]
    return check_transcripts(raws, path, options.limits)


def _add(
    grouped: dict[str, list[RawTurn]], session_id: str, turn: RawTurn, path: Path, limits: Limits
) -> None:
    """Add ``turn`` to its session, refusing a new session or turn past the limits."""
    turns = grouped.get(session_id)
    if turns is None:
        if len(grouped) == limits.max_sessions:
            refuse_sessions(path, limits, turn.line)
        turns = grouped[session_id] = []
    if len(turns) == limits.max_turns:
        refuse_turns(path, limits, turn.line)
    turns.append(turn)


def sniff_delimiter(text: str) -> str:
    """The delimiter (``,``, ``;`` or tab) used most often in the header line; ``,`` if none."""
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in text.split("\n", 1)[0]:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _rows(text: str, delimiter: str, path: Path) -> Iterator[_Row]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    previous = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            # The csv module's messages are fixed strings, never cell content.
            hint = "; is a quote left open?" if "field limit" in str(exc) else ""
            raise ParseError(f"not valid CSV ({exc}){hint}", path=path, line=previous + 1) from None
        yield _Row(cells, previous + 1)
        previous = reader.line_num


def _header(rows: Iterator[_Row], path: Path) -> list[str]:
    first = next(rows, None)
    if first is None or not any(cell.strip() for cell in first.cells):
        raise EmptyFileError(
            "no header row; the first line must name the columns (e.g. speaker,text)",
            path=path,
            line=1,
        )
    return [cell.strip() for cell in first.cells]


def _resolve_columns(header: list[str], options: ReadOptions, path: Path) -> dict[str, int]:
    """Logical column name -> index in the row, for the columns this file has."""
    exact = {name: i for i, name in reversed(list(enumerate(header)))}
    folded = {name.casefold(): i for i, name in reversed(list(enumerate(header)))}
    columns: dict[str, int] = {}
    for logical, wanted in options.columns.items():
        if logical not in DEFAULT_COLUMNS:
            raise UsageError(
                f"unknown column option {logical!r}; choose from {', '.join(DEFAULT_COLUMNS)}",
                path=path,
            )
        index = exact.get(wanted, folded.get(wanted.strip().casefold()))
        if index is None:
            raise MissingColumnError(
                f"column {wanted!r} (given for {logical}) is not in the header; "
                "give a column name exactly as the header (line 1) spells it",
                path=path,
                line=1,
            )
        columns[logical] = index
    for logical, names in DEFAULT_COLUMNS.items():
        if logical not in columns:
            index = next((folded[n] for n in names if n in folded), None)
            if index is not None:
                columns[logical] = index
    if "text" not in columns:
        looked = ", ".join(DEFAULT_COLUMNS["text"])
        raise MissingColumnError(
            f"no text column (looked for: {looked}); "
            + _column_fix(options, "text", ("--text-col",)),
            path=path,
            line=1,
        )
    if "speaker" not in columns and "role" not in columns:
        raise NoSpeakersError(
            "no speaker or role column (looked for: "
            f"{', '.join(DEFAULT_COLUMNS['speaker'] + DEFAULT_COLUMNS['role'])}); "
            + _column_fix(options, "speaker", ("--speaker-col", "--role-col")),
            path=path,
            line=1,
        )
    return columns


def _column_fix(options: ReadOptions, logical: str, flags: tuple[str, ...]) -> str:
    """Name the column with ``flags`` where the user can pass them, else rename its header."""
    rename = f"rename its header to {DEFAULT_COLUMNS[logical][0]!r}"
    offered = [f"{flag} COLUMN" for flag in flags if options.offers(flag)]
    if not offered:
        return rename
    return f"pass {' or '.join(offered)}, or {rename}"


def _data_rows(rows: Iterator[_Row], width: int, path: Path) -> Iterator[_Row]:
    for row in rows:
        if not any(cell.strip() for cell in row.cells):
            continue
        if len(row.cells) != width:
            raise ParseError(
                f"row has {len(row.cells)} cells; the header has {width}: "
                "put quotes around a cell that holds the delimiter",
                path=path,
                line=row.line,
            )
        yield row


def _cell(row: _Row, columns: dict[str, int], logical: str) -> str:
    index = columns.get(logical)
    return "" if index is None else row.cells[index].strip()


def _session_id(row: _Row, columns: dict[str, int], path: Path) -> str:
    if "session" not in columns:
        return path.stem
    value = _cell(row, columns, "session")
    if not value:
        raise ParseError(
            "row has an empty session id; give every row its session", path=path, line=row.line
        )
    return value


def _turn(row: _Row, columns: dict[str, int], path: Path) -> RawTurn | None:
    text = _cell(row, columns, "text")
    if not text:
        return None
    return RawTurn(
        speaker=_cell(row, columns, "speaker") or None,
        text=text,
        line=row.line,
        role=_role(row, columns, path),
        start=_time(row, columns, "start", path),
        end=_time(row, columns, "end", path),
        source_id=_cell(row, columns, "id") or None,
    )


def _role(row: _Row, columns: dict[str, int], path: Path) -> Role | None:
    value = _cell(row, columns, "role")
    if not value:
        return None
    role = role_from_label(value)
    if role is None:
        raise ParseError(
            f"unknown value in the role column; use {', '.join(_ROLES)} (or T, C)",
            path=path,
            line=row.line,
        )
    return role


def _time(row: _Row, columns: dict[str, int], logical: str, path: Path) -> float | None:
    value = _cell(row, columns, logical)
    if not value:
        return None
    seconds = parse_timestamp(value)
    if seconds is None:
        raise ParseError(
            f"cannot read the {logical} time; use seconds (12.5) or a clock time (00:01:02.5)",
            path=path,
            line=row.line,
        )
    return seconds


def parse_timestamp(value: str) -> float | None:
    """Seconds from ``12.5``, ``1:02``, ``00:01:02`` or ``00:01:02.500``; None if unreadable.

    A value longer than any time (or too large for a float) is unreadable too, so that
    a session never holds an infinite time that JSON cannot write.
    """
    value = value.strip()
    if len(value) > _MAX_TIME_CHARS:
        return None
    if _SECONDS.fullmatch(value):
        number = float(value.replace(",", "."))
        return number if math.isfinite(number) else None
    match = _CLOCK.fullmatch(value)
    if match is None:
        return None
    hours, minutes, seconds, fraction = match.groups()
    if int(seconds) >= 60 or (hours is not None and int(minutes) >= 60):
        return None
    total = int(hours or 0) * 3600 + int(minutes) * 60 + int(seconds)
    return total + (float(f"0.{fraction}") if fraction else 0.0)


def _date(row: _Row, columns: dict[str, int], path: Path) -> dt.date | None:
    value = _cell(row, columns, "date")
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ParseError("date is not an ISO date (yyyy-mm-dd)", path=path, line=row.line) from None


def _apply_label_roles(grouped: dict[str, list[RawTurn]]) -> dict[str, list[RawTurn]]:
    """Set each turn's role when every speaker value in the file is a role label."""
    names = {t.speaker for turns in grouped.values() for t in turns if t.speaker}
    roles = {name: role_from_label(name) for name in names}
    if not names or any(role is None for role in roles.values()):
        return grouped
    return {
        sid: [replace(t, role=roles[t.speaker]) if t.speaker else t for t in turns]
        for sid, turns in grouped.items()
    }
