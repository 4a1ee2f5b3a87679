"""``edgewise analyze``: terminal summary, JSON lines, --out with resume, --report, bad input."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from typer.testing import Result

from edgewise.analysis import SessionAnalysis
from edgewise.cli.analysis_view import analysis_summary
from edgewise.coding.coder import Coder
from edgewise.readers import read_sessions

Invoke = Callable[..., Result]
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ZOOM = EXAMPLES / "session-zoom.vtt"
MULTI = EXAMPLES / "sessions-multi.csv"
MULTI_IDS = ["couple-01", "bp-meds-02", "cardiac-rehab-03"]
SENTINEL = "Heron-sentinel-4417"

#: The documented keys of one JSON line (dotted paths).
KEYS = [
    "session_id",
    "scores.optimal_stress",
    "scores.support",
    "scores.challenge",
    "quadrant",
    "change_talk_share",
    "challenge_landing",
    "miti",
    "key_moments",
]

TINY = (
    "Therapist: What would you like to talk about today?\n"
    "Client: My drinking, I suppose. I want to cut down before the summer.\n"
    "Therapist: Part of you wants to cut down, and part of you enjoys it.\n"
    "Client: Yes. I want to be clear-headed for my daughter's wedding.\n"
)
#: Three short sessions in one CSV (fictional).
SMALL_CSV = (
    "session_id,speaker,role,text\n"
    "walk-1,Pat,therapist,How have the evening walks been going?\n"
    "walk-1,Rui,client,I managed three this week and I want to keep going.\n"
    "walk-1,Pat,therapist,You're proud of keeping it up.\n"
    "walk-1,Rui,client,I am. It helps me sleep.\n"
    "diet-2,Pat,therapist,What would you like to change about lunches?\n"
    "diet-2,Rui,client,I don't know. I like what I eat.\n"
    "diet-2,Pat,therapist,Lunch is something you enjoy.\n"
    "diet-2,Rui,client,Yeah but my doctor says I should eat less salt.\n"
    "sleep 3,Pat,therapist,How are the nights?\n"
    "sleep 3,Rui,client,Bad. I scroll until two.\n"
    "sleep 3,Pat,therapist,\"On the one hand it's your time, on the other you're tired.\"\n"
    "sleep 3,Rui,client,I would like to put the phone away earlier.\n"
)
SMALL_IDS = ["walk-1", "diet-2", "sleep 3"]


@pytest.fixture(autouse=True)
def shared_coder(monkeypatch: pytest.MonkeyPatch, coder: Coder) -> None:
    """The pipeline builds its Coder at call time: give it the session's one."""
    monkeypatch.setattr("edgewise.pipeline.Coder", lambda: coder)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    path = tmp_path / "tiny.txt"
    path.write_text(TINY, encoding="utf-8")
    return path


@pytest.fixture
def small_csv(tmp_path: Path) -> Path:
    path = tmp_path / "small.csv"
    path.write_text(SMALL_CSV, encoding="utf-8")
    return path


def lines(text: str) -> list[dict[str, Any]]:
    """Every line of ``text`` is one JSON object."""
    return [json.loads(line) for line in text.splitlines()]


def dig(row: dict[str, Any], dotted: str) -> Any:
    for key in dotted.split("."):
        assert key in row, dotted
        row = row[key]
    return row


def test_summary_shows_the_figures(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[SessionAnalysis] = []

    def record(console: Console, analysis: SessionAnalysis) -> None:
        shown.append(analysis)
        analysis_summary(console, analysis)

    monkeypatch.setattr("edgewise.cli.analyze.analysis_summary", record)
    result = invoke("analyze", ZOOM)
    assert result.exit_code == 0, result.stderr
    (a,) = shown
    (session,) = read_sessions(ZOOM)
    assert a.session_id == session.id and a.utterances == len(session.utterances)
    out = result.stdout
    assert "session session-zoom" in out
    assert f"{a.utterances} utterances" in out
    assert "holding both support and challenge" in out or a.quadrant != "holding_both"
    for label, score in [
        ("optimal stress", a.scores.optimal_stress),
        ("support", a.scores.support),
        ("challenge", a.scores.challenge),
    ]:
        assert score.value is not None
        assert label in out and f"{score.value:.2f}" in out
    assert a.change_talk_share.value is not None
    assert f"{a.change_talk_share.value * 100:.0f}%" in out
    for label in ("challenge landing", "readiness trend", "reflections : questions"):
        assert label in out
    assert "{" not in out  # a summary, not JSON


def test_json_one_object_per_session(invoke: Invoke) -> None:
    result = invoke("analyze", MULTI, "--json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    rows = lines(result.stdout)
    assert [r["session_id"] for r in rows] == MULTI_IDS
    for row in rows:
        for key in KEYS:
            dig(row, key)
        value = row["scores"]["optimal_stress"]["value"]
        assert value is None or 0.0 <= value <= 1.0
        assert row["quadrant"] in {"holding_both", "comfort", "pressure", "disengaged", None}
        assert set(row["miti"]) >= {"reflection_to_question", "percent_complex_reflections"}
        assert row["analyser"] == "edgewise.stress.v1@1.1.0"
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout


def test_several_files_several_lines(invoke: Invoke, tiny: Path, small_csv: Path) -> None:
    result = invoke("analyze", tiny, small_csv, "--json")
    assert result.exit_code == 0, result.stderr
    assert [r["session_id"] for r in lines(result.stdout)] == ["tiny", *SMALL_IDS]


def test_several_files_summary(invoke: Invoke, tiny: Path, small_csv: Path) -> None:
    result = invoke("analyze", tiny, small_csv)
    assert result.exit_code == 0, result.stderr
    for sid in ["tiny", *SMALL_IDS]:
        assert f"session {sid}" in result.stdout


def test_out_writes_a_file_and_resumes(invoke: Invoke, small_csv: Path, tmp_path: Path) -> None:
    target = tmp_path / "deep" / "analyses.jsonl"
    result = invoke("analyze", small_csv, "--out", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    full = target.read_text(encoding="utf-8")
    assert [r["session_id"] for r in lines(full)] == SMALL_IDS
    assert [p.name for p in target.parent.iterdir()] == ["analyses.jsonl"]

    # an interrupted run: one complete line and half of the next in the .partial file
    target.unlink()
    first, second, _ = full.splitlines(keepends=True)
    partial = target.with_name("analyses.jsonl.partial")
    partial.write_text(first + second[: len(second) // 2], encoding="utf-8")
    resumed = invoke("analyze", small_csv, "--out", target, "--json")
    assert resumed.exit_code == 0, resumed.stderr
    assert resumed.stdout == ""
    assert not partial.exists()
    text = target.read_text(encoding="utf-8")
    assert [r["session_id"] for r in lines(text)] == SMALL_IDS
    assert text == full


def test_resume_skips_sessions_already_done(
    invoke: Invoke, small_csv: Path, tmp_path: Path
) -> None:
    """A done line is kept as it is: the session is not analysed again."""
    target = tmp_path / "analyses.jsonl"
    marker = json.dumps({"session_id": "diet-2", "marker": SENTINEL})
    target.with_name("analyses.jsonl.partial").write_text(marker + "\n", encoding="utf-8")
    result = invoke("analyze", small_csv, "--out", target)
    assert result.exit_code == 0, result.stderr
    rows = lines(target.read_text(encoding="utf-8"))
    assert sorted(r["session_id"] for r in rows) == sorted(SMALL_IDS)
    assert rows[0] == {"session_id": "diet-2", "marker": SENTINEL}


def test_report_for_one_file(invoke: Invoke, tiny: Path, tmp_path: Path) -> None:
    target = tmp_path / "reports" / "tiny.html"
    result = invoke("analyze", tiny, "--report", target)
    assert result.exit_code == 0, result.stderr
    page = target.read_text(encoding="utf-8")
    assert "<html" in page.lower()
    assert "tiny" in page
    assert "session tiny" in result.stdout  # the summary still prints


def test_report_into_an_existing_folder(invoke: Invoke, tiny: Path, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    result = invoke("analyze", tiny, "--report", folder)
    assert result.exit_code == 0, result.stderr
    assert "<html" in (folder / "tiny.html").read_text(encoding="utf-8").lower()


def test_report_folder_for_a_multi_session_csv(
    invoke: Invoke, small_csv: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "reports"
    result = invoke("analyze", small_csv, "--report", folder, "--json")
    assert result.exit_code == 0, result.stderr
    assert len(lines(result.stdout)) == 3
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(["walk-1.html", "diet-2.html", "sleep_3.html"])
    for sid in SMALL_IDS:
        page = (folder / f"{sid.replace(' ', '_')}.html").read_text(encoding="utf-8")
        assert "<html" in page.lower() and sid in page


# --- bad input ---------------------------------------------------------------------------


def assert_refused(result: Result, code: str) -> str:
    """Exit 2, nothing on stdout, one coded line on stderr, no traceback, no transcript text."""
    assert result.exit_code == 2, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error {code} "), line
    assert SENTINEL not in result.stderr
    return line


BAD: dict[str, tuple[bytes | None, str]] = {
    "missing.txt": (None, "E100"),
    "empty.txt": (b"", "E101"),
    "blank.vtt": (b"\n \n", "E101"),
    "binary.txt": (b"\x00\x01\x02\xff" * 64 + SENTINEL.encode(), "E102"),
    "binary.csv": (b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)), "E102"),
}


@pytest.mark.parametrize("name", BAD, ids=BAD.keys())
@pytest.mark.parametrize("mode", [(), ("--json",), ("--out", "x.jsonl")], ids=str)
def test_bad_input_is_one_coded_line(
    invoke: Invoke, tmp_path: Path, name: str, mode: tuple[str, ...]
) -> None:
    content, code = BAD[name]
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    args = [str(tmp_path / a) if a.endswith(".jsonl") else a for a in mode]
    line = assert_refused(invoke("analyze", path, *args), code)
    assert str(path) in line
    assert not (tmp_path / "x.jsonl").exists()


def test_one_bad_file_among_good_ones_stops_before_any_output(
    invoke: Invoke, tiny: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert_refused(invoke("analyze", tiny, empty, "--json"), "E101")


def test_duplicate_session_ids_across_files(invoke: Invoke, tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(ZOOM, tmp_path / folder / "session.vtt")
    result = invoke("analyze", tmp_path / "a" / "session.vtt", tmp_path / "b" / "session.vtt")
    line = assert_refused(result, "E130")
    assert "session" in line and "id" in line
    assert "Anjali" not in line and "Walter" not in line


def test_same_csv_twice_is_a_duplicate(invoke: Invoke, small_csv: Path) -> None:
    assert_refused(invoke("analyze", small_csv, small_csv, "--json"), "E130")


# --- words people read: turns from 1 ------------------------------------------------------


def test_key_moments_are_numbered_from_1(invoke: Invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[SessionAnalysis] = []

    def record(console: Console, analysis: SessionAnalysis) -> None:
        shown.append(analysis)
        analysis_summary(console, analysis)

    monkeypatch.setattr("edgewise.cli.analyze.analysis_summary", record)
    result = invoke("analyze", ZOOM)
    assert result.exit_code == 0, result.stderr
    (a,) = shown
    assert a.key_moments, "the example should have key moments"
    table = result.stdout[result.stdout.index("moment") :].split("the client's")[0]
    cells = [line.split("│")[1].strip() for line in table.splitlines() if line.count("│") > 2]
    turns = [int(c) for c in cells if c.isdigit()]
    assert turns == [m.index + 1 for m in a.key_moments]


# --- output paths that cannot work --------------------------------------------------------


def test_out_that_is_a_directory_is_refused_before_any_work(
    invoke: Invoke, tiny: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("edgewise.pipeline.iter_analyses", _never)
    line = assert_refused(invoke("analyze", tiny, "--out", tmp_path), "E130")
    assert f"{tmp_path}: is a directory; pass --out a file path" in line


def test_report_file_for_several_sessions_is_refused_before_any_work(
    invoke: Invoke, small_csv: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("edgewise.pipeline.iter_analyses", _never)
    target = tmp_path / "report.html"
    target.write_text("old", encoding="utf-8")
    line = assert_refused(invoke("analyze", small_csv, "--report", target, "--json"), "E130")
    assert "pass --report a folder" in line
    assert target.read_text(encoding="utf-8") == "old"


@pytest.mark.parametrize("option", ["--out", "--report"])
def test_unwritable_output_is_a_coded_error(
    invoke: Invoke, tiny: Path, tmp_path: Path, option: str
) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    target = blocker / "inside.out"
    result = invoke("analyze", tiny, "--json", option, target)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error E130 {target}: cannot write here")
    assert f"pass {option} a path in a folder you can write to" in line


def _never(*args: object, **kwargs: object) -> None:
    raise AssertionError("no analysis should run")
