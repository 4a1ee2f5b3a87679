"""benchmarks/bench_stripped.py: stripped sessions, transcript bootstrap, scoring, skipping."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from edgewise.coding.coder import Coder
from edgewise.domain import Session, Utterance

pytest.importorskip("sklearn", reason="the benchmark needs the train extra (scikit-learn)")

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    """The benchmark module, imported from benchmarks/ like the scripts import it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("bench_stripped")


def _session() -> Session:
    return Session(
        id="3",
        utterances=(
            Utterance(index=0, role="therapist", speaker="T", text="So, what brings you in?"),
            Utterance(index=1, role="client", speaker="C", text="I DON'T know -- my wife."),
        ),
    )


def test_strip_session_strips_every_text_and_keeps_the_rest(bench: ModuleType) -> None:
    session = _session()
    bare = bench.strip_session(session)
    assert [u.text for u in bare.utterances] == ["so what brings you in", "i dont know my wife"]
    assert bare.id == session.id
    assert [(u.index, u.role, u.speaker) for u in bare.utterances] == [
        (u.index, u.role, u.speaker) for u in session.utterances
    ]


def test_bootstrap_resamples_whole_transcripts(bench: ModuleType) -> None:
    y = np.array([0, 0, 1, 1, 1])
    groups = np.array(["a", "a", "b", "b", "c"])
    probs = {"x": np.eye(2)[y].astype(np.float64)}

    def share(yy: np.ndarray, pp: np.ndarray) -> float:  # rows of "a" come in pairs
        return float((yy == 0).sum())

    out = bench.bootstrap(y, probs, groups, share, resamples=200, seed=1)
    assert len(out["x"]) == 200
    assert all(v % 2 == 0 for v in out["x"])
    assert out == bench.bootstrap(y, probs, groups, share, resamples=200, seed=1)


def test_evaluate_scores_written_and_stripped(bench: ModuleType, coder: Coder) -> None:
    gold = {
        "3": [
            {"interlocutor": "therapist", "main_therapist_behaviour": "question"},
            {"interlocutor": "client", "client_talk_type": "neutral"},
        ]
    }
    scored = bench.evaluate(coder, [_session()], gold)
    assert set(scored) == {"therapist", "client"}
    for task, labels in (("therapist", 4), ("client", 3)):
        assert scored[task].groups.tolist() == ["3"]
        for name in ("written", "stripped"):
            p = scored[task].probs[name]
            assert p.shape == (1, labels)
            assert p.sum() == pytest.approx(1.0, abs=1e-3)
    assert scored["therapist"].y.tolist() == [0] and scored["client"].y.tolist() == [1]


def test_main_skips_without_the_data(
    bench: ModuleType, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(bench, "annomi_csv", lambda name: None)
    assert bench.main() == 0
    assert capsys.readouterr().out.startswith("skipped:")
