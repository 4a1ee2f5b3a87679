"""Load and save the coder's trained heads (``model/coder-v1.npz`` + ``.json``).

The weights are plain numpy arrays: one linear softmax head per task (``therapist``
behaviour, ``client`` talk type, and ``subtype.<behaviour>`` for the subtypes of
reflections, questions and input), each with the temperature that calibrates it;
a model may also hold an ``unpunctuated.<task>`` head per task, trained on
stripped text, for sessions without punctuation (:func:`head_name`).
The JSON beside them holds the labels, temperatures, the context (turns before
and after, n-gram buckets), the
version string and the cross-validation figures measured when it was trained.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import DIM
from edgewise.coding.features import feature_width
from edgewise.errors import ModelError
from edgewise.fileio import atomic_write

__all__ = [
    "MODEL_NAME",
    "UNPUNCTUATED",
    "CoderModel",
    "Head",
    "default_model_dir",
    "head_name",
    "load_model",
    "save_model",
]

MODEL_NAME = "coder-v1"
#: Prefix of the heads for sessions without punctuation (``unpunctuated.therapist``).
UNPUNCTUATED = "unpunctuated"


def head_name(task: str, punctuated: bool = True) -> str:
    """The head that codes ``task`` in a punctuated session, or in one without punctuation."""
    return task if punctuated else f"{UNPUNCTUATED}.{task}"


@dataclass(frozen=True)
class Head:
    """A linear softmax classifier for one task, calibrated by a temperature."""

    labels: tuple[str, ...]
    coef: npt.NDArray[np.float32]
    intercept: npt.NDArray[np.float32]
    temperature: float = 1.0

    def logits(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Uncalibrated scores, columns in ``labels`` order.

        Each row is summed on its own in float64 (``einsum`` without BLAS), so a row scores
        the same whatever rows it is sent with: a session coded a block at a time rounds
        to exactly the probabilities of one pass (BLAS picks kernels by the number of rows,
        and float32 last-bit differences can cross a rounding boundary).
        """
        x = np.asarray(features, dtype=np.float64)
        w = np.asarray(self.coef, dtype=np.float64)
        out: npt.NDArray[np.float64] = np.einsum("ij,kj->ik", x, w, optimize=False)
        return out + np.asarray(self.intercept, dtype=np.float64)

    def probabilities(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """Calibrated row-wise label probabilities, columns in ``labels`` order."""
        logits = self.logits(features) / self.temperature
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        out: npt.NDArray[np.float64] = exp / exp.sum(axis=1, keepdims=True)
        return out


@dataclass(frozen=True)
class CoderModel:
    """Every head and the metadata they were trained with."""

    version: str
    context: int
    heads: dict[str, Head]
    meta: dict[str, Any]
    #: Below this top probability a main code is marked ``uncertain``.
    uncertain_below: float = 0.5
    #: Turns after the utterance that its features include.
    following: int = 0
    #: Hashed n-gram buckets of the utterance's own words (0: none).
    ngram_dim: int = 0
    #: Whether the features end with the utterance's question-syntax cues.
    syntax: bool = False

    @property
    def unpunctuated(self) -> bool:
        """Whether it has heads for sessions without punctuation (``unpunctuated.*``)."""
        return any(name.startswith(f"{UNPUNCTUATED}.") for name in self.heads)


def default_model_dir() -> Path:
    """The model folder shipped inside the package."""
    return Path(str(resources.files("edgewise.coding") / "model"))


def load_model(model_dir: Path | None = None) -> CoderModel:
    """The shipped (or given) coder model; ModelError if missing or inconsistent."""
    folder = model_dir or default_model_dir()
    try:
        meta = json.loads((folder / f"{MODEL_NAME}.json").read_text(encoding="utf-8"))
        data = (folder / f"{MODEL_NAME}.npz").read_bytes()
        with np.load(io.BytesIO(data)) as arrays:
            heads = {
                task: Head(
                    labels=tuple(spec["labels"]),
                    coef=arrays[f"{task}_coef"].astype(np.float32),
                    intercept=arrays[f"{task}_intercept"].astype(np.float32),
                    temperature=float(spec.get("temperature", 1.0)),
                )
                for task, spec in meta["tasks"].items()
            }
        model = CoderModel(
            version=str(meta["version"]),
            context=int(meta["context"]),
            heads=heads,
            meta=meta,
            uncertain_below=float(meta.get("uncertain_below", 0.5)),
            following=int(meta.get("following", 0)),
            ngram_dim=int(meta.get("ngram_dim", 0)),
            syntax=bool(meta.get("syntax", False)),
        )
    except (OSError, KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile) as exc:
        raise ModelError(f"coder model missing or damaged ({type(exc).__name__})") from None
    _check_shapes(model)
    return model


def _check_shapes(model: CoderModel) -> None:
    width = feature_width(
        DIM,
        model.context,
        following=model.following,
        ngram_dim=model.ngram_dim,
        syntax=model.syntax,
    )
    for task, head in model.heads.items():
        if not head.temperature > 0:
            raise ModelError(f"coder model's {task} head has a temperature that is not positive")
        if head.coef.shape != (len(head.labels), width) or head.intercept.shape != (
            len(head.labels),
        ):
            raise ModelError(f"coder model's {task} head does not match its labels or context")


def save_model(model: CoderModel, folder: Path) -> None:
    """Write ``model`` atomically (temp files renamed into place)."""
    arrays = {}
    for task, head in model.heads.items():
        arrays[f"{task}_coef"] = head.coef.astype(np.float32)
        arrays[f"{task}_intercept"] = head.intercept.astype(np.float32)
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    atomic_write(folder / f"{MODEL_NAME}.npz", buf.getvalue())
    text = json.dumps(model.meta, indent=2, sort_keys=True) + "\n"
    atomic_write(folder / f"{MODEL_NAME}.json", text.encode("utf-8"))
