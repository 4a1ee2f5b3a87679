"""Tests for edgewise's JSON format (all sessions here are made up for the tests)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from edgewise.domain import Session, Speaker, Utterance
from edgewise.errors import InputError, ParseError
from edgewise.readers.base import ReadOptions
from edgewise.readers.jsonfmt import FORMAT, VERSION, dump_json, load_json_text, read_json
from edgewise.readers.roles import RoleOptions, build_session

DOCS = Path(__file__).parents[2] / "docs" / "json-format.md"
SECRET = "the lighthouse keeper's recipe"


def utterance(index: int, speaker: str, role: str, text: str, **extra: Any) -> Utterance:
    return Utterance.model_validate(
        {"index": index, "speaker": speaker, "role": role, "text": text, **extra}
    )


SAMPLE = Session(
    id="s-1",
    date=dt.date(2024, 5, 1),
    source="s-1.txt",
    speakers=(
        Speaker(name="Ann", role="therapist", role_source="option", role_confidence=1.0),
        Speaker(name="Ben", role="client", role_source="inferred", role_confidence=0.9),
    ),
    utterances=(
        utterance(0, "Ann", "therapist", "What would you like to focus on?", start=0.0, end=2.5),
        utterance(1, "Ben", "client", "Sleeping better, mostly.", source_id="u2", start=3.0),
    ),
)


def document(*sessions: Any, **top: Any) -> dict[str, Any]:
    return {"format": FORMAT, "version": VERSION, "sessions": list(sessions), **top}


def sample_dict() -> dict[str, Any]:
    data: dict[str, Any] = SAMPLE.model_dump(mode="json")
    return data


def load(data: Any) -> list[Session]:
    return load_json_text(json.dumps(data), "s.json")


# --- reading and writing ------------------------------------------------------------------


def test_dump_and_load_round_trip() -> None:
    text = dump_json([SAMPLE, SAMPLE.model_copy(update={"id": "s-2"})])
    data = json.loads(text)
    assert (data["format"], data["version"]) == ("edgewise.session", 1)
    assert load_json_text(text, "s.json") == [SAMPLE, SAMPLE.model_copy(update={"id": "s-2"})]


def test_a_bare_session_is_accepted() -> None:
    assert load(sample_dict()) == [SAMPLE]


def test_read_json_gives_raw_transcripts(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(dump_json([SAMPLE]), encoding="utf-8")
    [raw] = read_json(path, ReadOptions())
    assert (raw.session_id, raw.date, raw.source) == ("s-1", dt.date(2024, 5, 1), str(path))
    first, second = raw.turns
    assert (first.speaker, first.role, first.text, first.line) == (
        "Ann",
        "therapist",
        "What would you like to focus on?",
        1,
    )
    assert (first.start, first.end, first.source_id) == (0.0, 2.5, None)
    assert (second.source_id, second.start, second.end, second.line) == ("u2", 3.0, None, 2)


def test_roles_survive_the_pipeline(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(dump_json([SAMPLE]), encoding="utf-8")
    session = build_session(read_json(path, ReadOptions())[0], RoleOptions())
    assert [(s.name, s.role, s.role_source) for s in session.speakers] == [
        ("Ann", "therapist", "label"),
        ("Ben", "client", "label"),
    ]
    assert [u.text for u in session.utterances] == [u.text for u in SAMPLE.utterances]


def test_the_documented_example_is_valid() -> None:
    blocks = re.findall(r"```json\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    example = next(b for b in blocks if '"utterances"' in b)
    [session] = load_json_text(example, "example.json")
    assert session.id == "demo-01"
    assert len(session.utterances) == 3


# --- errors ---------------------------------------------------------------------------------


def test_invalid_json_reports_the_line() -> None:
    with pytest.raises(ParseError, match="invalid JSON") as info:
        load_json_text('{\n  "format": "edgewise.session",\n  "version": 1\n  "x": 2\n}', "s.json")
    assert info.value.line == 4
    assert info.value.path == "s.json"


def test_schema_error_names_the_path_and_not_the_value() -> None:
    data = sample_dict()
    data["utterances"][1]["role"] = SECRET
    with pytest.raises(ParseError) as info:
        load(document(sample_dict(), data))
    assert info.value.message == (
        "sessions[1].utterances[1].role: Input should be 'therapist', 'client' or 'other'"
    )
    assert SECRET not in str(info.value)


def test_schema_error_in_a_bare_session() -> None:
    data = sample_dict()
    del data["utterances"][0]["text"]
    with pytest.raises(ParseError, match=r"utterances\[0\]\.text: Field required"):
        load(data)


def test_several_schema_errors_are_counted() -> None:
    data = sample_dict()
    data["utterances"][0]["index"] = -1
    data["date"] = "someday"
    with pytest.raises(ParseError, match=r"\(and 1 more\)"):
        load(document(data))


def test_unknown_fields_are_named_only_when_they_look_like_names() -> None:
    data = sample_dict()
    data["utterances"][0]["mood"] = "calm"
    with pytest.raises(ParseError, match=r"sessions\[0\]\.utterances\[0\]\.mood: Extra inputs"):
        load(document(data))
    data = sample_dict()
    data["speakers"][0][SECRET] = 1
    with pytest.raises(ParseError) as info:
        load(document(data))
    assert "sessions[0].speakers[0].<field>" in str(info.value)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (document(format="otter.session"), 'format" must be'),
        ({"version": 1, "sessions": []}, 'format" must be'),
        (document(version=2), "unsupported version 2"),
        (document(version="1"), "unsupported version;"),
        (document(version=True), "unsupported version;"),
        (document(), "no sessions"),
        (document(notes=SECRET), "notes: unknown top-level field"),
        ({"format": FORMAT, "version": 1, "sessions": {}}, "must be a list"),
        ([SECRET], "top level must be a JSON object"),
        (SECRET, "top level must be a JSON object"),
    ],
)
def test_bad_documents(data: Any, message: str) -> None:
    with pytest.raises(ParseError, match=re.escape(message)) as info:
        load(data)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(constant: str) -> None:
    text = dump_json([SAMPLE]).replace('"start": 3.0', f'"start": {constant}')
    assert constant in text
    with pytest.raises(ParseError, match="invalid JSON"):
        load_json_text(text, "s.json")


def test_unpaired_surrogates_are_refused() -> None:
    text = dump_json([SAMPLE]).replace("mostly", "\\ud800")
    with pytest.raises(ParseError, match="surrogate"):
        load_json_text(text, "s.json")
    paired = dump_json([SAMPLE]).replace("mostly", "\\ud83d\\ude00")
    [session] = load_json_text(paired, "s.json")
    assert "\U0001f600" in session.utterances[1].text


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(ParseError):
        load_json_text("[" * 100_000 + "]" * 100_000, "s.json")


def test_huge_integers_are_refused() -> None:
    with pytest.raises(ParseError):
        load_json_text('{"id": "x", "date": null, "speakers": [], "x": ' + "9" * 5000 + "}", "s")


def test_dump_refuses_non_finite_times() -> None:
    bad = SAMPLE.model_copy(
        update={"utterances": (utterance(0, "Ann", "therapist", "Hi", start=float("inf")),)}
    )
    with pytest.raises(ValueError):
        dump_json([bad])


def test_read_json_refuses_empty_and_binary_files(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b"")
    with pytest.raises(InputError):
        read_json(path, ReadOptions())
    path.write_bytes(b"\x00\x01\x02" * 20)
    with pytest.raises(InputError):
        read_json(path, ReadOptions())


# --- properties ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def json_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for every example a property test writes (module scope suits hypothesis)."""
    return tmp_path_factory.mktemp("json_dir")


_times = st.none() | st.floats(min_value=0, allow_nan=False, allow_infinity=False)
_roles = st.sampled_from(["therapist", "client", "other"])

_utterances = st.builds(
    Utterance,
    index=st.integers(min_value=0, max_value=10**9),
    source_id=st.none() | st.text(max_size=8),
    role=_roles,
    speaker=st.text(max_size=8),
    text=st.text(max_size=40),
    start=_times,
    end=_times,
)
_speakers = st.builds(
    Speaker,
    name=st.text(max_size=8),
    role=_roles,
    role_source=st.sampled_from(["label", "option", "inferred"]),
    role_confidence=st.floats(min_value=0, max_value=1),
    utterances=st.integers(min_value=0, max_value=10**6),
)
_sessions = st.builds(
    Session,
    id=st.text(max_size=10),
    date=st.none() | st.dates(),
    source=st.none() | st.text(max_size=10),
    speakers=st.lists(_speakers, max_size=3).map(tuple),
    utterances=st.lists(_utterances, max_size=5).map(tuple),
)


@settings(max_examples=150, deadline=None)
@given(sessions=st.lists(_sessions, min_size=1, max_size=3))
def test_round_trip_is_lossless(sessions: list[Session]) -> None:
    assert load_json_text(dump_json(sessions), "x.json") == sessions


@settings(max_examples=50, deadline=None)
@given(sessions=st.lists(_sessions, min_size=1, max_size=2))
def test_files_read_back_with_the_same_speakers_and_texts(
    json_dir: Path, sessions: list[Session]
) -> None:
    path = json_dir / "s.json"
    path.write_text(dump_json(sessions), encoding="utf-8")
    raws = read_json(path, ReadOptions())
    assert [[(t.speaker, t.role, t.text) for t in r.turns] for r in raws] == [
        [(u.speaker, u.role, u.text) for u in s.utterances] for s in sessions
    ]


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_give_sessions_or_input_errors(json_dir: Path, data: bytes) -> None:
    path = json_dir / "random.json"
    path.write_bytes(data)
    try:
        read_json(path, ReadOptions())
    except InputError:
        pass


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["id", "format", "version", "sessions", "utterances", "speakers", "x"])
            | st.text(max_size=4),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@settings(max_examples=200, deadline=None)
@given(data=_json_values)
def test_random_json_gives_sessions_or_parse_errors(data: Any) -> None:
    try:
        load_json_text(json.dumps(data), "random.json")
    except ParseError:
        pass


@settings(max_examples=200, deadline=None)
@given(
    where=st.sampled_from(["session", "speaker", "utterance"]),
    key=st.sampled_from(
        ["id", "date", "source", "speakers", "utterances", "name", "role", "role_source"]
        + ["role_confidence", "index", "text", "start", "end", "source_id", "speaker", "x"]
    ),
    value=_json_values,
)
def test_damaged_sessions_give_sessions_or_parse_errors(where: str, key: str, value: Any) -> None:
    data = sample_dict()
    target = {"session": data, "speaker": data["speakers"][0], "utterance": data["utterances"][0]}
    target[where][key] = SECRET + value if isinstance(value, str) else value
    try:
        load(document(data))
    except ParseError as exc:
        assert SECRET not in str(exc)


@pytest.mark.parametrize("number", ["1e999", "-1e999", "1E+309"])
def test_a_number_too_large_for_a_float_is_refused(number: str) -> None:
    """``json`` reads 1e999 as infinity, which no session may hold (JSON cannot write it)."""
    text = json.dumps(sample_dict()).replace('"index": 0', f'"index": 0, "start": {number}', 1)
    assert f'"start": {number}' in text
    with pytest.raises(ParseError, match="a value cannot be read"):
        load_json_text(text, "x.json")
