"""Tests for the CSV/TSV reader (all transcripts here are made up for the tests)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgewise.errors import (
    EmptyFileError,
    InputError,
    MissingColumnError,
    NoSpeakersError,
    ParseError,
    UsageError,
)
from edgewise.readers.base import RawTranscript, ReadOptions
from edgewise.readers.csvfmt import parse_timestamp, read_csv, sniff_delimiter

ANNOMI = Path(__file__).parents[2] / ".." / "shared" / "datasets" / "annomi" / "annomi-simple.csv"
SECRET = "my neighbour's parrot knows"


def write(tmp_path: Path, text: str, name: str = "talk.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(path: Path, **columns: str) -> list[RawTranscript]:
    return read_csv(path, ReadOptions(columns=columns))


# --- basics -------------------------------------------------------------------------------


def test_one_session_named_after_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "speaker,text\nAnn,How was the week?\nBen,Busy but fine.\n")
    [raw] = read(path)
    assert raw.session_id == "talk"
    assert raw.source == str(path)
    assert raw.date is None
    assert [(t.speaker, t.text, t.line) for t in raw.turns] == [
        ("Ann", "How was the week?", 2),
        ("Ben", "Busy but fine.", 3),
    ]
    assert all(t.role is None and t.source_id is None for t in raw.turns)


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed_from_the_header(tmp_path: Path, delimiter: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(
        [["speaker", "text"], ["Ann", "Hello,\tthere; friend"]]
    )
    [raw] = read(write(tmp_path, buffer.getvalue()))
    assert raw.turns[0].text == "Hello,\tthere; friend"


def test_tsv_extension_means_tab(tmp_path: Path) -> None:
    # One tab and one comma in the header: sniffing would pick the comma.
    path = write(tmp_path, "speaker\ttext, as said\nAnn\tHi, all\n", name="talk.tsv")
    [raw] = read(path, text="text, as said")
    assert raw.turns[0].text == "Hi, all"


def test_sniffing() -> None:
    assert sniff_delimiter("a;b;c\n1,2,3") == ";"
    assert sniff_delimiter("a\tb\n") == "\t"
    assert sniff_delimiter('"x;y",b\n') == ","
    assert sniff_delimiter("single\n") == ","


def test_headers_match_case_insensitively_and_extra_columns_are_ignored(tmp_path: Path) -> None:
    body = "Mood,SPEAKER,Utterance_Text,notes\nok,Ann,Shall we begin?,x\n"
    [raw] = read(write(tmp_path, body))
    assert (raw.turns[0].speaker, raw.turns[0].text) == ("Ann", "Shall we begin?")


def test_mapped_columns(tmp_path: Path) -> None:
    body = "who,said,when\nAnn,Welcome back.,00:00:03\n"
    [raw] = read(write(tmp_path, body), speaker="who", text="Said", start="when")
    assert (raw.turns[0].speaker, raw.turns[0].text, raw.turns[0].start) == (
        "Ann",
        "Welcome back.",
        3.0,
    )


def test_mapped_column_missing_names_the_header(tmp_path: Path) -> None:
    path = write(tmp_path, f"speaker,text\nAnn,{SECRET}\n")
    with pytest.raises(MissingColumnError) as info:
        read(path, text="words")
    assert info.value.line == 1
    assert info.value.path == str(path)
    assert "'words'" in str(info.value)
    assert SECRET not in str(info.value)


def test_unknown_column_option(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        read(write(tmp_path, "speaker,text\nAnn,Hi\n"), colour="speaker")


def test_no_text_column(tmp_path: Path) -> None:
    with pytest.raises(MissingColumnError, match="no text column .*rename its header") as info:
        read(write(tmp_path, "speaker,words\nAnn,Hi\n"))
    assert info.value.line == 1
    assert info.value.code == "E111"
    assert "--" not in info.value.message  # no option offered: none named


def test_no_text_column_names_the_option_where_offered(tmp_path: Path) -> None:
    offered = ReadOptions(offered=frozenset({"--text-col", "--speaker-col"}))
    with pytest.raises(MissingColumnError, match="pass --text-col COLUMN, or rename") as info:
        read_csv(write(tmp_path, "speaker,words\nAnn,Hi\n"), offered)
    assert info.value.code == "E111"


def test_no_speaker_column_names_only_the_options_offered(tmp_path: Path) -> None:
    path = write(tmp_path, "when,text\n1,Hi\n")
    with pytest.raises(NoSpeakersError) as info:
        read_csv(path, ReadOptions(offered=frozenset({"--speaker-col"})))
    assert "pass --speaker-col COLUMN, or rename" in info.value.message
    assert "--role-col" not in info.value.message
    with pytest.raises(NoSpeakersError) as info:
        read_csv(path, ReadOptions(offered=frozenset({"--speaker-col", "--role-col"})))
    assert "pass --speaker-col COLUMN or --role-col COLUMN, or rename" in info.value.message


def test_no_speaker_or_role_column(tmp_path: Path) -> None:
    with pytest.raises(NoSpeakersError) as info:
        read(write(tmp_path, "when,text\n1,Hi\n"))
    assert info.value.line == 1


# --- sessions, roles, ids, dates ----------------------------------------------------------


def test_rows_group_into_sessions_in_first_appearance_order(tmp_path: Path) -> None:
    body = (
        "session_id,id,speaker,text\n"
        "s2,1,Ann,First of s2.\n"
        "s1,1,Cat,First of s1.\n"
        "s2,2,Ben,Second of s2.\n"
        "s1,2,Dev,Second of s1.\n"
    )
    raws = read(write(tmp_path, body))
    assert [r.session_id for r in raws] == ["s2", "s1"]
    assert [t.text for t in raws[0].turns] == ["First of s2.", "Second of s2."]
    assert [(t.source_id, t.line) for t in raws[1].turns] == [("1", 3), ("2", 5)]


def test_empty_session_id_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as info:
        read(write(tmp_path, "session,speaker,text\na,Ann,Hi\n,Ben,Hello\n"))
    assert info.value.line == 3


def test_role_labels_in_the_speaker_column_set_roles(tmp_path: Path) -> None:
    body = "interlocutor,text\ntherapist,What brings you here?\nclient,My sister.\n"
    [raw] = read(write(tmp_path, body))
    assert [t.role for t in raw.turns] == ["therapist", "client"]
    assert [t.speaker for t in raw.turns] == ["therapist", "client"]


def test_names_in_the_speaker_column_leave_roles_open(tmp_path: Path) -> None:
    [raw] = read(write(tmp_path, "speaker,text\nAnn,Hi\nClient,Hello\n"))
    assert [t.role for t in raw.turns] == [None, None]


def test_role_column(tmp_path: Path) -> None:
    body = "name,role,text\nAnn,Counselor,Hi\nBen,client,Hello\nAnn,,Anything else?\n"
    [raw] = read(write(tmp_path, body))
    assert [t.role for t in raw.turns] == ["therapist", "client", None]


def test_role_column_without_speakers(tmp_path: Path) -> None:
    [raw] = read(write(tmp_path, "role,text\nT,Hi\nC,Hello\n"))
    assert [(t.speaker, t.role) for t in raw.turns] == [(None, "therapist"), (None, "client")]


def test_unknown_role_value(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as info:
        read(write(tmp_path, f"role,text\nT,Hi\n{SECRET},Hello\n"))
    assert info.value.line == 3
    assert SECRET not in str(info.value)


def test_date_column(tmp_path: Path) -> None:
    body = "session,date,speaker,text\na,,Ann,Hi\na,2024-02-29,Ann,Hi\nb,,Ben,Hello\n"
    raws = read(write(tmp_path, body))
    assert [r.date for r in raws] == [dt.date(2024, 2, 29), None]


def test_bad_date(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as info:
        read(write(tmp_path, "date,speaker,text\n29/02/2024,Ann,Hi\n"))
    assert info.value.line == 2


# --- times ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("12.5", 12.5),
        ("7", 7.0),
        ("00:01:02", 62.0),
        ("1:02", 62.0),
        ("00:01:02.500", 62.5),
        ("01:00:00,25", 3600.25),
        ("00:09:025", 565.0),  # a stray leading zero, as in one AnnoMI row
    ],
)
def test_timestamps(value: str, seconds: float) -> None:
    assert parse_timestamp(value) == pytest.approx(seconds)


@pytest.mark.parametrize("value", ["soon", "-3", "nan", "inf", "1e3", "00:61:00", "1:60", "1::2"])
def test_unreadable_timestamps(value: str) -> None:
    assert parse_timestamp(value) is None


def test_start_and_end(tmp_path: Path) -> None:
    [raw] = read(write(tmp_path, "speaker,start_time,end_time,text\nAnn,1.5,00:00:04,Hi\n"))
    assert (raw.turns[0].start, raw.turns[0].end) == (1.5, 4.0)


def test_bad_time_reports_the_file_line_after_a_multiline_cell(tmp_path: Path) -> None:
    body = (
        "speaker,start,text\n"
        'Ann,1,"Two lines,\nof talk"\n'  # lines 2-3
        f"Ben,{SECRET},Hello\n"  # line 4
    )
    with pytest.raises(ParseError) as info:
        read(write(tmp_path, body))
    assert info.value.line == 4
    assert SECRET not in str(info.value)


# --- rows -------------------------------------------------------------------------------------


def test_empty_text_and_blank_rows_are_skipped(tmp_path: Path) -> None:
    [raw] = read(write(tmp_path, "speaker,text\nAnn,Hi\n\nBen,   \n,\nBen,Hello\n"))
    assert [(t.speaker, t.line) for t in raw.turns] == [("Ann", 2), ("Ben", 6)]


def test_cells_are_stripped_and_multiline_text_kept(tmp_path: Path) -> None:
    [raw] = read(write(tmp_path, 'speaker,text\n Ann ," one\ntwo "\n'))
    assert (raw.turns[0].speaker, raw.turns[0].text) == ("Ann", "one\ntwo")


def test_wrong_number_of_cells(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="3 cells; the header has 2") as info:
        read(write(tmp_path, f"speaker,text\nAnn,Hi\nBen,{SECRET},extra\n"))
    assert info.value.line == 3
    assert SECRET not in str(info.value)


def test_unclosed_quote(tmp_path: Path) -> None:
    with pytest.raises(ParseError) as info:
        read(write(tmp_path, 'speaker,text\n"Ann,Hi\nBen,Hello\n'))
    assert info.value.line == 2


def test_csv_error_becomes_parse_error(tmp_path: Path) -> None:
    huge = "word " * 30_000
    with pytest.raises(ParseError, match="not valid CSV") as info:
        read(write(tmp_path, f'speaker,text\nAnn,Hi\nBen,"{huge}\n'))
    assert info.value.line == 3
    assert "word" not in str(info.value)


@pytest.mark.parametrize("body", ["speaker,text\n", "speaker,text\n\n,\n", "speaker,text\nAnn,\n"])
def test_no_rows_with_text(tmp_path: Path, body: str) -> None:
    with pytest.raises(EmptyFileError):
        read(write(tmp_path, body))


def test_blank_header(tmp_path: Path) -> None:
    with pytest.raises(EmptyFileError):
        read(write(tmp_path, ",,\nAnn,Hi,x\n"))


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(EmptyFileError):
        read(write(tmp_path, ""))


def test_bom_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes("\ufeffspeaker,text\r\nAnn,Hi\r\n".encode())
    [raw] = read(path)
    assert raw.turns[0].speaker == "Ann"


# --- properties ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def csv_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every example a property test writes (module scope suits hypothesis)."""
    return tmp_path_factory.mktemp("csv_dir")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=400))
def test_random_bytes_give_transcripts_or_input_errors(csv_dir: Path, data: bytes) -> None:
    path = csv_dir / "random.csv"
    path.write_bytes(data)
    try:
        read_csv(path, ReadOptions())
    except InputError:
        pass


_cells = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)


@settings(max_examples=150, deadline=None)
@given(
    header=st.lists(st.sampled_from(["speaker", "text", "start", "role", "id", "x"]), max_size=5),
    rows=st.lists(st.lists(_cells, max_size=6), max_size=6),
)
def test_random_tables_give_transcripts_or_input_errors(
    csv_dir: Path, header: list[str], rows: list[list[str]]
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    path = csv_dir / "random.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    try:
        read_csv(path, ReadOptions())
    except InputError:
        pass


def _clean(text: str) -> bool:
    return bool(text) and text == text.strip()


_words = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n"), min_size=1
).filter(_clean)


@settings(max_examples=100, deadline=None)
@given(
    turns=st.lists(st.tuples(_words, _words), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_well_formed_tables_read_back(
    csv_dir: Path, turns: list[tuple[str, str]], delimiter: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerows([["speaker", "text"], *turns])
    path = csv_dir / "well.csv"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    [raw] = read_csv(path, ReadOptions())
    assert [(t.speaker, t.text) for t in raw.turns] == turns


# --- AnnoMI ---------------------------------------------------------------------------------


def test_annomi() -> None:
    if not ANNOMI.is_file():
        pytest.skip("AnnoMI not available (../shared)")
    raws = read_csv(ANNOMI, ReadOptions())
    assert len(raws) == 106
    assert sum(len(r.turns) for r in raws) == 7646
    assert {t.role for r in raws for t in r.turns} == {"therapist", "client"}
    assert all(t.source_id is not None and t.start is not None for r in raws for t in r.turns)


@pytest.mark.parametrize("value", ["9" * 400, "9" * 5_000 + ":00", "1" * 40])
def test_a_time_too_large_for_a_float_is_unreadable(value: str) -> None:
    """Never an infinite time (JSON cannot write one), never a 5,000-digit int() call."""
    assert parse_timestamp(value) is None
