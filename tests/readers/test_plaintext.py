"""Plain-text transcripts: speaker prefixes, role labels, timestamps, Otter headers, guards."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgewise.errors import EmptyFileError, InputError, NoSpeakersError
from edgewise.readers.base import RawTranscript, ReadOptions
from edgewise.readers.plaintext import (
    accepted_names,
    is_speaker_name,
    parse_lines,
    parse_timestamp,
    read_text,
    split_prefix,
)
from edgewise.readers.roles import role_from_label

Check = Callable[[InputError, str], None]


def parse(text: str) -> RawTranscript:
    return parse_lines(text.split("\n"), "mem.txt", "mem")


def pairs(raw: RawTranscript) -> list[tuple[str | None, str]]:
    return [(t.speaker, t.text) for t in raw.turns]


# --- speaker names and role labels -------------------------------------------------------


def test_name_prefixes_with_any_names() -> None:
    raw = parse(
        "Maria: Shall we start with the week you had?\n"
        "Dr. Okafor: It was long, mostly about the garden.\n"
        "Speaker 1: I see.\n"
        "Maria: Tell me more.\n"
        "Dr. Okafor: The tomatoes failed again.\n"
        "Speaker 1: Noted."
    )
    assert [t.speaker for t in raw.turns] == [
        "Maria",
        "Dr. Okafor",
        "Speaker 1",
        "Maria",
        "Dr. Okafor",
        "Speaker 1",
    ]
    assert raw.turns[1].text == "It was long, mostly about the garden."
    assert all(t.role is None for t in raw.turns)


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("T", "therapist"),
        ("C", "client"),
        ("t", "therapist"),
        ("c", "client"),
        ("Therapist", "therapist"),
        ("CLIENT", "client"),
        ("Counselor", "therapist"),
        ("coach", "therapist"),
    ],
)
def test_role_labels_set_the_role_and_keep_the_label(label: str, role: str) -> None:
    raw = parse(f"{label}: How was the bike ride?\nAna: Windy.")
    assert raw.turns[0].speaker == label
    assert raw.turns[0].role == role
    assert raw.turns[1].role is None


def test_role_labels_are_speakers_even_once_among_many_turns() -> None:
    lines = [f"Ana: line {i}" if i % 2 else f"Ben: line {i}" for i in range(10)]
    raw = parse("\n".join([*lines, "Coach: one remark from the coach."]))
    assert raw.turns[-1].speaker == "Coach"
    assert raw.turns[-1].role == "therapist"


# --- timestamps --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("[00:01:02] Maria: We could try that.", 62.0),
        ("00:01:02 Maria: We could try that.", 62.0),
        ("1:02 Maria: We could try that.", 62.0),
        ("(00:01:02) Maria: We could try that.", 62.0),
        ("Maria [00:01:02]: We could try that.", 62.0),
        ("Maria (1:02:03): We could try that.", 3723.0),
        ("[01:02.5] Maria: We could try that.", 62.5),
        ("[00:01:02,250] Maria: We could try that.", 62.25),
        ("00:01:02 - Maria: We could try that.", 62.0),
    ],
)
def test_timestamp_styles(line: str, start: float) -> None:
    raw = parse(f"{line}\nT: Fine.")
    first = raw.turns[0]
    assert (first.speaker, first.text, first.start, first.end) == (
        "Maria",
        "We could try that.",
        start,
        None,
    )
    assert raw.turns[1].start is None


def test_timestamp_on_its_own_line_starts_the_next_turn() -> None:
    raw = parse("[00:00:05]\nT: Hello.\nC: Hi.")
    assert [t.start for t in raw.turns] == [5.0, None]


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("1:02", 62.0), ("00:01:02", 62.0), ("[01:02.5]", 62.5), ("(1:00:00)", 3600.0)],
)
def test_parse_timestamp(value: str, seconds: float) -> None:
    assert parse_timestamp(value) == seconds


@pytest.mark.parametrize("value", ["", "12", "ab:cd", "1:2", "1:02 later"])
def test_parse_timestamp_refuses_non_times(value: str) -> None:
    with pytest.raises(ValueError):
        parse_timestamp(value)


# --- Otter / Zoom export style -----------------------------------------------------------


def test_otter_header_lines_open_turns() -> None:
    raw = parse(
        "Speaker 1  0:03\n"
        "So how has the week been?\n"
        "\n"
        "Maria Lopez  00:01:05\n"
        "Busy. The move is done.\n"
        "Boxes everywhere, though.\n"
        "\n"
        "Speaker 1  1:10\n"
        "That sounds like a lot.\n"
        "Maria Lopez  1:20\n"
        "It was."
    )
    assert pairs(raw) == [
        ("Speaker 1", "So how has the week been?"),
        ("Maria Lopez", "Busy. The move is done. Boxes everywhere, though."),
        ("Speaker 1", "That sounds like a lot."),
        ("Maria Lopez", "It was."),
    ]
    assert [t.start for t in raw.turns] == [3.0, 65.0, 70.0, 80.0]
    assert [t.line for t in raw.turns] == [1, 4, 8, 10]


def test_zoom_bracketed_header() -> None:
    raw = parse("[Ana Ruiz] 10:15:32\nGood morning.\n[Ben Ode] 10:15:40\nMorning.")
    assert pairs(raw) == [("Ana Ruiz", "Good morning."), ("Ben Ode", "Morning.")]


# --- continuation, titles, line numbers ----------------------------------------------------


def test_continuation_lines_join_the_previous_turn() -> None:
    raw = parse(
        "Session 3 — 12 March\n"
        "\n"
        "T: So the plan for the allotment\n"
        "   is still on?\n"
        "\n"
        "still on, after the break.\n"
        "C: Yes."
    )
    assert pairs(raw) == [
        ("T", "So the plan for the allotment is still on? still on, after the break."),
        ("C", "Yes."),
    ]
    assert [t.line for t in raw.turns] == [3, 7]


def test_label_without_text_takes_the_following_lines() -> None:
    raw = parse("T:\nWhat would help most?\nC: Sleep.")
    assert pairs(raw) == [("T", "What would help most?"), ("C", "Sleep.")]
    assert raw.turns[0].line == 1


def test_markdown_bold_names() -> None:
    raw = parse("**Ana:** Hello there.\n**Ben**: Hi.")
    assert pairs(raw) == [("Ana", "Hello there."), ("Ben", "Hi.")]


# --- false-speaker guard -----------------------------------------------------------------


def test_a_one_off_prefix_among_many_turns_is_text() -> None:
    lines = []
    for i in range(20):
        lines += [f"Ana: question {i}?", f"Ben: answer {i}."]
    lines.insert(5, "Note: the kettle was on this whole time.")
    raw = parse("\n".join(lines))
    assert len(raw.turns) == 40
    assert {t.speaker for t in raw.turns} == {"Ana", "Ben"}
    assert raw.turns[4].text == "question 2? Note: the kettle was on this whole time."


def test_few_prefixed_lines_accept_one_off_names() -> None:
    raw = parse("Ana: Hello.\nBen: Hi.\nNote: no more.")
    assert [t.speaker for t in raw.turns] == ["Ana", "Ben", "Note"]


@pytest.mark.parametrize(
    "line",
    [
        "Well, honestly: it was fine.",
        "Why? Because: reasons.",
        "I said that. Then: nothing.",
        "One two three four five: too many words.",
        "Go; stop: now.",
        "see https://example.org",
        "12 things: a list.",
    ],
)
def test_lines_that_are_not_speaker_prefixes(line: str) -> None:
    raw = parse(f"Ana: Start.\n{line}\nBen: End.")
    assert [t.speaker for t in raw.turns] == ["Ana", "Ben"]
    assert raw.turns[0].text == f"Start. {line}"


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("Maria", True),
        ("Dr. Okafor", True),
        ("Speaker 1", True),
        ("J. Smith", True),
        ("Mary-Jane O'Neill", True),
        ("José", True),
        ("A B C D", True),
        ("A B C D E", False),
        ("Yes. I", False),
        ("1 Speaker", False),
        ("x" * 41, False),
        ("", False),
        ("Hm, well", False),
    ],
)
def test_is_speaker_name(name: str, ok: bool) -> None:
    assert is_speaker_name(name) is ok


def test_split_prefix() -> None:
    assert split_prefix("Ana: hi") == ("Ana", "hi", None)
    assert split_prefix("just text") is None


def test_accepted_names() -> None:
    assert accepted_names(["Ana", "Ben", "Note"]) == {"Ana", "Ben", "Note"}
    assert accepted_names(["Ana", "Ana", "Ben", "Ben", "Note", "T"]) == {"Ana", "Ben", "T"}


# --- errors and files ----------------------------------------------------------------------


def test_no_speaker_labels_is_an_error_without_text() -> None:
    content = "We talked about the week and the move.\nNobody is labelled here."
    with pytest.raises(NoSpeakersError) as info:
        parse(content)
    assert info.value.code == "E112"
    assert info.value.line == 1
    assert info.value.path == "mem.txt"
    assert "week" not in str(info.value)


def test_labels_without_any_text_are_an_error() -> None:
    with pytest.raises(NoSpeakersError):
        parse("T:\nC:\n")


def test_read_text_file(tmp_path: Path) -> None:
    path = tmp_path / "session-01.txt"
    path.write_bytes(b"Title line\r\nT: How are you?\r\nC: Fine.\r\n")
    [raw] = read_text(path, ReadOptions())
    assert raw.session_id == "session-01"
    assert raw.source == str(path)
    assert pairs(raw) == [("T", "How are you?"), ("C", "Fine.")]
    assert [t.line for t in raw.turns] == [2, 3]


def test_read_text_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_text("  \n\n")
    with pytest.raises(EmptyFileError):
        read_text(path, ReadOptions())


# --- properties ----------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=400))
def test_random_bytes_give_transcripts_or_input_errors(
    data: bytes, text_dir: Path, text_check_private: Check
) -> None:
    path = text_dir / "random.txt"
    path.write_bytes(data)
    try:
        result = read_text(path, ReadOptions())
    except InputError as error:
        text_check_private(error, data.decode("utf-8", errors="ignore"))
    else:
        assert all(isinstance(raw, RawTranscript) for raw in result)


_NOISE = st.lists(
    st.sampled_from(list("Tab :[]()0123.,?!\n\t-*_") + ["Maria", "00:01", "  ", "Dr."]),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None)
@given(content=_NOISE)
def test_transcript_like_noise_gives_transcripts_or_input_errors(content: str) -> None:
    try:
        raw = parse(content)
    except InputError:
        return
    assert all(t.speaker and t.text for t in raw.turns)


NAMES = ["Maria", "Dr. Okafor", "Speaker 1", "Sam Lee", "T", "Client", "Jo"]
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéñ", min_size=1, max_size=8)


@st.composite
def transcripts(draw: st.DrawFn) -> list[tuple[str, str]]:
    """Turns whose names pass the guard: each non-role name is used twice when needed."""
    turns = draw(
        st.lists(
            st.tuples(st.sampled_from(NAMES), st.lists(WORDS, min_size=1, max_size=8)),
            min_size=1,
            max_size=12,
        )
    )
    result = [(name, " ".join(words)) for name, words in turns]
    if len(result) > 3:
        for name in {n for n, _ in result}:
            if role_from_label(name) is None and sum(n == name for n, _ in result) < 2:
                result.append((name, "once more"))
    return result


def _render(name: str, text: str, style: int, i: int) -> tuple[str, float | None]:
    stamp = f"00:{i // 60:02d}:{i % 60:02d}"
    words = text.split(" ")
    half = max(1, len(words) // 2)
    if style == 0:
        return f"{name}: {text}", None
    if style == 1:
        return f"[{stamp}] {name}: {text}", float(i)
    if style == 2:
        return f"{name} ({stamp}): {text}", float(i)
    if style == 3:
        return f"{name}  {stamp}\n{text}", float(i)
    rest = " ".join(words[half:])
    return f"{name}: {' '.join(words[:half])}\n\n{rest}".rstrip(), None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(turns=transcripts(), data=st.data())
def test_rendered_transcripts_parse_back(turns: list[tuple[str, str]], data: st.DataObject) -> None:
    styles = data.draw(st.lists(st.integers(0, 4), min_size=len(turns), max_size=len(turns)))
    rendered = [
        _render(n, t, s, i) for i, ((n, t), s) in enumerate(zip(turns, styles, strict=True))
    ]
    raw = parse("Title of the session\n" + "\n".join(line for line, _ in rendered))
    assert pairs(raw) == turns
    assert [t.start for t in raw.turns] == [start for _, start in rendered]
