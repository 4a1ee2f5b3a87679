"""benchmarks/_oof.py: folds group whole transcripts, subsets drop them, the cache round-trips."""

from __future__ import annotations

import csv
import importlib
import json
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from edgewise.domain import CodedSession, Session, Speaker, Utterance, UtteranceCode

pytest.importorskip("sklearn", reason="out-of-fold coding needs the train extra (scikit-learn)")

from edgewise.training.coder_v1 import Corpus  # noqa: E402

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def oof() -> ModuleType:
    """The benchmark helper module, imported from benchmarks/ like the scripts import it."""
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("_oof")


def _groups() -> list[str]:
    sizes = {"a": 7, "b": 3, "c": 12, "d": 5, "e": 9, "f": 4, "g": 6}
    return [tid for tid, n in sizes.items() for _ in range(n)]


def test_folds_put_each_transcript_in_one_fold_deterministically(oof: ModuleType) -> None:
    folds = oof.transcript_folds(_groups(), folds=5)
    assert set(folds) == set(_groups())
    assert set(folds.values()) == set(range(5))
    assert oof.transcript_folds(_groups(), folds=5) == folds


def test_subset_keeps_only_the_training_transcripts(oof: ModuleType) -> None:
    groups = np.array(_groups())
    corpus = Corpus(
        features={"therapist": np.arange(len(groups) * 2, dtype=np.float32).reshape(-1, 2)},
        labels={"therapist": np.array(["question"] * len(groups))},
        groups={"therapist": groups},
        sessions=7,
    )
    sub = oof._subset(corpus, {"a", "c"})
    assert set(sub.groups["therapist"].tolist()) == {"a", "c"}
    assert len(sub.features["therapist"]) == len(sub.labels["therapist"]) == 19
    assert sub.sessions == 2


def _write_csv(path: Path, rows: list[tuple[str, str, str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["transcript_id", "utterance_id", "interlocutor", "utterance_text"])
        writer.writerows(rows)


def test_gold_rows_are_in_utterance_order(oof: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    _write_csv(path, [("1", "1", "client", "Fine."), ("1", "0", "therapist", "How are you?")])
    rows = oof.gold_rows(path)
    assert [r["utterance_id"] for r in rows["1"]] == ["0", "1"]


def test_cache_key_follows_the_csv_content(oof: ModuleType, tmp_path: Path) -> None:
    path = tmp_path / "tiny.csv"
    _write_csv(path, [("1", "0", "therapist", "How are you?")])
    first = oof.cache_key(path)
    assert oof.cache_key(path) == first
    _write_csv(path, [("1", "0", "therapist", "What brings you here?")])
    assert oof.cache_key(path) != first


def test_cache_folder_round_trips(oof: ModuleType, tmp_path: Path) -> None:
    session = Session(
        id="7",
        speakers=(Speaker(name="T", role="therapist", role_source="label", role_confidence=1.0),),
        utterances=(Utterance(index=0, role="therapist", speaker="T", text="How are you?"),),
    )
    coded = CodedSession(
        session=session, codes=(UtteranceCode(index=0, behaviour="question", model="m@1"),)
    )
    emb = np.ones((1, 4), dtype=np.float32)
    (tmp_path / "7.json").write_text(coded.model_dump_json(), encoding="utf-8")
    np.save(tmp_path / "7.npy", emb)
    manifest = {"transcripts": [{"id": "7", "quality": "low", "fold": 0}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    [(back, back_emb, quality)] = oof._read(tmp_path)
    assert back == coded
    assert np.array_equal(back_emb, emb)
    assert quality == "low"
