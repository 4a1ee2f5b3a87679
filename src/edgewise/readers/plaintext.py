"""Read plain-text transcripts: ``Name: text`` lines, role labels, timestamps, Otter headers.

A line opens a turn when it starts with a speaker name and a colon (``Maria:``,
``Dr. Okafor:``, ``T:``), optionally with a timestamp before or right after the
name, or when it is an Otter/Zoom-style header holding only a name and a
timestamp (``Speaker 1  0:03``). Every other line continues the turn before it.
A name that is not a role label must open at least two lines (unless the file
has three or fewer such lines), so that ``Note: ...`` inside a long turn stays
text. The helpers here are shared with the DOCX and subtitle readers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from edgewise.errors import NoSpeakersError
from edgewise.readers.base import RawTranscript, RawTurn, ReadOptions
from edgewise.readers.limits import LIMITS, Limits, check_lines, check_transcripts, refuse_turns
from edgewise.readers.roles import role_from_label
from edgewise.readers.source import load_text

__all__ = [
    "accepted_names",
    "is_speaker_name",
    "parse_lines",
    "parse_timestamp",
    "read_text",
    "split_prefix",
]

MAX_NAME_CHARS = 40
MAX_NAME_WORDS = 4
#: With this many prefixed lines or fewer, every well-formed name is a speaker.
FEW_PREFIXED_LINES = 3

_TS = r"\d{1,2}(?::\d{2}){1,2}(?:[.,]\d{1,3})?"
_BRACKETED_TS = rf"[\[(]\s*{_TS}\s*[\])]"
_NAME = r"[^\W\d_][^:\[\]()*<>]{0,60}?"
_PREFIX = re.compile(
    rf"\s*(?:(?P<ts1>{_BRACKETED_TS}|{_TS})\s*(?:[-–—|]\s*)?)?"
    rf"[*_]{{0,2}}(?P<name>{_NAME})\s*(?P<ts2>{_BRACKETED_TS})?\s*[*_]{{0,2}}:[*_]{{0,2}}"
    r"(?P<text>.*)"
)
_HEADER = re.compile(rf"\s*\[?(?P<name>{_NAME})\]?\s+(?P<ts>{_BRACKETED_TS}|{_TS})\s*")
_TIME_ONLY = re.compile(rf"\s*(?P<ts>{_BRACKETED_TS}|{_TS})\s*")
_TS_VALUE = re.compile(_TS)
_ABBREVIATIONS = frozenset("dr mr mrs ms mx prof rev fr sr jr st sgt capt col lt hon".split())
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+")


def read_text(path: Path, options: ReadOptions) -> list[RawTranscript]:
    """The one transcript in a plain-text file (raises NoSpeakersError if it names no speaker)."""
    text = load_text(path, options)
    check_lines(text, path, options.limits)
    raw = parse_lines(text.split("\n"), str(path), path.stem, options.limits)
    return check_transcripts([raw], path, options.limits)


def parse_timestamp(value: str) -> float:
    """Seconds in ``[h:]m:ss[.fff]`` (in brackets or not; a decimal comma is allowed)."""
    match = _TS_VALUE.fullmatch(value.strip().strip("[]()").strip())
    if match is None:
        raise ValueError("not a timestamp")
    *clock, seconds = match.group().replace(",", ".").split(":")
    total = 0
    for part in clock:
        total = total * 60 + int(part)
    return total * 60 + float(seconds)


def is_speaker_name(name: str) -> bool:
    """Whether ``name`` looks like a speaker name: 1-4 words, no sentence punctuation."""
    words = name.split()
    if not words or len(words) > MAX_NAME_WORDS or len(name) > MAX_NAME_CHARS:
        return False
    if not words[0][0].isalpha():
        return False
    return all(_is_name_word(word) for word in words)


def _is_name_word(word: str) -> bool:
    if word.endswith(".") and word.count(".") == 1:
        stem = word[:-1]
        return (len(stem) == 1 and stem.isalpha()) or stem.lower() in _ABBREVIATIONS
    return _WORD.fullmatch(word) is not None


def split_prefix(line: str) -> tuple[str, str, float | None] | None:
    """``(name, text, start)`` when ``line`` is ``[time] Name [time]: text``, else None."""
    match = _PREFIX.fullmatch(line)
    if match is None:
        return None
    name = " ".join(match["name"].split())
    text = match["text"].strip()
    if not is_speaker_name(name) or text.startswith("//"):
        return None
    stamp = match["ts1"] or match["ts2"]
    return name, text, None if stamp is None else parse_timestamp(stamp)


def accepted_names(candidates: Iterable[str]) -> set[str]:
    """The candidate prefixes that count as speakers (see the module docstring)."""
    counts = Counter(candidates)
    if sum(counts.values()) <= FEW_PREFIXED_LINES:
        return set(counts)
    return {n for n, c in counts.items() if c >= 2 or role_from_label(n) is not None}


@dataclass(frozen=True, slots=True)
class _Opening:
    """A line that may open a turn: its speaker, text so far and timestamp."""

    name: str
    text: str
    start: float | None


@dataclass(slots=True)
class _Turn:
    speaker: str
    line: int
    start: float | None
    parts: list[str] = field(default_factory=list)

    def freeze(self) -> RawTurn:
        return RawTurn(
            speaker=self.speaker,
            text=" ".join(self.parts),
            line=self.line,
            role=role_from_label(self.speaker),
            start=self.start,
        )


def _opening(line: str) -> _Opening | None:
    if ":" not in line:  # every opening has a colon in its name or its timestamp
        return None
    header = _HEADER.fullmatch(line)
    if header is not None:
        name = " ".join(header["name"].split())
        if is_speaker_name(name):
            return _Opening(name, "", parse_timestamp(header["ts"]))
    prefixed = split_prefix(line)
    return None if prefixed is None else _Opening(*prefixed)


def _openings(lines: list[str], source: str, limits: Limits) -> list[_Opening | None]:
    """Each line's opening, if it has one; refused once more turns are certain than allowed.

    A line that opens with text under a name already accepted is a turn whatever
    follows, so a file of millions of ``A: x`` lines stops at the turn limit.
    """
    openings: list[_Opening | None] = []
    counts: Counter[str] = Counter()
    with_text: Counter[str] = Counter()
    accepted: set[str] = set()
    certain = 0
    for number, line in enumerate(lines, start=1):
        opening = _opening(line) if line.strip() else None
        openings.append(opening)
        if opening is None:
            continue
        name = opening.name
        counts[name] += 1
        with_text[name] += bool(opening.text)
        if name in accepted:
            certain += bool(opening.text)
        elif counts[name] >= 2 or role_from_label(name) is not None:
            accepted.add(name)
            certain += with_text[name]
        if certain > limits.max_turns:
            refuse_turns(source, limits, number)
    return openings


def parse_lines(
    lines: list[str], source: str, session_id: str, limits: Limits = LIMITS
) -> RawTranscript:
    """The transcript in ``lines``; raises NoSpeakersError when no line names a speaker."""
    openings = _openings(lines, source, limits)
    names = accepted_names(o.name for o in openings if o is not None)
    turns: list[_Turn] = []
    pending: float | None = None
    for number, (line, opening) in enumerate(zip(lines, openings, strict=True), start=1):
        if opening is not None and opening.name in names:
            start = opening.start if opening.start is not None else pending
            parts = [opening.text] if opening.text else []
            turns.append(_Turn(opening.name, number, start, parts))
            pending = None
        elif (stamp := _TIME_ONLY.fullmatch(line)) is not None:
            pending = parse_timestamp(stamp["ts"])
        elif line.strip() and turns:
            turns[-1].parts.append(" ".join(line.split()))
    if not turns:
        raise NoSpeakersError(
            "no speaker labels found (expected 'Name: text' lines or 'Name  0:03' headers)",
            path=source,
            line=1,
        )
    raw = tuple(t.freeze() for t in turns if t.parts)
    if not raw:
        raise NoSpeakersError("the speaker labels have no text", path=source, line=turns[0].line)
    return RawTranscript(session_id=session_id, turns=raw, source=source)
