"""Read Word (.docx) transcripts: ``Name: text`` paragraphs, Otter exports or a table.

Paragraphs are read as plain-text lines (see :mod:`edgewise.readers.plaintext`).
Tables with a speaker and a text column (optionally a timestamp column, and a
``Speaker | Text`` header row) are read as one turn per row; a row with an
empty speaker cell continues the turn before it. When both hold a transcript,
the one with more turns wins (a small table of session details loses to the
transcript in the paragraphs).

The file is read within :mod:`edgewise.readers.limits`: its zip directory is sized
before it is parsed, its parts are counted as they unpack and its XML as it
streams (see :mod:`edgewise.readers.archive` and :mod:`edgewise.readers.wordml`), so
a zip bomb is refused after reading a bounded amount of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from edgewise.errors import EdgewiseError, EmptyFileError, NoSpeakersError, ParseError
from edgewise.readers.archive import Budget, open_archive
from edgewise.readers.base import RawTranscript, RawTurn, ReadOptions
from edgewise.readers.limits import Limits, check_transcripts, check_turn, refuse_turns
from edgewise.readers.plaintext import is_speaker_name, parse_lines, parse_timestamp
from edgewise.readers.roles import role_from_label
from edgewise.readers.source import load_bytes
from edgewise.readers.wordml import NOT_DOCX, XmlCounter, main_part, word_text

__all__ = ["read_docx"]

_RELS = "_rels/.rels"

_SPEAKER_HEADERS = frozenset({"speaker", "name", "who", "role", "participant", "speaker name"})
_TEXT_HEADERS = frozenset(
    {"text", "utterance", "transcript", "content", "speech", "dialogue", "words", "statement"}
)
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
    limits = options.limits
    try:
        from_text: RawTranscript | None = parse_lines(paragraphs, str(path), path.stem, limits)
    except NoSpeakersError:
        from_text = None
    from_tables = [
        turn for table in _numbered(tables) for turn in _table_turns(table, path, limits)
    ]
    if from_tables and (from_text is None or len(from_tables) >= len(from_text.turns)):
        found = RawTranscript(session_id=path.stem, turns=tuple(from_tables), source=str(path))
        return check_transcripts([found], path, limits)
    if from_text is None:
        raise NoSpeakersError(
            "no speaker labels found in the paragraphs or tables; start each turn with "
            "'Name: ' or put the turns in a speaker | text table",
            path=path,
        )
    return check_transcripts([from_text], path, limits)


def _load(path: Path, options: ReadOptions) -> tuple[list[str], list[list[list[str]]]]:
    """Paragraph lines and table cell texts, refusing files that are not DOCX.

    Only the package relationships and the main document part are unpacked, each
    counted as it is read; nothing else in the archive is decompressed. The main part
    is read twice: checked at C speed first (so a bomb costs no Python per element),
    then read for its text.
    """
    data = load_bytes(path, options)
    budget = Budget(path, options.limits)
    counter = XmlCounter(path, options.limits)
    with open_archive(data, path, options.limits, NOT_DOCX) as archive:
        try:
            rels = archive.getinfo(_RELS)
        except KeyError:
            raise ParseError(NOT_DOCX, path=path) from None
        name = main_part(counter, _guarded(budget.chunks(archive, rels), path))
        try:
            info = archive.getinfo(name or "")
        except KeyError:
            raise ParseError(NOT_DOCX, path=path) from None
        counter.check(_guarded(budget.chunks(archive, info), path))
        text = word_text(counter, _guarded(budget.again(archive, info), path))
    lines = [line for p in text.paragraphs for line in _split(p)]
    tables = [[[" ".join(cell.split()) for cell in row] for row in rows] for rows in text.tables]
    return lines, tables


def _guarded(chunks: Iterator[bytes], path: Path) -> Iterator[bytes]:
    """``chunks`` with a damaged member (bad CRC, truncated, encrypted) as ParseError."""
    while True:
        try:
            chunk = next(chunks)
        except StopIteration:
            return
        except EdgewiseError:
            raise
        except Exception:
            raise ParseError(NOT_DOCX, path=path) from None
        yield chunk


def _split(text: str) -> list[str]:
    return text.replace("\r", "\n").split("\n")


def _numbered(tables: list[list[list[str]]]) -> list[list[tuple[int, list[str]]]]:
    """Each table's rows with a 1-based row number counted across all tables."""
    numbered: list[list[tuple[int, list[str]]]] = []
    count = 0
    for rows in tables:
        numbered.append([(count + i, row) for i, row in enumerate(rows, start=1)])
        count += len(rows)
    return numbered


def _table_turns(rows: list[tuple[int, list[str]]], path: Path, limits: Limits) -> list[RawTurn]:
    """The turns in one table, or none when it does not look like a transcript.

    A turn continued over rows is checked as it grows, so joining stays linear.
    """
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
            check_turn(len(turns[-1].text) + len(text) + 1, path, limits, turns[-1].line)
            turns[-1] = replace(turns[-1], text=f"{turns[-1].text} {text}")
        elif speaker and text:
            if len(turns) == limits.max_turns:
                refuse_turns(path, limits, number)
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
    time = _time_column(rows)
    rest = [i for i in range(width) if i != time]
    if len(rest) < 2:
        return None
    return _Columns(rest[0], rest[1], time)


def _time_column(rows: list[list[str]]) -> int | None:
    """The first column whose filled cells are all timestamps (and one at least is filled).

    One pass over the cells, so a wide table with many rows costs what its cells do.
    """
    filled: set[int] = set()
    other: set[int] = set()
    for row in rows:
        for i, cell in enumerate(row):
            if cell and i not in other:
                (filled if _time(cell) is not None else other).add(i)
    return min(filled - other, default=None)


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
