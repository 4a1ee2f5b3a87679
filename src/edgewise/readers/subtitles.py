"""Read WebVTT and SubRip captions: speakers from voice tags or ``Name: text`` cue prefixes.

Teams writes ``<v Name>text</v>``; Zoom and Otter write ``Name: text`` (Zoom
often only on the first cue of a turn, so a cue without a speaker continues the
speaker before it). Consecutive cues of one speaker are joined into one turn
while the earlier cue does not end a sentence. Cues before the first speaker
are skipped, as titles are in plain text.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import srt
import webvtt
from webvtt.errors import MalformedFileError

from edgewise.errors import NoSpeakersError, ParseError
from edgewise.readers.base import RawTranscript, RawTurn, ReadOptions
from edgewise.readers.limits import check_lines, check_transcripts
from edgewise.readers.plaintext import accepted_names, split_prefix
from edgewise.readers.roles import role_from_label
from edgewise.readers.source import load_text

__all__ = ["read_srt", "read_vtt"]

_VTT_TS = r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"
_VTT_TIMING = re.compile(rf"\s*({_VTT_TS})\s*-->\s*({_VTT_TS})")
_SRT_TIMING = re.compile(rf"\s*({srt.RGX_TIMESTAMP}) *-[ -] *> *({srt.RGX_TIMESTAMP})")
_VOICE = re.compile(r"<v(?:\.[\w-]+)*[ \t]+([^<>\n]*)>")
_TAG = re.compile(r"<[^<>]*>")
_SENTENCE_END = re.compile(r"[.?!…][\"'”’»]*$")
_MS = dt.timedelta(milliseconds=1)
_MAX_DIGITS = 20
_LONG_NUMBER = re.compile(f"[0-9]{{{_MAX_DIGITS + 1}}}")

_Piece = tuple[str | None, str]
_Timed = tuple[int, int, str, object]


@dataclass(frozen=True, slots=True)
class _Cue:
    """One cue: where it starts in the file, its times in ms and its raw text."""

    line: int
    start: int
    end: int
    raw: str


@dataclass(frozen=True, slots=True)
class _Segment:
    """Text of one speaker (None: not labelled) within a cue."""

    speaker: str | None
    text: str
    cue: _Cue


def read_vtt(path: Path, options: ReadOptions) -> list[RawTranscript]:
    """The transcript in a WebVTT file (speakers from ``<v>`` tags or ``Name:`` prefixes)."""
    text = load_text(path, options)
    check_lines(text, path, options.limits)
    try:
        captions = webvtt.from_buffer(io.StringIO(text)).captions
        timed: list[_Timed] = [
            (c.start_time.in_milliseconds(), c.end_time.in_milliseconds(), c.raw_text, c.identifier)
            for c in captions
        ]
    except MalformedFileError:
        raise ParseError(
            "not a WebVTT file (the first line must be WEBVTT)", path=path, line=1
        ) from None
    except Exception:
        raise ParseError("not a valid WebVTT file; export the captions again", path=path) from None
    raw = _transcript(_cues(text, _VTT_TIMING, _vtt_ms, timed), path)
    return check_transcripts([raw], path, options.limits)


def read_srt(path: Path, options: ReadOptions) -> list[RawTranscript]:
    """The transcript in a SubRip file (speakers from ``Name:`` prefixes or ``<v>`` tags)."""
    text = load_text(path, options)
    check_lines(text, path, options.limits)
    _refuse_long_numbers(text, path)
    try:
        subs = list(srt.parse(text))
        timed: list[_Timed] = [(s.start // _MS, s.end // _MS, s.content, s.index) for s in subs]
    except srt.SRTParseError as exc:
        skipped = len(exc.unmatched_content) - len(exc.unmatched_content.lstrip())
        line = text.count("\n", 0, exc.expected_start + skipped) + 1
        raise ParseError(
            "not a valid SRT cue (expected a number, 'start --> end' times and text)",
            path=path,
            line=line,
        ) from None
    except Exception:
        raise ParseError("not a valid SRT file; export the captions again", path=path) from None
    raw = _transcript(_cues(text, _SRT_TIMING, _srt_ms, timed), path)
    return check_transcripts([raw], path, options.limits)


def _refuse_long_numbers(text: str, path: Path) -> None:
    """Refuse a run of more than 20 digits: no index or time has one, and the srt library's
    pattern backtracks over each (a 5,000-digit line takes it 20 seconds)."""
    found = _LONG_NUMBER.search(text)
    if found is not None:
        raise ParseError(
            f"a number of more than {_MAX_DIGITS} digits, which no SRT index or time has; "
            "export the captions again",
            path=path,
            line=text.count("\n", 0, found.start()) + 1,
        )


def _vtt_ms(stamp: str) -> int:
    clock, fraction = stamp.split(".")
    total = 0
    for part in clock.split(":"):
        total = total * 60 + int(part)
    return total * 1000 + int(fraction.ljust(3, "0"))


def _srt_ms(stamp: str) -> int:
    return int(srt.srt_timestamp_to_timedelta(stamp) // _MS)


def _cues(
    text: str, timing: re.Pattern[str], to_ms: Callable[[str], int], timed: list[_Timed]
) -> list[_Cue]:
    """Cues from the library's ``(start ms, end ms, raw text, id)``, with their lines."""
    lines = _cue_lines(text, timing, to_ms, [(s, e, i) for s, e, _, i in timed])
    return [_Cue(n, s, e, raw) for n, (s, e, raw, _) in zip(lines, timed, strict=True)]


def _cue_lines(
    text: str,
    timing: re.Pattern[str],
    to_ms: Callable[[str], int],
    cues: list[tuple[int, int, object]],
) -> list[int]:
    """The 1-based line where each cue starts (its id line, else its timing line).

    Cues are matched in order to timing lines with the same times; if one is
    not found (the library read the file differently), the cue's position is
    used for it and every later cue.
    """
    found = iter(_timing_lines(text, timing, to_ms))
    result: list[int] = []
    for number, (start, end, ident) in enumerate(cues, start=1):
        hit = next((n for n, s, e in found if (s, e) == (start, end)), None)
        if hit is None:
            return result + list(range(number, len(cues) + 1))
        result.append(hit - 1 if ident not in (None, "") and hit > 1 else hit)
    return result


def _timing_lines(
    text: str, timing: re.Pattern[str], to_ms: Callable[[str], int]
) -> Iterator[tuple[int, int, int]]:
    for number, line in enumerate(text.split("\n"), start=1):
        match = timing.match(line)
        if match is None:
            continue
        try:
            yield number, to_ms(match[1]), to_ms(match[2])
        except Exception:
            continue


def _clean(text: str) -> str:
    """Cue text without tags or entities, on one line."""
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _voice_pieces(raw: str) -> list[_Piece]:
    """``raw`` split at each voice tag: ``(voice or None, text with tags)``."""
    pieces: list[_Piece] = []
    voice: str | None = None
    pos = 0
    for match in _VOICE.finditer(raw):
        pieces.append((voice, raw[pos : match.start()]))
        voice, pos = _clean(match[1]) or None, match.end()
    pieces.append((voice, raw[pos:]))
    return [(v, t) for v, t in pieces if v is not None or _clean(t)]


def _prefix_candidates(pieces: list[_Piece]) -> Iterator[str]:
    """The ``Name:`` prefixes of a cue's lines outside voice tags."""
    for voice, piece in pieces:
        if voice is None:
            for line in piece.split("\n"):
                prefixed = split_prefix(_clean(line))
                if prefixed is not None:
                    yield prefixed[0]


def _segments(cue: _Cue, pieces: list[_Piece], names: set[str]) -> list[_Segment]:
    """The speaker segments of a cue, taking only ``names`` as ``Name:`` prefixes."""
    found: list[tuple[str | None, list[str]]] = []  # joined once, so a long cue stays linear
    for voice, piece in pieces:
        if voice is not None:
            found.append((voice, [_clean(piece)]))
            continue
        for line in piece.split("\n"):
            text = _clean(line)
            prefixed = split_prefix(text)
            if prefixed is not None and prefixed[0] in names:
                found.append((prefixed[0], [prefixed[1]]))
            elif text and found:
                found[-1][1].append(text)
            elif text:
                found.append((None, [text]))
    return [_Segment(speaker, " ".join(parts).strip(), cue) for speaker, parts in found]


def _labelled(cues: list[_Cue]) -> list[_Segment]:
    """Every segment of every cue, with ``Name:`` prefixes judged over the whole file."""
    pieces = [_voice_pieces(cue.raw) for cue in cues]
    names = accepted_names(name for p in pieces for name in _prefix_candidates(p))
    return [s for c, p in zip(cues, pieces, strict=True) for s in _segments(c, p, names)]


def _transcript(cues: list[_Cue], path: Path) -> RawTranscript:
    if not cues:
        raise ParseError("no cues found; each cue needs a 'start --> end' timing line", path=path)
    segments = _labelled(cues)
    if all(s.speaker is None for s in segments):
        raise NoSpeakersError(
            "no speaker labels found in the cues; start a cue with 'Name: ' or a <v Name> tag",
            path=path,
        )
    turns = _join(segments)
    if not turns:
        raise NoSpeakersError("the labelled cues have no text", path=path)
    return RawTranscript(session_id=path.stem, turns=tuple(turns), source=str(path))


@dataclass(slots=True)
class _Turn:
    """A turn being joined from segments (its parts joined once, at the end)."""

    speaker: str
    first: _Segment
    parts: list[str]
    end: int

    def freeze(self) -> RawTurn:
        return RawTurn(
            speaker=self.speaker,
            text=" ".join(self.parts),
            line=self.first.cue.line,
            role=role_from_label(self.speaker),
            start=self.first.cue.start / 1000,
            end=self.end / 1000,
        )


def _join(segments: list[_Segment]) -> list[RawTurn]:
    """Turns from segments: unlabelled ones continue the last speaker; unfinished ones join."""
    turns: list[_Turn] = []
    speaker: str | None = None
    for seg in segments:
        speaker = seg.speaker or speaker
        if speaker is None or not seg.text:
            continue
        last = turns[-1] if turns else None
        if (
            last is not None
            and last.speaker == speaker
            and not _SENTENCE_END.search(last.parts[-1])
        ):
            last.parts.append(seg.text)
            last.end = seg.cue.end
            continue
        turns.append(_Turn(speaker, seg, [seg.text], seg.cue.end))
    return [turn.freeze() for turn in turns]
