"""benchmarks/validity.py and its helpers: the split rule, the statistics, MIBot's folding,
and the summary table's targets."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

pytest.importorskip("sklearn", reason="the validity helpers import the train extra (scikit-learn)")

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def _module(name: str) -> ModuleType:
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module(name)


@pytest.fixture(scope="module")
def split() -> ModuleType:
    return _module("_split")


@pytest.fixture(scope="module")
def signals() -> ModuleType:
    return _module("_signals")


def test_split_is_stratified_disjoint_and_deterministic(split: ModuleType) -> None:
    quality = {str(i): "low" if i % 5 == 0 else "high" for i in range(40)}
    parts = split.make_split(quality)
    assert parts == split.make_split(dict(reversed(list(quality.items()))))
    assert not set(parts["design"]) & set(parts["report"])
    assert sorted(parts["design"] + parts["report"], key=int) == sorted(quality, key=int)
    for group in ("high", "low"):
        counts = [sum(quality[t] == group for t in parts[p]) for p in ("design", "report")]
        assert abs(counts[0] - counts[1]) <= 1


def test_committed_split_follows_the_rule_when_annomi_is_there(split: ModuleType) -> None:
    data = _module("_data")
    path = data.annomi_csv("annomi-full.csv")
    if path is None:
        pytest.skip("needs ../shared/datasets/annomi")
    assert split.make_split(split._quality(path)) == split.load_split()


def test_wilson_brackets_the_proportion(signals: ModuleType) -> None:
    lo, hi = signals.wilson(45, 50)
    assert lo < 0.9 < hi
    assert 0.0 <= lo and hi <= 1.0
    lo, hi = signals.wilson(50, 50)
    assert hi == pytest.approx(1.0) and lo < 1.0


def test_spearman_and_boot(signals: ModuleType) -> None:
    assert signals.spearman([1, 2, 3, 4], [10, 20, 30, 40]) == pytest.approx(1.0)
    assert signals.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert signals.spearman([1, 1, 1], [1, 2, 3]) is None
    lo, hi = signals.boot([0, 1] * 50, lambda s: sum(s) / len(s))
    assert lo < 0.5 < hi and hi - lo < 0.3


def test_mibot_units_fold_onto_their_turns() -> None:
    mibot = _module("_mibot")
    volleys = [
        {"interlocutor": "therapist", "utterance_text": "Hi. How are you?"},
        {"interlocutor": "client", "utterance_text": "I want to quit. But not yet. Maybe."},
        {"interlocutor": "client", "utterance_text": "I like smoking."},
    ]
    units = [
        ("therapist", "Hi.", "Other"),
        ("therapist", "How are you?", "Q"),
        ("client", "I want to quit.", "C"),
        ("client", "But not yet.", "S"),
        ("client", "Maybe.", "N"),
        ("client", "I like smoking.", "S"),
    ]
    assert mibot._talk(volleys, units) == [None, "neutral", "sustain"]


def _table(**over: Any) -> dict[str, Any]:
    recall = {"recall": 0.96, "recall_ci": (0.9, 0.99), "precision": 0.5, "false_on_negatives": 3}
    table: dict[str, Any] = {
        "risk": {
            "recall": {"set": {"screening": recall, "explicit": dict(recall, recall=0.6)}},
            "ordinary": {
                "explicit_per_20": 0.8,
                "explicit_per_20_ci": (0, 2),
                "check_notes_per_session": 2.0,
            },
            "examples": {"explicit_flags": 0},
        },
        "ruptures": {
            "set": "ruptures-v4.jsonl",
            "precision": 0.8,
            "precision_ci": (0.7, 0.9),
            "recall": 0.7,
            "recall_ci": (0.6, 0.8),
            "brief_assent_exchanges_flagged": "0/9",
            "landed_and_rupture": 1,
            "labels_in_role_words": "40/40",
            "ordinary": {"set": "o", "per_session": 0.5, "per_session_ci": (0.3, 0.7)},
        },
    }
    table.update(over)
    return table


def test_summary_marks_each_target() -> None:
    validity = _module("validity")
    marks = {row[0]: row[3] for row in validity._rows(_table())}
    assert marks["risk recall, screening, set"] is True
    assert marks["risk recall, explicit, set"] is None
    assert marks["false explicit risk flags / 20 ordinary sessions"] is True
    assert marks["rupture precision (ruptures-v4.jsonl)"] is True
    assert marks["rupture recall (ruptures-v4.jsonl)"] is False
    assert marks["  brief-assent exchanges read as ruptures"] is True
    assert marks["  moves both a landed challenge and a rupture"] is False
    assert marks["  ruptures per ordinary session (o)"] is None


def test_summary_says_when_the_rupture_set_is_missing() -> None:
    validity = _module("validity")
    rows = validity._rows(_table(ruptures={"skipped": "needs data/eval/ruptures-v4.jsonl"}))
    assert ("ruptures", "skipped: needs data/eval/ruptures-v4.jsonl", "", None) in rows
