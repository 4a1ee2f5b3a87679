"""The commitment reader: a fine-tuned MiniLM that reads a client turn with the turn before it.

Commitment model 5 scores each client turn for commitment, activation and taking steps
with all-MiniLM-L6-v2 fine-tuned for the task (``python -m
edgewise.training.commitments_reader``), shipped as an int8 ONNX file
(``model/commitments-reader.onnx``) and run by onnxruntime. The input is a text pair, the
clinician turn before and the client turn, tokenised with the package's own
``tokenizer.json`` (the same file the embedder uses), truncated together to
:data:`MAX_TOKENS`; the first outputs are one logit per label of :data:`LABELS
<edgewise.coding.commitment_cues.LABELS>`.

The same network has a second head, trained with it, for **follow-through** (matcher
version 3, :mod:`edgewise.analysis.followthrough`): the pair is an action step and a
*window* of a later session (:func:`window`: a client turn, then the two turns before it),
truncated to :data:`FOLLOW_TOKENS`, and the last four outputs are the logits of
:data:`FOLLOW_CLASSES` (the window is not about the step, or says it was done, partly done,
not done). Training tokenises with :func:`encode_pairs` too, so the model sees the same ids
in both.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.commitment_cues import LABELS
from edgewise.coding.model_store import default_model_dir
from edgewise.errors import ModelError

__all__ = [
    "FOLLOW_CLASSES",
    "FOLLOW_TOKENS",
    "MAX_TOKENS",
    "READER_NAME",
    "CommitmentReader",
    "PairBatch",
    "encode_pairs",
    "load_reader",
    "pair_tokenizer",
    "pooled_outcome",
    "shipped_reader",
    "step_text",
    "window",
]

#: File stem of the reader in the model folder (``.onnx`` and ``.json``).
READER_NAME = "commitments-reader"
#: The pair (turn before, client turn) is truncated to this many tokens, longest first.
MAX_TOKENS = 128
#: A follow-through pair (step, window) is truncated to this many tokens.
FOLLOW_TOKENS = 192
#: The follow-through head's classes, in the order of its outputs.
FOLLOW_CLASSES = ("unrelated", "done", "partly", "not_done")


def pooled_outcome(chances: npt.NDArray[np.floating[Any]], evidence: npt.NDArray[np.bool_]) -> str:
    """Matcher 3.1's outcome: of done, partly and not done, the one with the most chance
    summed over the ``evidence`` rows of the follow-through head's ``chances`` (one row per
    window, columns :data:`FOLLOW_CLASSES`); ``not_mentioned`` without evidence. The
    runtime and the trainer both decide with it."""
    if not evidence.any():
        return "not_mentioned"
    return FOLLOW_CLASSES[1 + int(np.argmax(chances[evidence, 1:].sum(axis=0)))]


#: (input_ids, attention_mask, token_type_ids), each (rows, width), int64.
PairBatch = tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]


def pair_tokenizer(max_tokens: int = MAX_TOKENS) -> Any:
    """The package's tokenizer, set for pairs: no padding, longest-first truncation."""
    from tokenizers import Tokenizer

    text = (resources.files("edgewise.coding") / "model" / "tokenizer.json").read_text("utf-8")
    tokenizer = Tokenizer.from_str(text)
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_tokens, strategy="longest_first")
    return tokenizer


def window(texts: Sequence[str], index: int) -> str:
    """What the follow-through head reads of a later session at turn ``index``: that turn,
    then the two before it (nearest first), joined by " | "."""
    return " | ".join(texts[i] for i in range(index, max(-1, index - 3), -1))


def step_text(what: str, when: str | None) -> str:
    """The step as a reader trained with its time reads it: the client's words, then when,
    if said and not in the words already ("call Rhodri (on wednesday)"), so that "How did
    Wednesday go?" can be read as about it."""
    if not when or when.lower() in what.lower():
        return what
    return f"{what} ({when})"


def encode_pairs(tokenizer: Any, before: Sequence[str], texts: Sequence[str]) -> PairBatch:
    """Ids, mask and segment ids of each (turn before, client turn), padded to the longest.

    A turn with nothing before it is read alone (one segment)."""
    encoded = [
        tokenizer.encode(b, t) if b.strip() else tokenizer.encode(t)
        for b, t in zip(before, texts, strict=True)
    ]
    width = max((len(e.ids) for e in encoded), default=1)
    ids = np.zeros((len(encoded), width), dtype=np.int64)
    mask = np.zeros_like(ids)
    types = np.zeros_like(ids)
    for row, e in enumerate(encoded):
        n = len(e.ids)
        ids[row, :n] = e.ids
        mask[row, :n] = 1
        types[row, :n] = e.type_ids
    return ids, mask, types


@dataclass
class CommitmentReader:
    """Scores client turns, with the turn before each, for the three labels."""

    path: Path
    #: per label, the score at which it is given (the reader's ``.json``).
    thresholds: tuple[float, ...]
    meta: dict[str, Any]
    threads: int | None = None
    _session: Any = field(default=None, init=False, repr=False)
    _tokenizer: Any = field(default=None, init=False, repr=False)
    _follow_tokenizer: Any = field(default=None, init=False, repr=False)

    @property
    def version(self) -> str:
        """The reader's version (its ``.json``)."""
        return str(self.meta.get("version", ""))

    @property
    def follows(self) -> bool:
        """Whether the network has the follow-through head."""
        return bool(self.meta.get("follow_through"))

    @property
    def reads_when(self) -> bool:
        """Whether the follow-through head was trained on steps with their time
        (:func:`step_text`)."""
        return bool(self.meta.get("follow_through", {}).get("step_when", False))

    @property
    def backstop(self) -> tuple[float, ...] | None:
        """Per label, the reader's score at or above which version 4's cues may give it
        too (:meth:`CommitmentModel.read <edgewise.coding.commitments.CommitmentModel.read>`);
        None: the reader alone decides. The ``.json``'s ``backstop.floor`` is one number
        for every label or one per label name (a label it leaves out, or null, is never
        given by the cues: its floor is infinite)."""
        floor = self.meta.get("backstop", {}).get("floor")
        if floor is None:
            return None
        if isinstance(floor, dict) and not set(floor) <= set(LABELS):
            raise ValueError("a floor for a label the reader does not have")
        if isinstance(floor, dict):
            floors = tuple(
                float("inf") if floor.get(k) is None else float(floor[k]) for k in LABELS
            )
        else:
            floors = tuple(float(floor) for _ in LABELS)
        if not all(f >= 0 for f in floors):  # NaN fails too
            raise ValueError("a negative floor")
        return floors

    @property
    def mention(self) -> float:
        """The follow-through head's chance that a window is about the step, at or above
        which the step counts as mentioned."""
        return float(self.meta.get("follow_through", {}).get("mention", 0.5))

    def _load(self) -> None:
        import onnxruntime as ort

        try:
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = 1  # pairs run side by side instead (_logits)
            opts.log_severity_level = 3
            opts.enable_cpu_mem_arena = False
            opts.enable_mem_pattern = False
            self._session = ort.InferenceSession(
                str(self.path), opts, providers=["CPUExecutionProvider"]
            )
            self._tokenizer = pair_tokenizer()
            self._follow_tokenizer = pair_tokenizer(FOLLOW_TOKENS)
        except Exception as exc:  # a broken install, not user input
            raise ModelError(f"cannot load the commitment reader ({type(exc).__name__})") from None

    def _logits(self, first: Sequence[str], second: Sequence[str], follow: bool) -> Any:
        """The network's logits of each pair, in input order.

        One pair per call: the int8 network quantises its activations on the fly, over
        the whole input, so padding in a batch would move a pair's scores. Alone, a pair
        always gets the same ones. Short pairs gain nothing from several threads inside
        one call, so the calls run side by side instead, one thread each (``threads``
        workers, by default one per core): the same scores in about half the time on two
        cores."""
        if self._session is None:
            self._load()
        tokenizer = self._follow_tokenizer if follow else self._tokenizer
        session = self._session

        def run(pair: tuple[str, str]) -> npt.NDArray[np.float64]:
            ids, mask, types = encode_pairs(tokenizer, [pair[0]], [pair[1]])
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            return np.asarray(session.run(None, feeds)[0][0], dtype=np.float64)

        pairs = list(zip(first, second, strict=True))
        workers = min(len(pairs), self.threads or os.cpu_count() or 1)
        if workers <= 1:
            return np.vstack([run(p) for p in pairs])
        with ThreadPoolExecutor(workers) as pool:
            return np.vstack(list(pool.map(run, pairs)))

    def scores(self, texts: Sequence[str], before: Sequence[str]) -> npt.NDArray[np.float32]:
        """One row per client turn, one column per label: the sigmoid of the reader's logit."""
        labels = len(self.thresholds)
        if not texts:
            return np.zeros((0, labels), dtype=np.float32)
        logits = self._logits(before, texts, follow=False)[:, :labels]
        out: npt.NDArray[np.float32] = (1 / (1 + np.exp(-np.clip(logits, -30, 30)))).astype(
            np.float32
        )
        return out

    def follow_scores(self, step: str, windows: Sequence[str]) -> npt.NDArray[np.float64]:
        """One row per window, one column per :data:`FOLLOW_CLASSES`: the follow-through
        head's softmax."""
        if not windows:
            return np.zeros((0, len(FOLLOW_CLASSES)))
        logits = self._logits([step] * len(windows), windows, follow=True)
        logits = logits[:, len(self.thresholds) : len(self.thresholds) + len(FOLLOW_CLASSES)]
        shifted = np.exp(logits - logits.max(axis=1, keepdims=True))
        out: npt.NDArray[np.float64] = shifted / shifted.sum(axis=1, keepdims=True)
        return out


def load_reader(folder: Path) -> CommitmentReader | None:
    """The reader in ``folder`` (``commitments-reader.onnx`` and ``.json``), or None."""
    onnx, card = folder / f"{READER_NAME}.onnx", folder / f"{READER_NAME}.json"
    if not (onnx.is_file() and card.is_file()):
        return None
    try:
        meta = json.loads(card.read_text(encoding="utf-8"))
        if list(meta["labels"]) != list(LABELS):
            raise ValueError("labels")
        thresholds = tuple(float(meta["thresholds"][label]) for label in LABELS)
        reader = CommitmentReader(onnx, thresholds, meta)
        _ = reader.backstop  # a damaged floor fails here, with the rest of the card
    except Exception as exc:  # any damage to the card is a model error
        raise ModelError(f"commitment reader damaged ({type(exc).__name__})") from None
    return reader


@cache
def shipped_reader() -> CommitmentReader | None:
    """The package's reader, loaded once (commitments and follow-through share it)."""
    return load_reader(default_model_dir())
