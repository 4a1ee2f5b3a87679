"""Read Word (.docx) transcripts: ``Name: text`` paragraphs, Otter exports or a table.

Paragraphs are read as plain-text lines (see :mod:`edgewise.readers.plaintext`).
Tables with a speaker and a text column (optionally a timestamp column, and a
``Speaker | Text`` header row) are read as one turn per row; a row with an
empty speaker cell continues the turn before it. When both hold a transcript,
the one with more turns wins (a small table of session details loses to the
transcript in the paragraphs).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import docx

from edgewise.errors import EmptyFileError, FileTooLargeError, NoSpeakersError, ParseError
from edgewise.readers.base import RawTranscript, RawTurn, ReadOptions
from edgewise.readers.plaintext import is_speaker_name, parse_lines, parse_timestamp
from edgewise.readers.source import load_bytes
from edgewise.roles import role_from_label

__all__ = ["read_docx"]

#: A document may unzip to at most this many times the size limit (zip-bomb guard).
EXPANSION_LIMIT = 10

_SPEAKER_HEADERS = frozenset({"speaker", "name", "who", "role", "participant", "speaker name"})
_TEXT_HEADERS = frozenset(
    {"text", "utterance", "transcript", "content", "speech", "dialogue", "words", "statement"}
)
_NOT_DOCX = "not a valid DOCX file; open it in Word and save it again as .docx"
_TIME_HEADERS = frozenset({"time", "timestamp", "start", "start time", "timecode", "time code"})


@dataclass(frozen=True, slots=True)
class _Columns:
    """Which cell of a row holds the speaker, the text and (maybe) the start time."""

    speaker: int
    text: int
    time: int | None


def read_docx(path: Path, options: ReadOptions) -> list[RawTranscript]:
    """The one transcript in a .docx file, from its paragraphs or its tables."""
    paragraphs, tables = _load(path, options)
    cells = (cell for rows in tables for row in rows for cell in row)
    if not any(line.strip() for line in paragraphs) and not any(cells):
        raise EmptyFileError("document has no text", path=path)
    try:
        from_text: RawTranscript | None = parse_lines(paragraphs, str(path), path.stem)
    except NoSpeakersError:
        from_text = None
    from_tables = [turn for table in _numbered(tables) for turn in _table_turns(table)]
    if from_tables and (from_text is None or len(from_tables) >= len(from_text.turns)):
        return [RawTranscript(session_id=path.stem, turns=tuple(from_tables), source=str(path))]
    if from_text is None:
        raise NoSpeakersError(
            "no speaker labels found in the paragraphs or tables; start each turn with "
            "'Name: ' or put the turns in a speaker | text table",
            path=path,
        )
    return [from_text]


def _load(path: Path, options: ReadOptions) -> tuple[list[str], list[list[list[str]]]]:
    """Paragraph lines and table cell texts, refusing files that are not DOCX."""
    data = load_bytes(path, options)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except Exception:
        raise ParseError(_NOT_DOCX, path=path) from None
    if unpacked > EXPANSION_LIMIT * options.max_bytes:
        raise FileTooLargeError(
            f"document unpacks to {unpacked:,} bytes; the limit is "
            f"{EXPANSION_LIMIT * options.max_bytes:,} bytes",
            path=path,
        )
    try:
        document = docx.Document(io.BytesIO(data))
        lines = [line for p in document.paragraphs for line in _split(p.text)]
        tables = [_cells(table) for table in document.tables]
    except Exception:
        raise ParseError(_NOT_DOCX, path=path) from None
    return lines, tables


def _split(text: str) -> list[str]:
    return text.replace("\r", "\n").split("\n")


def _cells(table: Any) -> list[list[str]]:
    return [[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]


def _numbered(tables: list[list[list[str]]]) -> list[list[tuple[int, list[str]]]]:
    """Each table's rows with a 1-based row number counted across all tables."""
    numbered: list[list[tuple[int, list[str]]]] = []
    count = 0
    for rows in tables:
        numbered.append([(count + i, row) for i, row in enumerate(rows, start=1)])
        count += len(rows)
    return numbered


def _table_turns(rows: list[tuple[int, list[str]]]) -> list[RawTurn]:
    """The turns in one table, or none when it does not look like a transcript."""
    if not rows:
        return []
    columns = _header_columns(rows[0][1])
    if columns is not None:
        rows = rows[1:]
    else:
        columns = _guess_columns([cells for _, cells in rows])
    if columns is None or not _looks_like_transcript(rows, columns):
        return []
    turns: list[RawTurn] = []
    for number, cells in rows:
        speaker = _cell(cells, columns.speaker).rstrip(":").strip()
        text = _cell(cells, columns.text)
        if not speaker and turns and text:
            turns[-1] = replace(turns[-1], text=f"{turns[-1].text} {text}")
        elif speaker and text:
            start = _time(_cell(cells, columns.time)) if columns.time is not None else None
            role = role_from_label(speaker)
            turns.append(RawTurn(speaker, text, number, role=role, start=start))
    return turns


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _header_columns(cells: list[str]) -> _Columns | None:
    keys = [cell.lower().rstrip(":").strip() for cell in cells]
    speaker = next((i for i, k in enumerate(keys) if k in _SPEAKER_HEADERS), None)
    text = next((i for i, k in enumerate(keys) if k in _TEXT_HEADERS), None)
    if speaker is None or text is None:
        return None
    time = next((i for i, k in enumerate(keys) if k in _TIME_HEADERS), None)
    return _Columns(speaker, text, time)


def _guess_columns(rows: list[list[str]]) -> _Columns | None:
    """Without a header: an all-timestamp column is the time, then speaker, then text."""
    width = max(len(row) for row in rows)
    if width < 2:
        return None
    time = next((i for i in range(width) if _all_times([_cell(r, i) for r in rows])), None)
    rest = [i for i in range(width) if i != time]
    if len(rest) < 2:
        return None
    return _Columns(rest[0], rest[1], time)


def _all_times(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    return bool(filled) and all(_time(cell) is not None for cell in filled)


def _time(cell: str) -> float | None:
    try:
        return parse_timestamp(cell)
    except ValueError:
        return None


def _looks_like_transcript(rows: list[tuple[int, list[str]]], columns: _Columns) -> bool:
    """At least half of the filled speaker cells are name-like."""
    names = [_cell(cells, columns.speaker).rstrip(":").strip() for _, cells in rows]
    filled = [name for name in names if name]
    good = sum(is_speaker_name(name) for name in filled)
    return good > 0 and 2 * good >= len(filled)
