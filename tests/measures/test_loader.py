"""Loading definitions: shipped package data, user files and folders, coded errors with lines."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from edgewise.errors import BinaryFileError, EmptyFileError, InputError, ParseError
from edgewise.measures.definition import MeasureDefinition
from edgewise.measures.loader import (
    MAX_DEFINITION_BYTES,
    load_all,
    load_definition,
    load_definitions,
    parse_definition,
    shipped_definition,
    shipped_definitions,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "measures" / "session-check.yaml"
PHQ9_TEXT = (resources.files("edgewise.measures") / "data" / "phq9.yaml").read_text("utf-8")

GOOD = """\
id: mood
name: Mood check
version: "2"
licence: Written for these tests.
options:
  - {value: 0, label: No}
  - {value: 1, label: Yes}
items:
  - {id: a, text: First}
  - {id: b, text: Second}
"""


def test_shipped_definitions_are_package_data() -> None:
    folder = resources.files("edgewise.measures") / "data"
    assert {e.name for e in folder.iterdir() if e.name.endswith(".yaml")} >= {
        "phq9.yaml",
        "gad7.yaml",
    }
    assert [d.id for d in shipped_definitions()] == ["gad7", "phq9"]
    assert shipped_definition("phq9") is shipped_definition("phq9")


def test_unknown_shipped_measure() -> None:
    with pytest.raises(InputError, match="no shipped measure 'bdi'.*gad7, phq9"):
        shipped_definition("bdi")


def test_example_session_check_loads() -> None:
    d = load_definition(EXAMPLE)
    assert (d.id, d.kind, d.direction, d.cutoff) == (
        "session-check",
        "alliance",
        "higher_is_better",
        28,
    )
    assert (d.score_range.min, d.score_range.max) == (0, 40)
    assert len(d.items) == 4
    assert [o.value for o in d.options] == list(range(11))


def test_load_a_folder(tmp_path: Path) -> None:
    (tmp_path / "mood.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "other.yml").write_text(GOOD.replace("id: mood", "id: other"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a definition", encoding="utf-8")
    assert [d.id for d in load_definitions(tmp_path)] == ["mood", "other"]
    assert [d.id for d in load_definitions(tmp_path / "mood.yaml")] == ["mood"]
    assert [d.id for d in load_all(tmp_path)] == ["gad7", "phq9", "mood", "other"]
    assert len(load_all()) == 2


def test_duplicates_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(InputError, match="'mood' version '2' is defined twice") as info:
        load_definitions(tmp_path)
    assert info.value.path == str(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").write_text(GOOD.replace('"2"', '"3"'), encoding="utf-8")
    assert len(load_definitions(tmp_path)) == 2
    shadow = tmp_path / "shadow"
    shadow.mkdir()
    (shadow / "phq9.yaml").write_text(PHQ9_TEXT, encoding="utf-8")
    with pytest.raises(InputError, match="'phq9' version '1.0' is defined twice"):
        load_all(shadow)


def test_file_problems(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="holds no measure definitions"):
        load_definitions(tmp_path)
    with pytest.raises(InputError, match="file not found"):
        load_definition(tmp_path / "missing.yaml")
    with pytest.raises(InputError, match="is a folder"):
        load_definition(tmp_path)
    empty = tmp_path / "empty.yaml"
    empty.write_text("  \n", encoding="utf-8")
    with pytest.raises(EmptyFileError):
        load_definition(empty)
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(BinaryFileError, match="not a YAML measure definition"):
        load_definition(binary)
    big = tmp_path / "big.yaml"
    big.write_text("# " + "x" * MAX_DEFINITION_BYTES, encoding="utf-8")
    with pytest.raises(InputError, match="limit"):
        load_definition(big)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("id: [unclosed\n", 2, "not valid YAML"),
        (GOOD + "items: []\n", 11, "duplicate key"),
        ("base: &b {value: 0}\nother: *b\n", 2, "anchors and aliases"),
        ("- just\n- a list\n", 1, "must be a YAML mapping"),
        (
            GOOD + "---\nid: second\n",
            11,
            "expected a single document in the stream, but found another",
        ),
        (GOOD.replace("{value: 1, label: Yes}", "{value: 1.5, label: Yes}"), 7, "options[1].value"),
        (
            GOOD.replace('version: "2"', "version: 2.0"),
            3,
            "version: Input should be a valid string (put quotes",
        ),
        (GOOD + "colour: blue\n", 11, "colour: Extra inputs are not permitted"),
        (
            GOOD.replace("  - {id: b, text: Second}\n", "  - {id: a, text: Second}\n"),
            1,
            "used twice",
        ),
        (GOOD.replace("{id: b, text: Second}", "{id: b}"), 10, "items[1].text: Field required"),
    ],
)
def test_bad_definitions_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError, match=message.replace("[", r"\[").replace("(", r"\(")) as info:
        parse_definition(text, path="mine.yaml")
    assert info.value.line == line
    assert info.value.path == "mine.yaml"
    assert str(info.value).startswith(f"E110 mine.yaml:{line}: ")


def test_empty_and_null_documents() -> None:
    for text in ("", "# only a comment\n", "null\n", "~"):
        with pytest.raises(ParseError, match="empty"):
            parse_definition(text)


def test_many_problems_are_counted_and_inputs_not_quoted() -> None:
    text = GOOD.replace("text: First", "text: 12345").replace("text: Second", "text: 67890")
    with pytest.raises(ParseError, match=r"and \d+ more problems") as info:
        parse_definition(text)
    assert "12345" not in str(info.value)


def test_round_trip_through_yaml() -> None:
    phq9 = shipped_definition("phq9")
    text = yaml.safe_dump(phq9.model_dump(mode="json", exclude_none=True), sort_keys=False)
    assert parse_definition(text) == phq9


def _fails_cleanly_or_loads(text: str) -> None:
    try:
        result = parse_definition(text, path="random.yaml")
    except InputError as exc:
        assert str(exc).startswith("E1")
    else:
        assert isinstance(result, MeasureDefinition)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_random_text_never_raises_anything_else(text: str) -> None:
    _fails_cleanly_or_loads(text)


YAML_BITS = st.sampled_from(
    [
        "id:",
        " mood",
        "\n",
        "  - ",
        "{",
        "}",
        "[",
        "]",
        ":",
        "&a ",
        "*a",
        "!!int ",
        "!!python/name:x",
        "value: ",
        "1",
        "1.5",
        "null",
        "'",
        '"',
        "? ",
        "---",
        "items:",
        "options:",
        "#",
        ",",
        "2024-13-45",
        "9" * 5000,
        "1e999",
        "!tag ",
        "|",
        ">",
        "\t",
        "%YAML 1.1\n",
    ]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(YAML_BITS, max_size=40).map("".join))
def test_random_yaml_fragments_never_raise_anything_else(text: str) -> None:
    _fails_cleanly_or_loads(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, len(PHQ9_TEXT) - 1), min_size=1, max_size=4), st.text(max_size=5))
def test_mutated_phq9_never_raises_anything_else(cuts: list[int], insert: str) -> None:
    text = PHQ9_TEXT
    for cut in sorted(cuts, reverse=True):
        text = text[:cut] + insert + text[cut + 1 :]
    _fails_cleanly_or_loads(text)


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "name",
                "version",
                "items",
                "options",
                "range",
                "scoring",
                "bands",
                "cutoff",
                "reliable_change",
                "x",
            ]
        ),
        JSONISH,
    )
)
def test_random_structures_never_raise_anything_else(data: dict[str, object]) -> None:
    _fails_cleanly_or_loads(yaml.safe_dump(data))


def test_deep_nesting_is_a_parse_error() -> None:
    with pytest.raises(ParseError):
        parse_definition("[" * 5000 + "]" * 5000)


def test_yes_and_no_labels_stay_text() -> None:
    d = parse_definition(GOOD.replace("label: Yes", "label: On"))
    assert [o.label for o in d.options] == ["No", "On"]
    flagged = parse_definition(
        GOOD.replace("{id: a, text: First}", "{id: a, text: First, required: true}")
    )
    assert flagged.items[0].required is True


def test_docs_show_the_example_definition() -> None:
    """The YAML block in docs/measures.md is the example file, and it loads."""
    docs = EXAMPLE.parents[2] / "docs" / "measures.md"
    block = docs.read_text("utf-8").split("```yaml\n", 1)[1].split("```", 1)[0]
    assert block == EXAMPLE.read_text("utf-8")
    assert parse_definition(block) == load_definition(EXAMPLE)
