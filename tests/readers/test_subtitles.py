"""WebVTT and SRT transcripts: voice tags, ``Name:`` prefixes, cue joining, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.errors import InputError, NoSpeakersError, ParseError
from edgewise.readers.base import RawTranscript, ReadOptions
from edgewise.readers.roles import role_from_label
from edgewise.readers.subtitles import read_srt, read_vtt

Check = Callable[[InputError, str], None]


def vtt(tmp_path: Path, body: str, name: str = "call.vtt") -> RawTranscript:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    [raw] = read_vtt(path, ReadOptions())
    return raw


def srt_file(tmp_path: Path, body: str | bytes, name: str = "call.srt") -> RawTranscript:
    path = tmp_path / name
    path.write_bytes(body if isinstance(body, bytes) else body.encode())
    [raw] = read_srt(path, ReadOptions())
    return raw


def pairs(raw: RawTranscript) -> list[tuple[str | None, str]]:
    return [(t.speaker, t.text) for t in raw.turns]


def cue(start: int, speaker_text: str, ident: str | None = None) -> str:
    head = f"{ident}\n" if ident else ""
    return f"{head}00:00:{start:02d}.000 --> 00:00:{start + 1:02d}.500\n{speaker_text}\n"


TEAMS = (
    "WEBVTT\n\n"
    "NOTE written by hand for the tests\n\n"
    "a1b2/10-0\n"
    "00:00:01.000 --> 00:00:03.500\n"
    "<v Maria Lopez>What would you like to focus on today?</v>\n\n"
    "a1b2/11-0\n"
    "00:00:04.000 --> 00:00:05.000\n"
    "<v Sam Ode>I keep putting off the</v>\n\n"
    "a1b2/12-0\n"
    "00:00:05.000 --> 00:00:07.250\n"
    "<v Sam Ode>tax forms, honestly.</v>\n\n"
    "00:00:08.000 --> 00:00:09.000\n"
    "<v.loud Maria Lopez>Putting them off.</v>\n"
    "<v Sam Ode>Yes!</v>\n"
)


# --- WebVTT ----------------------------------------------------------------------------


def test_vtt_teams_voice_tags(tmp_path: Path) -> None:
    raw = vtt(tmp_path, TEAMS, "weekly-07.vtt")
    assert raw.session_id == "weekly-07"
    assert pairs(raw) == [
        ("Maria Lopez", "What would you like to focus on today?"),
        ("Sam Ode", "I keep putting off the tax forms, honestly."),
        ("Maria Lopez", "Putting them off."),
        ("Sam Ode", "Yes!"),
    ]
    assert [(t.start, t.end) for t in raw.turns] == [
        (1.0, 3.5),
        (4.0, 7.25),
        (8.0, 9.0),
        (8.0, 9.0),
    ]
    assert [t.line for t in raw.turns] == [5, 9, 17, 17]
    assert all(t.source_id is None for t in raw.turns)


def test_vtt_zoom_prefixes_and_unlabelled_cues(tmp_path: Path) -> None:
    body = "WEBVTT\n\n" + "\n".join(
        [
            cue(1, "Maria Lopez: So where would you", "1"),
            cue(3, "like to begin?", "2"),
            cue(5, "Sam Ode: With the letters.", "3"),
            cue(7, "The ones from the bank.", "4"),
            cue(9, "Maria Lopez: Okay.", "5"),
        ]
    )
    raw = vtt(tmp_path, body)
    assert pairs(raw) == [
        ("Maria Lopez", "So where would you like to begin?"),
        ("Sam Ode", "With the letters."),
        ("Sam Ode", "The ones from the bank."),
        ("Maria Lopez", "Okay."),
    ]
    assert raw.turns[0].start == 1.0
    assert raw.turns[0].end == 4.5
    assert [t.line for t in raw.turns] == [3, 11, 15, 19]


@pytest.mark.parametrize(
    ("first", "joined"),
    [
        ("I was thinking", True),
        ("I was thinking,", True),
        ("I was thinking.", False),
        ("Was I thinking?", False),
        ("I was thinking!", False),
        ("I was thinking…", False),
        ('He said "stop."', False),
        ("She said “fine.”", False),
    ],
)
def test_vtt_joining_rule(tmp_path: Path, first: str, joined: bool) -> None:
    body = "WEBVTT\n\n" + "\n".join(
        [cue(1, f"<v Ana>{first}</v>"), cue(3, "<v Ana>about it.</v>"), cue(5, "<v Ben>Ok.")]
    )
    raw = vtt(tmp_path, body)
    if joined:
        assert pairs(raw) == [("Ana", f"{first} about it."), ("Ben", "Ok.")]
        assert (raw.turns[0].start, raw.turns[0].end) == (1.0, 4.5)
    else:
        assert pairs(raw) == [("Ana", first), ("Ana", "about it."), ("Ben", "Ok.")]


def test_vtt_does_not_join_different_speakers(tmp_path: Path) -> None:
    body = "WEBVTT\n\n" + "\n".join([cue(1, "<v Ana>So you"), cue(3, "<v Ben>mean the bus")])
    assert pairs(vtt(tmp_path, body)) == [("Ana", "So you"), ("Ben", "mean the bus")]


def test_vtt_strips_tags_and_entities(tmp_path: Path) -> None:
    body = "WEBVTT\n\n" + cue(
        1, "<v Ana><c.yellow>Fish</c> &amp; <i>chips</i> <00:00:01.500>again &lt;3.</v>"
    )
    assert pairs(vtt(tmp_path, body)) == [("Ana", "Fish & chips again <3.")]


def test_vtt_role_labels(tmp_path: Path) -> None:
    body = "WEBVTT\n\n" + cue(1, "<v Therapist>Hello.</v>") + "\n" + cue(3, "Client: Hi.")
    raw = vtt(tmp_path, body)
    assert [(t.speaker, t.role) for t in raw.turns] == [
        ("Therapist", "therapist"),
        ("Client", "client"),
    ]


def test_vtt_cues_before_the_first_speaker_are_skipped(tmp_path: Path) -> None:
    body = "WEBVTT\n\n" + cue(1, "[music]") + "\n" + cue(3, "Ana: Welcome.")
    assert pairs(vtt(tmp_path, body)) == [("Ana", "Welcome.")]


def test_vtt_two_prefixed_speakers_in_one_cue(tmp_path: Path) -> None:
    body = "WEBVTT\n\n" + cue(1, "Ana: Ready?\nBen: Yes.")
    assert pairs(vtt(tmp_path, body)) == [("Ana", "Ready?"), ("Ben", "Yes.")]


def test_vtt_without_speakers(tmp_path: Path) -> None:
    body = "WEBVTT\n\n" + cue(1, "We talked about the garden.") + "\n" + cue(3, "And rain.")
    with pytest.raises(NoSpeakersError) as info:
        vtt(tmp_path, body)
    assert info.value.code == "E112"
    assert "garden" not in str(info.value)


@pytest.mark.parametrize(
    "body",
    [
        "00:00:01.000 --> 00:00:02.000\nAna: Hi.\n",
        "Just some notes about the garden.\nAna: hi\n",
    ],
)
def test_vtt_without_header_is_a_parse_error(tmp_path: Path, body: str) -> None:
    with pytest.raises(ParseError) as info:
        vtt(tmp_path, body)
    assert info.value.code == "E110"
    assert info.value.line == 1
    assert "garden" not in str(info.value)


def test_vtt_without_cues_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError):
        vtt(tmp_path, "WEBVTT\n\nNOTE nothing here\n")


# --- SRT -------------------------------------------------------------------------------

SRT = (
    "1\n"
    "00:00:01,000 --> 00:00:02,500\n"
    "T: How did the week go?\n"
    "\n"
    "2\n"
    "00:00:03,000 --> 00:00:04,000\n"
    "C: <i>Better</i>, I think,\n"
    "\n"
    "3\n"
    "00:00:04,000 --> 00:00:06,000\n"
    "mostly.\n"
    "\n"
    "4\n"
    "00:00:06,500 --> 00:00:07,000\n"
    "T: Good.\n"
    "\n"
    "\n"
)


def test_srt_typical_export(tmp_path: Path) -> None:
    raw = srt_file(tmp_path, SRT, "s-02.srt")
    assert raw.session_id == "s-02"
    assert pairs(raw) == [
        ("T", "How did the week go?"),
        ("C", "Better, I think, mostly."),
        ("T", "Good."),
    ]
    assert [(t.start, t.end) for t in raw.turns] == [(1.0, 2.5), (3.0, 6.0), (6.5, 7.0)]
    assert [t.role for t in raw.turns] == ["therapist", "client", "therapist"]
    assert [t.line for t in raw.turns] == [1, 5, 13]


def test_srt_crlf_and_no_trailing_blank_line(tmp_path: Path) -> None:
    raw = srt_file(tmp_path, SRT.strip().replace("\n", "\r\n").encode())
    assert len(raw.turns) == 3


def test_srt_voice_tags(tmp_path: Path) -> None:
    body = "1\n00:00:01,000 --> 00:00:02,000\n<v Ana>Hi.</v>\n"
    assert pairs(srt_file(tmp_path, body)) == [("Ana", "Hi.")]


def test_srt_without_speakers(tmp_path: Path) -> None:
    with pytest.raises(NoSpeakersError) as info:
        srt_file(tmp_path, "1\n00:00:01,000 --> 00:00:02,000\nHello there.\n")
    assert info.value.code == "E112"


def test_srt_malformed_first_cue_reports_its_line(tmp_path: Path) -> None:
    body = "\n\n1\nthe garden, not a timing line\nT: Hi.\n\n" + SRT
    with pytest.raises(ParseError) as info:
        srt_file(tmp_path, body)
    assert info.value.code == "E110"
    assert info.value.line == 3
    assert "garden" not in str(info.value)


def test_srt_webvtt_file_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as info:
        srt_file(tmp_path, TEAMS)
    assert info.value.line == 1


def test_srt_plain_text_is_a_parse_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as info:
        srt_file(tmp_path, "Ana: We spoke about the garden.\n")
    assert info.value.line == 1
    assert "garden" not in str(info.value)


# --- properties --------------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".vtt", ".srt"]))
def test_random_bytes_give_transcripts_or_input_errors(
    data: bytes, suffix: str, text_dir: Path, text_check_private: Check
) -> None:
    path = text_dir / f"random{suffix}"
    path.write_bytes(data)
    reader = read_vtt if suffix == ".vtt" else read_srt
    try:
        result = reader(path, ReadOptions())
    except InputError as error:
        text_check_private(error, data.decode("utf-8", errors="ignore"))
    else:
        assert all(isinstance(raw, RawTranscript) for raw in result)


_PIECES = st.sampled_from(
    [
        "WEBVTT\n",
        "\n",
        "1\n",
        "00:00:01.000 --> 00:00:02.000\n",
        "00:00:01,000 --> 00:00:02,000\n",
        "99:99:99.999 --> 1:2:3.4\n",
        "<v Ana>",
        "</v>",
        "<v ",
        "<i>",
        "Ana: ",
        "&amp;",
        "zyxwvu",
        "qponml",
        "NOTE ",
        "STYLE\n",
        "-->",
    ]
)


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=30), suffix=st.sampled_from([".vtt", ".srt"]))
def test_cue_like_noise_gives_transcripts_or_input_errors(
    pieces: list[str], suffix: str, text_dir: Path, text_check_private: Check
) -> None:
    path = text_dir / f"noise{suffix}"
    path.write_text("".join(pieces), encoding="utf-8")
    reader = read_vtt if suffix == ".vtt" else read_srt
    try:
        result = reader(path, ReadOptions())
    except InputError as error:
        text_check_private(error, "zyxwvu qponml")
    else:
        assert all(t.speaker and t.text for raw in result for t in raw.turns)


NAMES = ["Maria", "Dr. Okafor", "Speaker 1", "Sam Lee", "T", "Client", "Jo"]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéñ", min_size=1, max_size=8)


@st.composite
def transcripts(draw: st.DrawFn) -> list[tuple[str, list[str]]]:
    """Turns whose prefix names pass the guard (non-role names used at least twice)."""
    turns = draw(
        st.lists(
            st.tuples(st.sampled_from(NAMES), st.lists(WORDS, min_size=1, max_size=8)),
            min_size=1,
            max_size=10,
        )
    )
    if len(turns) > 3:
        for name in {n for n, _ in turns}:
            if role_from_label(name) is None and sum(n == name for n, _ in turns) < 2:
                turns.append((name, ["once", "more"]))
    return turns


def _stamp(ms: int, sep: str) -> str:
    s, ms = divmod(ms, 1000)
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}{sep}{ms:03d}"


def _cues(
    turns: list[tuple[str, list[str]]], voiced: set[str], splits: list[bool]
) -> list[tuple[str, str]]:
    """(speaker-labelled first cue text, unlabelled second cue text or '') for each turn."""
    rendered = []
    for (name, words), split in zip(turns, splits, strict=True):
        head, tail = (words[:-1], words[-1:]) if split and len(words) > 1 else (words, [])
        first = " ".join(head) + ("" if tail else ".")
        label = f"<v {name}>{first}</v>" if name in voiced else f"{name}: {first}"
        rendered.append((label, f"{' '.join(tail)}." if tail else ""))
    return rendered


def _render(cues: list[tuple[str, str]], vtt_format: bool) -> str:
    blocks = []
    texts = [text for pair in cues for text in pair if text]
    for i, text in enumerate(texts, start=1):
        sep = "." if vtt_format else ","
        timing = f"{_stamp(i * 2000, sep)} --> {_stamp(i * 2000 + 1500, sep)}"
        blocks.append(f"{i}\n{timing}\n{text}\n")
    return ("WEBVTT\n\n" if vtt_format else "") + "\n".join(blocks)


@settings(max_examples=100, deadline=None)
@given(
    turns=transcripts(),
    voiced=st.sets(st.sampled_from(NAMES)),
    data=st.data(),
    vtt_format=st.booleans(),
)
def test_rendered_cues_parse_back(
    turns: list[tuple[str, list[str]]],
    voiced: set[str],
    data: st.DataObject,
    vtt_format: bool,
    text_dir: Path,
) -> None:
    splits = data.draw(st.lists(st.booleans(), min_size=len(turns), max_size=len(turns)))
    if not vtt_format:
        voiced = set()
    path = text_dir / ("roundtrip.vtt" if vtt_format else "roundtrip.srt")
    path.write_text(_render(_cues(turns, voiced, splits), vtt_format), encoding="utf-8")
    [raw] = (read_vtt if vtt_format else read_srt)(path, ReadOptions())
    assert pairs(raw) == [(name, " ".join(words) + ".") for name, words in turns]


def test_srt_a_long_number_is_refused_at_its_line(tmp_path: Path) -> None:
    """The srt library backtracks over long digit runs (5,000 digits took it 20 s)."""
    body = "1\n00:00:01,000 --> 00:00:02,000\nT: Hi.\n\n" + "9" * 5_000 + "\n"
    with pytest.raises(ParseError) as info:
        srt_file(tmp_path, body)
    assert info.value.line == 5 and "20 digits" in info.value.message
