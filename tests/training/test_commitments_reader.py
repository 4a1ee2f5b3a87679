"""The commitment reader's trainer: its follow-through examples, and (with torch) a tiny run
exported and read back by the runtime."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.commitment_reader import CommitmentReader, window
from edgewise.training import commitments_reader as trainer


def test_the_spent_sets_are_training_data() -> None:
    paths = (trainer.SPENT4, trainer.SPENT5, trainer.SPENT6, trainer.STOP)
    assert all("eval" not in str(path) for path in paths)


def test_the_written_stop_turns_are_read_with_their_labels(tmp_path: Path) -> None:
    stop = [e for e in trainer.load_all(tmp_path) if e.source == "stop1"]
    assert len(stop) == 320
    assert {label for e in stop for label in e.labels} == {
        "commitment",
        "activation",
        "taking_steps",
    }
    assert sum(not e.labels for e in stop) == 150  # the hard negatives, in the same words


def test_a_window_is_the_turn_then_the_two_before_it() -> None:
    texts = ["a", "b", "c", "d"]
    assert window(texts, 3) == "d | c | b"
    assert window(texts, 0) == "a"


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None,
    reason="fine-tuning needs the finetune extra (torch==2.13.0, transformers)",
)
def test_a_tiny_run_exports_what_the_runtime_reads(tmp_path: Path) -> None:
    examples = trainer.load_all(tmp_path)[:24]  # no AnnoMI here: the written and spent turns
    follow = trainer.load_follow(("dev",), answers=())[:16]
    follow += [e for e in trainer.load_follow((), answers=("a1",))][:4]  # outcome-only rows
    with warnings.catch_warnings():  # the TorchScript exporter's tracer warnings, on purpose
        warnings.simplefilter("ignore")
        net = trainer.train(examples, follow, epochs=1)
        size = trainer.export(net, tmp_path / "reader.onnx")
    assert 0 < size < 30_000_000
    reader = CommitmentReader(tmp_path / "reader.onnx", (0.5, 0.5, 0.5), {})
    texts, before = [e.text for e in examples[:6]], [e.before for e in examples[:6]]
    assert np.abs(reader.scores(texts, before) - trainer.predict(net, examples[:6])).max() < 0.1


def test_held_sources_stay_out_of_training(tmp_path: Path) -> None:
    examples = trainer.load_all(tmp_path)
    follow = trainer.load_follow(("v6-spent", "v20-spent", "v21-spent"), answers=())
    kept, pairs = trainer.without(examples, follow, ["spent10", "v20-spent", "v21-spent"])
    assert {e.source for e in kept} == {e.source for e in examples} - {"spent10"}
    assert {f.source for f in pairs} == {"v6-spent"}
    with pytest.raises(SystemExit, match="no such source: v99-spent"):
        trainer.without(examples, follow, ["v99-spent"])
