"""``edgewise draft``: growing-edge drafts with the turns they cite, as text or JSON."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

from edgewise.analysis.drafts import Draft, client_words
from edgewise.analysis.voice import first_person_left

Invoke = Callable[..., Result]


def test_draft_prints_drafts_with_turns(invoke: Invoke, examples_dir: Path) -> None:
    result = invoke("draft", examples_dir / "session-alcohol.txt")
    assert result.exit_code == 0, result.stderr
    assert "double-sided reflection" in result.stdout
    assert "feeling torn" in result.stdout
    assert "(ready):" in result.stdout and "(holding back):" in result.stdout


def test_draft_json_one_line_per_session(invoke: Invoke, examples_dir: Path) -> None:
    result = invoke("draft", examples_dir / "sessions-multi.csv", "--json")
    assert result.exit_code == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == 3
    drafts = [Draft.model_validate(d) for line in lines for d in line["drafts"]]
    assert drafts
    for d in drafts:
        assert len(d.citations) >= 2
        assert all(not first_person_left(part) for part in client_words(d))


def test_draft_across_sessions(invoke: Invoke, examples_dir: Path) -> None:
    result = invoke("draft", examples_dir / "sessions-multi.csv", "--across", "--json")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert json.loads(lines[0])["session_id"].startswith("across ")


def test_draft_bad_file_is_a_coded_error(invoke: Invoke, tmp_path: Path) -> None:
    result = invoke("draft", tmp_path / "missing.txt")
    assert result.exit_code == 2
    assert "E10" in result.stderr
    assert "Traceback" not in result.stderr
