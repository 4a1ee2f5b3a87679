"""benchmarks/bench_commitment_sessions.py: sessions read whole, counts per label."""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """The benchmark module, imported from benchmarks/ like the scripts import it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("bench_commitment_sessions")


def _turn(role: str, text: str, *labels: str) -> dict[str, object]:
    return {"role": role, "text": text, "labels": list(labels)}


def test_session_roles_follow_the_writers_words(bench: ModuleType) -> None:
    row = {"id": "s1", "turns": [_turn("clinician", "Hello."), _turn("client", "Hi.")]}
    session = bench._session(row)
    assert [u.role for u in session.utterances] == ["therapist", "client"]
    assert [u.index for u in session.utterances] == [0, 1]


def test_counts_pool_every_session(bench: ModuleType) -> None:
    found = [
        {
            "commitment": ({1, 3}, {1, 5}),
            "activation": (set(), set()),
            "taking_steps": ({3}, set()),
        },
        {"commitment": (set(), {2}), "activation": ({1}, {1}), "taking_steps": (set(), set())},
    ]
    assert bench._counts(found, "commitment") == (1, 2, 1)
    assert bench._precision(found, "commitment") == pytest.approx(1 / 3)
    assert bench._recall(found, "taking_steps") == 0.0
    assert bench._precision(found, "taking_steps") is None


def test_prints_a_row_per_label_and_no_text(
    bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [
        {
            "id": "a",
            "turns": [
                _turn("clinician", "What will you do before we next meet?"),
                _turn("client", "I'll ring the clinic on Monday and book the scan.", "commitment"),
                _turn("clinician", "How has the week been?"),
                _turn("client", "Quiet. The dog was ill, mostly."),
            ],
        }
    ]
    path = tmp_path / "sessions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    assert bench.main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "1 sessions, 2 client turns" in out
    # the one commitment is found at its own turn: one true positive, nothing else
    row = next(line for line in out.splitlines() if line.startswith("commitment"))
    assert row.split()[1:5] == ["1", "1", "0", "0"]
    for label in ("commitment", "activation", "taking_steps"):
        assert any(line.startswith(label) for line in out.splitlines())
    assert "dog" not in out and "clinic" not in out


def test_unknown_roles_and_empty_files_are_usage_errors(bench: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "sessions.jsonl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(SystemExit):
        bench.main([str(path)])
    row = {"id": "a", "turns": [_turn("therapist", "Hello."), _turn("client", "Hi.")]}
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(SystemExit):
        bench.main([str(path)])
