"""benchmarks/choose_commitment_cuts.py: the runtime's rule, the guard, the tie-break."""

from __future__ import annotations

import importlib
import json
import math
from pathlib import Path
from types import ModuleType

import pytest

from edgewise.analysis import StressAnalyzer
from edgewise.coding.commitments import load_commitment_model
from edgewise.coding.model_store import default_model_dir
from edgewise.pipeline import iter_analyses

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def choose() -> ModuleType:
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("choose_commitment_cuts")


def _turn(role: str, text: str, *labels: str) -> dict[str, object]:
    return {"role": role, "text": text, "labels": list(labels)}


ROWS = [
    {
        "id": "a",
        "turns": [
            _turn("clinician", "What will you do before we next meet?"),
            _turn("client", "I'll ring the clinic on Monday and book the scan.", "commitment"),
            _turn("clinician", "Will you call your sister this week?"),
            _turn("client", "Yes. Wednesday.", "commitment"),
            _turn("clinician", "How has the week been?"),
            _turn("client", "I walked to work three times, like we said.", "taking_steps"),
            _turn("clinician", "And the evenings?"),
            _turn("client", "Quiet. The dog was ill, mostly."),
        ],
    },
    {
        "id": "b",
        "turns": [
            _turn("client", "I'm going to stop drinking.", "commitment"),
            _turn("clinician", "Say more."),
            _turn("client", "I'd be willing to try the class.", "activation"),
        ],
    },
]


def test_the_rule_gives_what_the_app_gives_at_the_readers_own_cuts(choose: ModuleType) -> None:
    model = load_commitment_model(default_model_dir())
    if model is None or model.reader is None:
        pytest.skip("no commitment reader shipped")
    reader = model.reader
    floors = reader.backstop or (math.inf,) * 3
    turns = choose.read_turns(model, ROWS)
    mine = [
        {
            label
            for j, label in enumerate(("commitment", "activation", "taking_steps"))
            if choose.said(turn, j, reader.thresholds[j], floors[j])
        }
        for turn in turns
    ]
    sessions = [choose._session(r) for r in ROWS]
    app: list[set[str]] = []
    for session, done in zip(
        sessions, iter_analyses(sessions, analyzer=StressAnalyzer(commitments=model)), strict=True
    ):
        given = {c.index: set(c.labels) for c in done.analysis.commitments}
        app += [given.get(u.index, set()) for u in session.utterances if u.role == "client"]
    assert mine == app
    assert any(mine)  # the set is not read as empty by both


def _cut(choose: ModuleType, t: float, f: float, f1: float, guarded: bool = True) -> object:
    return choose.Cut(t, f, 0.0, 0.0, f1, guarded)


def test_the_pick_keeps_the_guard_and_prefers_the_readers_own_cuts(choose: ModuleType) -> None:
    own = (0.9, 0.1)
    cuts = [
        _cut(choose, 0.5, 0.1, 0.90, guarded=False),  # best, but loses a guard turn
        _cut(choose, 0.8, 0.3, 0.80),
        _cut(choose, 0.9, 0.3, 0.798),  # within the tie, one change
        _cut(choose, 0.95, 0.1, 0.797),  # within the tie, one change, further threshold
        _cut(choose, 0.9, 0.1, 0.70),
    ]
    chosen = choose.pick(cuts, own)
    assert (chosen.threshold, chosen.floor) == (0.9, 0.3)
    assert choose.pick([_cut(choose, 0.5, 0.1, 0.9, guarded=False)], own) is None


def test_said_follows_threshold_answer_and_backstop(choose: ModuleType) -> None:
    turn = choose.Turn(
        frozenset(), (0.6, 0.2, 0.05), (False, True, False), frozenset({"commitment"})
    )
    assert choose.said(turn, 0, 0.5, math.inf)  # the threshold
    assert not choose.said(turn, 0, 0.7, math.inf)
    assert choose.said(turn, 0, 0.7, 0.5)  # version 4 gives it, the floor is reached
    assert not choose.said(turn, 0, 0.7, 0.7)
    assert not choose.said(turn, 1, 0.9, 0.01)  # asked, but under the answer cut
    assert not choose.said(turn, 2, 0.9, 0.01)  # the floor needs version 4's label


def test_prints_each_label_and_no_text(
    choose: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if load_commitment_model(default_model_dir()) is None:
        pytest.skip("no commitment model shipped")
    path = tmp_path / "sessions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in ROWS) + "\n", encoding="utf-8")
    guard = tmp_path / "guard.jsonl"
    guard.write_text(json.dumps(ROWS[1]) + "\n", encoding="utf-8")
    assert choose.main([str(path), "--guard", str(guard)]) == 0
    out = capsys.readouterr().out
    assert "6 client turns" in out
    for label in ("commitment", "activation", "taking_steps"):
        assert label in out.splitlines()
    assert out.count("  own cuts") == 3 and out.count("  pick") == 3
    assert "summed F1" in out
    assert "dog" not in out and "clinic" not in out and "sister" not in out
