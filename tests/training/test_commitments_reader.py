"""The commitment reader's trainer: its follow-through examples, and (with torch) a tiny run
exported and read back by the runtime."""

from __future__ import annotations

import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.commitment_reader import FOLLOW_CLASSES, CommitmentReader, window
from edgewise.coding.features import stripped
from edgewise.training import commitments_reader as trainer


def test_a_window_is_the_turn_then_the_two_before_it() -> None:
    texts = ["a", "b", "c", "d"]
    assert window(texts, 3) == "d | c | b"
    assert window(texts, 0) == "a"


def test_follow_examples_settle_on_their_turn_and_swap_steps_as_unrelated() -> None:
    found = trainer.load_follow(("dev", "v4-spent"))
    by_label = {label: [e for e in found if e.label == k] for k, label in enumerate(FOLLOW_CLASSES)}
    assert all(by_label.values())
    settled = {(e.step, e.window) for e in found if e.label > 0}
    swapped = [e for e in by_label["unrelated"] if any(e.window == w for _, w in settled)]
    assert len(swapped) == len(settled) * trainer.SWAPS
    assert all((e.step, e.window) not in settled for e in swapped)  # always another step
    assert {e.source for e in found} == {"dev", "v4-spent"}


def test_every_other_pair_is_read_again_as_captions() -> None:
    plain = trainer.load_follow(("v4-spent",), captions=False)
    both = trainer.load_follow(("v4-spent",), captions=True)
    settled = [e for e in both if e.label > 0]
    as_captions = {(e.step, stripped(e.window), e.label) for e in plain if e.label > 0}
    copies = [e for e in settled if e not in plain]
    assert 0 < len(copies) < len(settled) - len(copies) + 2  # about every other pair
    assert all((e.step, e.window, e.label) in as_captions for e in copies)
    assert all(e.window == stripped(e.window) for e in copies)


def test_the_sources_never_include_an_evaluation_set() -> None:
    assert all("eval" not in str(trainer.FOLLOW / s) for s in trainer.FOLLOW_SOURCES)
    assert "eval" not in str(trainer.SPENT5)


@pytest.mark.skipif(
    importlib.util.find_spec("torch") is None or importlib.util.find_spec("transformers") is None,
    reason="fine-tuning needs the finetune extra (torch==2.13.0, transformers)",
)
def test_a_tiny_run_exports_what_the_runtime_reads(tmp_path: Path) -> None:
    examples = trainer.load_all(tmp_path)[:24]  # no AnnoMI here: the written and spent turns
    follow = trainer.load_follow(("dev",))[:16]
    with warnings.catch_warnings():  # the TorchScript exporter's tracer warnings, on purpose
        warnings.simplefilter("ignore")
        net = trainer.train(examples, follow, epochs=1)
        size = trainer.export(net, tmp_path / "reader.onnx")
    assert 0 < size < 30_000_000
    reader = CommitmentReader(tmp_path / "reader.onnx", (0.5, 0.5, 0.5), {})
    texts, before = [e.text for e in examples[:6]], [e.before for e in examples[:6]]
    assert np.abs(reader.scores(texts, before) - trainer.predict(net, examples[:6])).max() < 0.1
