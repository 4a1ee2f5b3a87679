"""``edgewise read`` on the bundled examples, ``--json`` round trips, roles, help and version."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

import edgewise
from edgewise.readers import read_sessions
from edgewise.readers.jsonfmt import dump_json, load_json_text
from edgewise.readers.roles import RoleOptions

Invoke = Callable[..., Result]
EXAMPLES = sorted(
    p
    for p in (Path(__file__).parents[2] / "examples").iterdir()
    if p.is_file() and p.name != "README.md"
)
NAMES_ONLY = "session-names-only.txt"


def test_examples_are_all_there() -> None:
    suffixes = {p.suffix for p in EXAMPLES}
    assert {".txt", ".vtt", ".srt", ".docx", ".json", ".csv"} <= suffixes


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_read_every_example(invoke: Invoke, path: Path) -> None:
    result = invoke("read", path)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    expected = read_sessions(path, roles=RoleOptions(strict=False))
    for session in expected:
        assert f"session {session.id}" in result.stdout
        assert f"{len(session.utterances)} utterances" in result.stdout
        for speaker in session.speakers:
            assert speaker.name in result.stdout
    assert "Traceback" not in result.stdout


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_read_json_round_trips(invoke: Invoke, path: Path) -> None:
    result = invoke("read", path, "--json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["format"] == "edgewise.session" and document["version"] == 1
    sessions = load_json_text(result.stdout, "stdout")
    assert sessions == read_sessions(path, roles=RoleOptions(strict=False))
    assert dump_json(sessions) == result.stdout


def test_read_json_output_reads_back_as_input(invoke: Invoke, tmp_path: Path) -> None:
    """What ``read --json`` prints is itself an input ``read`` and ``code`` accept."""
    source = next(p for p in EXAMPLES if p.name == "session-teams.vtt")
    first = invoke("read", source, "--json")
    copy = tmp_path / "copy.json"
    copy.write_text(first.stdout, encoding="utf-8")
    again = invoke("read", copy, "--json")
    assert again.exit_code == 0, again.stderr
    (before,) = load_json_text(first.stdout, "first")
    (after,) = load_json_text(again.stdout, "again")
    assert after.utterances == before.utterances
    assert [(s.name, s.role) for s in after.speakers] == [(s.name, s.role) for s in before.speakers]
    assert after.source == str(copy)


def test_json_example_keeps_source_ids(invoke: Invoke) -> None:
    path = next(p for p in EXAMPLES if p.suffix == ".json")
    (session,) = load_json_text(invoke("read", path, "--json").stdout, "stdout")
    ids = [u.source_id for u in session.utterances]
    assert ids[:3] == ["u001", "u002", "u003"]
    assert len(set(ids)) == len(ids)


def test_multi_session_csv_lists_three_sessions(invoke: Invoke) -> None:
    path = next(p for p in EXAMPLES if p.name == "sessions-multi.csv")
    result = invoke("read", path)
    assert result.exit_code == 0
    assert result.stdout.count("session ") >= 3
    sessions = load_json_text(invoke("read", path, "--json").stdout, "stdout")
    assert len(sessions) == 3 and sessions[0].id == "couple-01"


def test_names_only_shows_inferred_roles(invoke: Invoke, examples_dir: Path) -> None:
    path = examples_dir / NAMES_ONLY
    result = invoke("read", path)
    assert result.exit_code == 0
    assert "inferred" in result.stdout
    (session,) = load_json_text(invoke("read", path, "--json").stdout, "stdout")
    roles = {s.name: (s.role, s.role_source) for s in session.speakers}
    assert roles == {"Dana": ("therapist", "inferred"), "Marcus": ("client", "inferred")}
    assert "warning" not in result.stdout  # confident enough: no guess warning


def test_therapist_option_overrides_inference(invoke: Invoke, examples_dir: Path) -> None:
    path = examples_dir / NAMES_ONLY
    result = invoke("read", path, "--therapist", "Marcus")
    assert result.exit_code == 0
    assert "option" in result.stdout
    (session,) = load_json_text(
        invoke("read", path, "--therapist", "Marcus", "--json").stdout, "stdout"
    )
    assert session.speaker("Marcus") is not None
    assert session.speaker("Marcus").role == "therapist"  # type: ignore[union-attr]
    assert session.speaker("Marcus").role_source == "option"  # type: ignore[union-attr]
    assert session.speaker("Dana").role == "client"  # type: ignore[union-attr]
    assert {u.role for u in session.utterances if u.speaker == "Marcus"} == {"therapist"}


def test_read_warns_instead_of_failing_when_roles_are_a_guess(
    invoke: Invoke, tmp_path: Path
) -> None:
    path = tmp_path / "short.txt"
    path.write_text("Alex: Hello.\nSam: Hi.\n", encoding="utf-8")
    result = invoke("read", path)
    assert result.exit_code == 0, result.stderr
    assert "inferred" in result.stdout
    assert "warning" in result.stdout and "--therapist" in result.stdout


def test_read_input_format_option(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "transcript.log"
    path.write_text("Therapist: How are you?\nClient: Fine.\n", encoding="utf-8")
    assert invoke("read", path).exit_code == 2
    for flag in ("--format", "--input-format", "-i"):
        result = invoke("read", path, flag, "text")
        assert result.exit_code == 0, (flag, result.stderr)
        assert "2 utterances" in result.stdout


def test_read_csv_column_options(invoke: Invoke, tmp_path: Path) -> None:
    path = tmp_path / "custom.csv"
    path.write_text(
        "visit,who,said\nv1,Therapist,How are you?\nv1,Client,Fine.\n", encoding="utf-8"
    )
    result = invoke(
        "read", path, "--session-col", "visit", "--speaker-col", "who", "--text-col", "said"
    )
    assert result.exit_code == 0, result.stderr
    assert "session v1" in result.stdout


@pytest.mark.parametrize("command", [[], ["read"], ["code"]])
def test_help(invoke: Invoke, command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Usage" in result.stdout


def test_no_arguments_shows_help(invoke: Invoke) -> None:
    result = invoke()
    assert "Usage" in result.stdout + result.stderr
    assert "read" in result.stdout + result.stderr


def test_version(invoke: Invoke) -> None:
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.stdout.strip() == f"edgewise {edgewise.__version__}"


def test_console_script_version() -> None:
    script = Path(sys.executable).with_name("edgewise")
    done = subprocess.run(
        [str(script), "--version"], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"edgewise {edgewise.__version__}"
    assert done.stderr == ""
