"""``edgewise code`` on the bundled examples: JSONL/CSV/table output, ids, --out, progress."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import Result

from edgewise.cli.progress import MIN_ITEMS, progress_bar
from edgewise.coding.coder import Coder
from edgewise.coding.flags import (
    FEATURE_WIDTH,
    FLAG_ROLES,
    RISK_CHECK,
    RISK_CHECK_NOTICE,
    RISK_NOTICE,
    FlagModel,
)
from edgewise.coding.strain_model import STRAIN
from edgewise.readers import read_sessions

Invoke = Callable[..., Result]
EXAMPLES = sorted(
    p
    for p in (Path(__file__).parents[2] / "examples").iterdir()
    if p.is_file() and p.name != "README.md"
)
EDGEWISE = Path(sys.executable).with_name("edgewise")
#: The role each emitted flag belongs to (``risk_check``: the quieter risk tier).
#: The role each flag is raised on (``strain``: either role).
EMITTED_ROLES = {**FLAG_ROLES, RISK_CHECK: "client"}
#: The notice a row carries for its flags (explicit risk first).
NOTICES = {"risk": RISK_NOTICE, RISK_CHECK: RISK_CHECK_NOTICE}


def notice_for(flags: list[str]) -> str | None:
    """The notice a row with ``flags`` carries, or None."""
    return next((NOTICES[f] for f in NOTICES if f in flags), None)


BEHAVIOURS = {"question", "reflection", "therapist_input", "other"}
TALK_TYPES = {"change", "neutral", "sustain"}
#: The subtypes each therapist behaviour may carry (``other`` has none).
SUBTYPES: dict[str, set[str]] = {
    "reflection": {"simple", "complex"},
    "question": {"open", "closed"},
    "therapist_input": {"information", "advice", "options", "negotiation"},
    "other": set(),
}
FIELD_ORDER = ["session_id", "utterance_id", "role", "speaker", "text"]
CSV_HEADER = [
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
BAR_GLYPHS = ("━", "█", "\x1b[?25l")


TINY = (
    "Therapist: What would you like to talk about today, Orla-sentinel-5512?\n"
    "Client: My drinking, I suppose. I want to cut down before the summer.\n"
    "Therapist: It sounds like the summer matters to you.\n"
    "Client: It does. My daughter is getting married.\n"
)


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A four-turn labelled transcript (cheap to code)."""
    path = tmp_path / "tiny.txt"
    path.write_text(TINY, encoding="utf-8")
    return path


def example(name: str) -> Path:
    """The bundled example called ``name``."""
    return next(p for p in EXAMPLES if p.name == name)


def jsonl(text: str) -> list[dict[str, Any]]:
    """The rows of JSONL output (every line must be one JSON object)."""
    return [json.loads(line) for line in text.splitlines()]


def check_row(row: dict[str, Any], version: str) -> None:
    """One output row obeys the documented JSONL contract."""
    for key in ("session_id", "utterance_id", "role", "speaker", "text", "flags", "model"):
        assert key in row, key
    assert row["model"] == version
    assert list(row)[-1] == "model"
    probs = row["probabilities"]
    if row["role"] == "therapist":
        assert row["behaviour"] in BEHAVIOURS and "talk_type" not in row
        assert set(probs) == BEHAVIOURS
        assert row["behaviour"] == max(probs, key=probs.__getitem__)
        if SUBTYPES[row["behaviour"]]:
            assert row["subtype"] in SUBTYPES[row["behaviour"]]
        else:
            assert "subtype" not in row
    elif row["role"] == "client":
        assert row["talk_type"] in TALK_TYPES and "behaviour" not in row
        assert set(probs) == TALK_TYPES
        assert row["talk_type"] == max(probs, key=probs.__getitem__)
        assert "subtype" not in row
    else:
        assert "behaviour" not in row and "talk_type" not in row and probs == {}
        assert "subtype" not in row and "uncertain" not in row
    if probs:
        assert sum(probs.values()) == pytest.approx(1.0, abs=1e-3)
        assert all(0.0 <= p <= 1.0 for p in probs.values())
        assert row["uncertain"] is (max(probs.values()) < 0.5)
    assert isinstance(row["flags"], list)
    assert {EMITTED_ROLES[f] for f in row["flags"] if f != STRAIN} <= {row["role"]}
    assert len(set(row["flags"])) == len(row["flags"])
    assert row.get("notice") == notice_for(row["flags"])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_code_every_example_as_jsonl(invoke: Invoke, coder: Coder, path: Path) -> None:
    result = invoke("code", path, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    rows = jsonl(result.stdout)
    sessions = read_sessions(path)
    utterances = [(s.id, u) for s in sessions for u in s.utterances]
    assert len(rows) == len(utterances) > 0
    for row, (session_id, utt) in zip(rows, utterances, strict=True):
        check_row(row, coder.version)
        assert list(row)[:5] == FIELD_ORDER
        assert row["session_id"] == session_id
        assert (row["role"], row["speaker"], row["text"]) == (utt.role, utt.speaker, utt.text)
        expected_id = utt.source_id if utt.source_id is not None else utt.index
        assert row["utterance_id"] == expected_id
    assert {r["role"] for r in rows} >= {"therapist", "client"}


def test_json_example_keeps_its_own_ids(invoke: Invoke) -> None:
    rows = jsonl(invoke("code", example("session-smoking.json"), "-f", "jsonl").stdout)
    assert [r["utterance_id"] for r in rows[:3]] == ["u001", "u002", "u003"]
    assert all(isinstance(r["utterance_id"], str) for r in rows)


def test_csv_example_keeps_its_utterance_id_column(invoke: Invoke) -> None:
    path = example("sessions-multi.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        source = [(r["session_id"], r["utterance_id"]) for r in csv.DictReader(handle)]
    rows = jsonl(invoke("code", path, "--format", "jsonl").stdout)
    assert [(r["session_id"], str(r["utterance_id"])) for r in rows] == source


def test_text_example_numbers_utterances_from_zero(invoke: Invoke) -> None:
    rows = jsonl(invoke("code", example("session-alcohol.txt"), "--format", "jsonl").stdout)
    assert [r["utterance_id"] for r in rows] == list(range(len(rows)))


def test_multi_session_csv_keeps_every_session(invoke: Invoke) -> None:
    path = example("sessions-multi.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        wanted = list(dict.fromkeys(r["session_id"] for r in csv.DictReader(handle)))
    assert len(wanted) == 3
    result = invoke("code", path, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(dict.fromkeys(r["session_id"] for r in rows)) == wanted


def test_csv_output_columns(invoke: Invoke, coder: Coder) -> None:
    result = invoke("code", example("session-coaching.srt"), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames == CSV_HEADER
    rows = list(reader)
    assert len(rows) == 50
    for row in rows:
        assert row["model"] == coder.version
        probs = {k[2:]: float(v) for k, v in row.items() if k.startswith("p_") and v}
        assert sum(probs.values()) == pytest.approx(1.0, abs=1e-3)
        if row["role"] == "therapist":
            assert row["behaviour"] in BEHAVIOURS and row["talk_type"] == ""
            assert set(probs) == BEHAVIOURS
            assert row["subtype"] in (SUBTYPES[row["behaviour"]] or {""})
        else:
            assert row["talk_type"] in TALK_TYPES and row["behaviour"] == ""
            assert set(probs) == TALK_TYPES
            assert row["subtype"] == ""
        assert row["uncertain"] == str(max(probs.values()) < 0.5)
        flags = row["flags"].split(";") if row["flags"] else []
        assert {EMITTED_ROLES[f] for f in flags if f != STRAIN} <= {row["role"]}
        assert row["notice"] == (notice_for(flags) or "")


def test_csv_and_jsonl_agree(invoke: Invoke) -> None:
    path = example("session-zoom.vtt")
    as_json = jsonl(invoke("code", path, "--format", "jsonl").stdout)
    as_csv = list(csv.DictReader(io.StringIO(invoke("code", path, "--format", "csv").stdout)))
    assert len(as_json) == len(as_csv)
    for j, c in zip(as_json, as_csv, strict=True):
        assert c["text"] == j["text"] and c["speaker"] == j["speaker"]
        assert (c["behaviour"] or None) == j.get("behaviour")
        assert (c["talk_type"] or None) == j.get("talk_type")
        assert (c["subtype"] or None) == j.get("subtype")
        assert c["flags"] == ";".join(j["flags"])
        assert (c["notice"] or None) == j.get("notice")
        assert c["uncertain"] == ("" if "uncertain" not in j else str(j["uncertain"]))
        for label, p in j["probabilities"].items():
            assert float(c[f"p_{label}"]) == pytest.approx(p)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "table"])
def test_no_text_drops_text(invoke: Invoke, tiny: Path, fmt: str) -> None:
    result = invoke("code", tiny, "--no-text", "--format", fmt)
    assert result.exit_code == 0, result.stderr
    for word in ("Orla-sentinel-5512", "drinking", "summer", "married"):
        assert word not in result.stdout
    if fmt == "jsonl":
        rows = jsonl(result.stdout)
        assert len(rows) == 4 and all("text" not in r for r in rows)
    elif fmt == "csv":
        header = result.stdout.splitlines()[0].split(",")
        assert "text" not in header and header[:4] == FIELD_ORDER[:4]
    with_text = invoke("code", tiny, "--format", fmt)
    assert "Orla-sentinel-5512" in with_text.stdout.replace("\n", "")


def test_table_format(invoke: Invoke) -> None:
    result = invoke("code", example("session-smoking.json"), "--format", "table")
    assert result.exit_code == 0, result.stderr
    for word in ("session", "speaker", "role", "code", "smoking-01", "Ines", "Hamid"):
        assert word in result.stdout
    assert "question" in result.stdout or "reflection" in result.stdout


def test_default_format_when_piped_is_jsonl(invoke: Invoke, tiny: Path) -> None:
    result = invoke("code", tiny)
    assert result.exit_code == 0, result.stderr
    assert len(jsonl(result.stdout)) == 4


def test_out_writes_the_file_and_nothing_on_stdout(invoke: Invoke, tmp_path: Path) -> None:
    path = example("session-teams.vtt")
    target = tmp_path / "deep" / "coded.jsonl"
    result = invoke("code", path, "--out", target, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "" and result.stderr == ""
    assert target.read_text(encoding="utf-8") == invoke("code", path, "-f", "jsonl").stdout
    assert [p.name for p in target.parent.iterdir()] == ["coded.jsonl"]  # no temp file left


@pytest.mark.parametrize(("name", "kind"), [("x.csv", "csv"), ("X.CSV", "csv"), ("x.out", "jsonl")])
def test_out_suffix_picks_the_format(
    invoke: Invoke, tiny: Path, tmp_path: Path, name: str, kind: str
) -> None:
    target = tmp_path / name
    result = invoke("code", tiny, "--out", target)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    text = target.read_text(encoding="utf-8")
    if kind == "csv":
        assert text.splitlines()[0].split(",") == CSV_HEADER
    else:
        assert len(jsonl(text)) == 4


def test_out_replaces_an_existing_file(invoke: Invoke, tiny: Path, tmp_path: Path) -> None:
    target = tmp_path / "coded.csv"
    target.write_text("old content that is much longer than nothing\n" * 1000, encoding="utf-8")
    result = invoke("code", tiny, "--out", target, "--format", "table")
    assert result.exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "old content" not in text and "Orla-sentinel-5512" in text.replace("\n", "")


def test_several_files_in_one_run(invoke: Invoke) -> None:
    first, second = example("session-alcohol.txt"), example("session-smoking.json")
    rows = jsonl(invoke("code", first, second, "--format", "jsonl").stdout)
    ids = list(dict.fromkeys(r["session_id"] for r in rows))
    assert ids == ["session-alcohol", "smoking-01"]
    assert len(rows) == 60 + 50


def test_coding_is_deterministic(invoke: Invoke, tiny: Path) -> None:
    first = invoke("code", tiny, "--format", "jsonl")
    second = invoke("code", tiny, "--format", "jsonl")
    assert first.exit_code == 0 and first.stdout == second.stdout


def test_names_only_example_codes_with_inferred_and_given_roles(invoke: Invoke) -> None:
    path = example("session-names-only.txt")
    inferred = jsonl(invoke("code", path, "--format", "jsonl").stdout)
    assert {r["speaker"]: r["role"] for r in inferred} == {"Dana": "therapist", "Marcus": "client"}
    swapped = jsonl(invoke("code", path, "--therapist", "Marcus", "-f", "jsonl").stdout)
    assert {r["speaker"]: r["role"] for r in swapped} == {"Dana": "client", "Marcus": "therapist"}
    assert all("behaviour" in r for r in swapped if r["speaker"] == "Marcus")
    assert all("talk_type" in r for r in swapped if r["speaker"] == "Dana")


def test_other_speaker_gets_no_code(invoke: Invoke, coder: Coder, tmp_path: Path) -> None:
    path = tmp_path / "interpreted.txt"
    path.write_text(
        "Therapist: What would you like to talk about today?\n"
        "Interpreter: She asks what you would like to talk about.\n"
        "Client: My drinking, I suppose. I want to cut down.\n",
        encoding="utf-8",
    )
    result = invoke("code", path, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = jsonl(result.stdout)
    assert [r["role"] for r in rows] == ["therapist", "other", "client"]
    for row in rows:
        check_row(row, coder.version)


# --- flags and the risk notice ------------------------------------------------------------

RISKY = (
    "Therapist: How have things been since we last met?\n"
    "Client: I've been saving up my pills so I can end it.\n"
    "Therapist: Would Tuesday at ten suit you for next time?\n"
    "Client: Yeah, Tuesday works.\n"
)


@pytest.fixture
def risky(tmp_path: Path) -> Path:
    """A fictional four-turn transcript with one unmistakable risk line."""
    path = tmp_path / "risky.txt"
    path.write_text(RISKY, encoding="utf-8")
    return path


def test_risk_line_carries_the_notice_in_jsonl(invoke: Invoke, coder: Coder, risky: Path) -> None:
    result = invoke("code", risky, "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    rows = jsonl(result.stdout)
    assert len(rows) == 4
    for row in rows:
        check_row(row, coder.version)
    assert "risk" in rows[1]["flags"]
    assert rows[1]["notice"] == RISK_NOTICE
    assert list(rows[1])[-3:] == ["flags", "notice", "model"]
    assert rows[3]["flags"] == [] and "notice" not in rows[3]
    assert all("notice" not in r for r in (rows[0], rows[2], rows[3]))


def test_risk_notice_without_text(invoke: Invoke, risky: Path) -> None:
    rows = jsonl(invoke("code", risky, "--no-text", "--format", "jsonl").stdout)
    assert rows[1]["notice"] == RISK_NOTICE and "text" not in rows[1]
    assert "pills" not in json.dumps(rows)


def test_risk_notice_in_csv(invoke: Invoke, risky: Path) -> None:
    result = invoke("code", risky, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert reader.fieldnames == CSV_HEADER
    rows = list(reader)
    assert "risk" in rows[1]["flags"].split(";")
    assert rows[1]["notice"] == RISK_NOTICE
    assert rows[3]["flags"] == "" and rows[3]["notice"] == ""


def test_risk_notice_under_the_table(invoke: Invoke, risky: Path, tmp_path: Path) -> None:
    result = invoke("code", risky, "--format", "table")
    assert result.exit_code == 0, result.stderr
    assert "flags" in result.stdout and "risk" in result.stdout
    flat = " ".join(result.stdout.split())  # the notice may wrap at the console width
    assert " ".join(f"risk: {RISK_NOTICE}".split()) in flat
    calm = tmp_path / "calm.txt"
    calm.write_text("Therapist: Does Tuesday suit you?\nClient: Yeah, Tuesday works.\n", "utf-8")
    quiet = invoke("code", calm, "--format", "table")
    assert quiet.exit_code == 0, quiet.stderr
    assert "Risk-language flag" not in quiet.stdout


def _tiered_coder(coder: Coder) -> Coder:
    """The shipped coder with a stub flag model: every score 0.5, risk raised at 0.4 with
    explicit cuts of 0.6 (so only a specific marker is explicit), other flags never."""
    stub = FlagModel(
        version="0.0.0-tiers",
        coef={f: np.zeros(FEATURE_WIDTH, dtype=np.float32) for f in FLAG_ROLES},
        intercept=dict.fromkeys(FLAG_ROLES, 0.0),
        threshold={f: 0.4 if f == "risk" else 0.99 for f in FLAG_ROLES},
        meta={},
        risk_tiers=(0.6, 0.6),
    )
    return Coder(model=coder.model_, embedder=coder.embedder_, flags=stub)


def test_worth_checking_rows_carry_their_own_notice(
    invoke: Invoke, coder: Coder, risky: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tiered = _tiered_coder(coder)
    monkeypatch.setattr("edgewise.coding.coder.Coder", lambda: tiered)
    monkeypatch.setattr("edgewise.pipeline.Coder", lambda: tiered)
    rows = jsonl(invoke("code", risky, "--format", "jsonl").stdout)
    assert [r["flags"] for r in rows] == [[], ["risk"], [], [RISK_CHECK]]
    assert [r.get("notice") for r in rows] == [None, RISK_NOTICE, None, RISK_CHECK_NOTICE]
    for row in rows:
        check_row(row, tiered.version)
    table = csv.DictReader(io.StringIO(invoke("code", risky, "--format", "csv").stdout))
    assert [r["notice"] for r in table] == ["", RISK_NOTICE, "", RISK_CHECK_NOTICE]


# --- progress ----------------------------------------------------------------------------


def test_no_progress_bar_in_cli_runner_output(invoke: Invoke) -> None:
    """Over MIN_ITEMS utterances, but the output is piped: no bar."""
    piped = invoke("code", *EXAMPLES, "--format", "jsonl")
    assert piped.exit_code == 0, piped.stderr
    assert len(jsonl(piped.stdout)) >= MIN_ITEMS
    assert piped.stderr == ""
    for glyph in BAR_GLYPHS:
        assert glyph not in piped.stdout


class _FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("total", "show", "drawn"),
    [(MIN_ITEMS, True, True), (MIN_ITEMS - 1, True, False), (MIN_ITEMS * 5, False, False)],
)
def test_progress_bar_rules(
    monkeypatch: pytest.MonkeyPatch, total: int, show: bool, drawn: bool
) -> None:
    fake = _FakeTerminal()
    monkeypatch.setattr(sys, "stderr", fake)
    with progress_bar(total, "coding", show=show) as tick:
        tick(total // 2)
        tick(total - total // 2)
    assert ("coding" in fake.getvalue()) is drawn
    assert bool(fake.getvalue()) is drawn


def test_progress_bar_needs_a_terminal_on_stderr(monkeypatch: pytest.MonkeyPatch) -> None:
    quiet = io.StringIO()
    monkeypatch.setattr(sys, "stderr", quiet)
    with progress_bar(MIN_ITEMS * 2, "coding", show=True) as tick:
        tick(MIN_ITEMS * 2)
    assert quiet.getvalue() == ""


def _run_with_terminal_stderr(*args: str | Path) -> tuple[int, str, str]:
    """Run the console script with stdout piped and stderr on a pseudo-terminal."""
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        done = subprocess.run(
            [str(EDGEWISE), *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=slave,
            timeout=180,
            check=False,
        )
    finally:
        os.close(slave)
        reader.join(timeout=10)
        os.close(master)
    return done.returncode, done.stdout.decode("utf-8"), b"".join(chunks).decode("utf-8", "replace")


def test_console_script_piped_output_has_no_bar() -> None:
    code, stdout, terminal = _run_with_terminal_stderr("code", *EXAMPLES)
    assert code == 0
    rows = jsonl(stdout)  # piped, so JSONL by default
    assert len(rows) >= MIN_ITEMS
    assert terminal.strip() == ""


def test_console_script_shows_bar_when_writing_a_file(tmp_path: Path) -> None:
    target = tmp_path / "all.csv"
    code, stdout, terminal = _run_with_terminal_stderr("code", *EXAMPLES, "--out", target)
    assert code == 0
    assert stdout == ""
    assert "coding" in terminal
    assert target.read_text(encoding="utf-8").splitlines()[0].split(",") == CSV_HEADER
    assert "Thanks for coming back" not in terminal
