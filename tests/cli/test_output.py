"""Output rows and their JSONL / CSV / table rendering, atomic writing, format choice."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from edgewise.cli import output
from edgewise.cli.main import _output_format
from edgewise.coding.flags import RISK_CHECK, RISK_CHECK_NOTICE, RISK_NOTICE
from edgewise.domain import CodedSession, Session, Speaker, Utterance, UtteranceCode
from edgewise.errors import InputError

MODEL = "edgewise.coder.v1@1.1.0+flags@1.0.0"
TRICKY = 'She said "no, never", then\nleft; café, naïve — 50% sure'


def _coded() -> CodedSession:
    utterances = (
        Utterance(index=0, source_id="u1", role="therapist", speaker="T", text="How are you?"),
        Utterance(index=1, role="client", speaker="C", text=TRICKY),
        Utterance(index=2, role="other", speaker="Interpreter", text="He asks how you are."),
    )
    session = Session(
        id="s-1",
        speakers=(
            Speaker(name="T", role="therapist", role_source="label", role_confidence=1.0),
            Speaker(name="C", role="client", role_source="label", role_confidence=1.0),
            Speaker(name="Interpreter", role="other", role_source="label", role_confidence=1.0),
        ),
        utterances=utterances,
    )
    codes = (
        UtteranceCode(
            index=0,
            behaviour="question",
            probabilities={
                "question": 0.7,
                "reflection": 0.1,
                "therapist_input": 0.1,
                "other": 0.1,
            },
            model=MODEL,
        ),
        UtteranceCode(
            index=1,
            talk_type="sustain",
            probabilities={"change": 0.2, "neutral": 0.3, "sustain": 0.5},
            model=MODEL,
        ),
        UtteranceCode(index=2, model=MODEL),
    )
    return CodedSession(session=session, codes=codes)


def test_coded_rows_fields_and_order() -> None:
    rows = list(output.coded_rows([_coded()]))
    assert list(rows[0]) == [
        "session_id",
        "utterance_id",
        "role",
        "speaker",
        "text",
        "behaviour",
        "probabilities",
        "uncertain",
        "flags",
        "model",
    ]
    assert rows[0]["uncertain"] is False and rows[0]["flags"] == []
    assert "subtype" not in rows[0] and "notice" not in rows[0]
    assert "uncertain" not in rows[2] and rows[2]["flags"] == []  # no probabilities
    assert rows[0]["utterance_id"] == "u1"  # the input's own id
    assert rows[1]["utterance_id"] == 1  # else the position
    assert rows[1]["talk_type"] == "sustain" and "behaviour" not in rows[1]
    assert "behaviour" not in rows[2] and "talk_type" not in rows[2]
    assert rows[2]["probabilities"] == {}
    assert all(r["model"] == MODEL and r["session_id"] == "s-1" for r in rows)


def test_coded_rows_without_text() -> None:
    rows = list(output.coded_rows([_coded()], text=False))
    assert all("text" not in r for r in rows)


def test_coded_rows_of_nothing() -> None:
    assert list(output.coded_rows([])) == []
    assert output.render([], "jsonl") == ""


def test_render_jsonl_is_one_object_per_line_and_keeps_unicode() -> None:
    rows = list(output.coded_rows([_coded()]))
    text = output.render(rows, "jsonl")
    lines = text.splitlines()
    assert len(lines) == 3 and text.endswith("\n")
    assert [json.loads(line) for line in lines] == rows
    assert "café" in text  # not \u00e9-escaped


def test_render_csv_round_trips_awkward_text() -> None:
    rows = list(output.coded_rows([_coded()]))
    text = output.render(rows, "csv")
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert len(parsed) == 3
    assert parsed[1]["text"] == TRICKY
    assert list(parsed[0]) == [
        "session_id",
        "utterance_id",
        "role",
        "speaker",
        "text",
        "behaviour",
        "talk_type",
        "subtype",
        "p_change",
        "p_neutral",
        "p_other",
        "p_question",
        "p_reflection",
        "p_sustain",
        "p_therapist_input",
        "uncertain",
        "flags",
        "notice",
        "model",
    ]
    assert parsed[0]["p_question"] == "0.7" and parsed[0]["p_change"] == ""
    assert parsed[2]["behaviour"] == "" and parsed[2]["p_question"] == ""
    assert [r["uncertain"] for r in parsed] == ["False", "False", ""]
    assert all(r["flags"] == r["notice"] == r["subtype"] == "" for r in parsed)


def test_render_csv_without_text_has_no_text_column() -> None:
    rows = list(output.coded_rows([_coded()], text=False))
    header = output.render(rows, "csv").splitlines()[0].split(",")
    assert "text" not in header
    assert "Interpreter" in output.render(rows, "csv")


def test_render_table() -> None:
    rows = list(output.coded_rows([_coded()]))
    table = output.render(rows, "table")
    for word in ("session", "speaker", "code", "question", "sustain", "0.70", "0.50", "s-1"):
        assert word in table
    no_text = output.render(list(output.coded_rows([_coded()], text=False)), "table")
    assert "How are you?" in table and "How are you?" not in no_text


def _cells(table: str) -> tuple[list[str], list[list[str]]]:
    """The header cells and the body rows' cells of a rendered table."""
    (header,) = [line.split("┃")[1:-1] for line in table.splitlines() if "┃" in line]
    body = [line.split("│")[1:-1] for line in table.splitlines() if "│" in line]
    return [c.strip() for c in header], [[c.strip() for c in row] for row in body]


def test_render_table_numbers_turns_from_1_and_shows_the_inputs_own_ids() -> None:
    coded = _coded()
    rows = list(output.coded_rows([coded], text=False))
    table = output.render(rows, "table", output.turn_numbers([coded]))
    header, body = _cells(table)
    assert header[:3] == ["session", "turn", "id"]
    assert [(r[1], r[2]) for r in body] == [("1", "u1"), ("2", "-"), ("3", "-")]
    assert output.render(rows, "table") == table  # without turns: counted in each session


def test_render_table_without_own_ids_has_no_id_column() -> None:
    sessions = [_flagged(), _flagged()]
    rows = list(output.coded_rows(sessions, text=False))
    assert all(isinstance(r["utterance_id"], int) for r in rows)
    header, body = _cells(output.render(rows, "table", output.turn_numbers(sessions)))
    assert "id" not in header
    assert [r[1] for r in body] == ["1", "2", "1", "2"]  # two sessions, even with one id


def test_render_table_counts_turns_per_session_without_turns() -> None:
    rows = list(output.coded_rows([_flagged(), _coded()], text=False))
    _, body = _cells(output.render(rows, "table"))
    assert [(r[0], r[1]) for r in body] == [
        ("s-2", "1"),
        ("s-2", "2"),
        ("s-1", "1"),
        ("s-1", "2"),
        ("s-1", "3"),
    ]


def _flagged(client_flags: tuple[str, ...] = ("distress", "risk")) -> CodedSession:
    """Two coded turns: a therapist question with a subtype and flags, a risky client turn."""
    session = Session(
        id="s-2",
        utterances=(
            Utterance(index=0, role="therapist", speaker="T", text="Why don't you just stop?"),
            Utterance(index=1, role="client", speaker="C", text="Some words."),
        ),
    )
    codes = (
        UtteranceCode(
            index=0,
            behaviour="question",
            subtype="closed",
            probabilities={
                "question": 0.4,
                "reflection": 0.3,
                "therapist_input": 0.2,
                "other": 0.1,
            },
            subtype_probabilities={"open": 0.2, "closed": 0.8},
            uncertain=True,
            flags=("confrontation", "unsolicited_advice"),
            model=MODEL,
        ),
        UtteranceCode(
            index=1,
            talk_type="neutral",
            probabilities={"change": 0.1, "neutral": 0.6, "sustain": 0.3},
            flags=client_flags,
            model=MODEL,
        ),
    )
    return CodedSession(session=session, codes=codes)


def test_worth_checking_rows_carry_the_quieter_notice() -> None:
    _, checked = output.coded_rows([_flagged(("distress", RISK_CHECK))])
    assert checked["flags"] == ["distress", RISK_CHECK]
    assert checked["notice"] == RISK_CHECK_NOTICE
    assert list(checked)[-3:] == ["flags", "notice", "model"]
    text = output.render(list(output.coded_rows([_flagged((RISK_CHECK,))])), "csv")
    first, second = csv.DictReader(io.StringIO(text))
    assert first["notice"] == "" and second["notice"] == RISK_CHECK_NOTICE
    assert second["flags"] == RISK_CHECK


def test_explicit_risk_notice_wins_over_worth_checking() -> None:
    _, both = output.coded_rows([_flagged(("risk", RISK_CHECK))])
    assert both["notice"] == RISK_NOTICE


def test_render_table_worth_checking_legend() -> None:
    table = output.render(list(output.coded_rows([_flagged((RISK_CHECK,))])), "table")
    flat = " ".join(table.split())
    assert "risk check" in flat or RISK_CHECK in flat
    assert "Risk-language flag" not in flat
    assert " ".join(RISK_CHECK_NOTICE.split()) in flat


def test_coded_rows_carry_subtype_uncertain_flags_and_notice() -> None:
    first, second = output.coded_rows([_flagged()])
    assert list(first)[5:] == [
        "behaviour",
        "subtype",
        "probabilities",
        "uncertain",
        "flags",
        "model",
    ]
    assert first["subtype"] == "closed" and first["uncertain"] is True
    assert first["flags"] == ["confrontation", "unsolicited_advice"] and "notice" not in first
    assert list(second)[-4:] == ["uncertain", "flags", "notice", "model"]
    assert second["flags"] == ["distress", "risk"] and second["notice"] == RISK_NOTICE
    assert second["uncertain"] is False and "subtype" not in second


def test_render_csv_flags_and_notice() -> None:
    text = output.render(list(output.coded_rows([_flagged()])), "csv")
    first, second = csv.DictReader(io.StringIO(text))
    assert first["subtype"] == "closed" and first["uncertain"] == "True"
    assert first["flags"] == "confrontation;unsolicited_advice" and first["notice"] == ""
    assert second["flags"] == "distress;risk" and second["notice"] == RISK_NOTICE
    assert second["subtype"] == "" and second["p_neutral"] == "0.6"


def test_render_table_flags_and_notice() -> None:
    table = output.render(list(output.coded_rows([_flagged()])), "table")
    flat = " ".join(table.split())
    for word in ("flags", "question/closed", "0.40?", "confrontation", "risk"):
        assert word in flat
    assert " ".join(f"risk: {RISK_NOTICE}".split()) in flat
    assert "?: the coder is uncertain" in flat
    calm = output.render(list(output.coded_rows([_coded()])), "table")
    assert "Risk-language flag" not in calm and "?: the coder is uncertain" not in calm


def test_write_output_to_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    output.write_output("one\ntwo\n", None)
    assert capsys.readouterr().out == "one\ntwo\n"


def test_write_output_to_file_atomically(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.csv"
    output.write_output("a,b\n1,café\n", target)
    assert target.read_bytes() == "a,b\n1,café\n".encode()
    output.write_output("new\n", target)
    assert target.read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.csv"]


@pytest.mark.parametrize(
    ("given", "out", "tty", "expected"),
    [
        (None, None, False, "jsonl"),
        (None, None, True, "table"),
        (None, "x.csv", False, "csv"),
        (None, "x.CSV", True, "csv"),
        (None, "x.jsonl", True, "jsonl"),
        (None, "x.txt", False, "jsonl"),
        ("table", "x.csv", False, "table"),
        ("csv", None, True, "csv"),
        ("jsonl", None, True, "jsonl"),
    ],
)
def test_output_format_choice(
    monkeypatch: pytest.MonkeyPatch, given: str | None, out: str | None, tty: bool, expected: str
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty)
    assert _output_format(given, None if out is None else Path(out)) == expected


@pytest.mark.parametrize("given", ["nonsense", "JSONL", "", "[/]"])
def test_unknown_output_format_is_a_bad_option_value(given: str) -> None:
    with pytest.raises(InputError) as info:
        _output_format(given, None)
    assert info.value.code == "E130"
    assert "pass --format jsonl, csv or table" in info.value.message


def test_formats_listed() -> None:
    assert output.FORMATS == ("jsonl", "csv", "table")
