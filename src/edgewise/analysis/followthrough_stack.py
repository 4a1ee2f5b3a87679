"""Matcher 3.2: one small logistic model reads a step's follow-through from the whole session.

Matcher 3.1 (:func:`edgewise.analysis.followthrough._by_reader`) takes the outcome with
the most chance summed over the client turns the commitment reader reads as about the
step. Matcher 3.2 keeps those per-turn readings and lets a multinomial logistic model
(four classes: done, partly, not done, not mentioned) weigh them, with version 2's
evidence scorer and outcome reader (:mod:`edgewise.analysis.followthrough_model`), over
the :data:`STACK_FEATURES` of one step in one later session:

- how much of the session the reader reads as about the step (the largest and the summed
  chance, in logs);
- at three cuts (0.05, 0.15, 0.5): how many turns reach it, and the shares of done, partly
  and not done in the outcome chances summed over them;
- the outcome chances summed over every client turn (in logs);
- the outcome shares at the turn most about the step;
- version 2's best evidence chance, and at that turn the reader's chance of it being about
  the step and its outcome shares;
- version 2's outcome reader at that turn and at the reader's top turn.

The model is tied to one reader (``reader`` in its file): its weights were fitted on the
reader's outputs for pairs the reader never trained on, so another reader's outputs would
be read with the wrong weights, and :func:`follow_through_steps
<edgewise.analysis.followthrough.follow_through_steps>` then reads with matcher 3.1. Written by
``python -m edgewise.training.followthrough_stack`` (``followthrough-stack.json`` in the
model folder); pure and storage-free.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.analysis.followthrough_model import Linear
from edgewise.coding.model_store import default_model_dir
from edgewise.errors import ModelError

__all__ = [
    "CUTS",
    "STACK_CLASSES",
    "STACK_FEATURES",
    "STACK_NAME",
    "StackModel",
    "default_stack",
    "load_stack",
    "stack_features",
    "stack_json",
    "tops",
]

STACK_NAME = "followthrough-stack"
#: The classes the model tells apart, in the order of its rows.
STACK_CLASSES = ("done", "partly", "not_done", "not_mentioned")
#: The chances of being about the step at which turns are counted and pooled.
CUTS = (0.05, 0.15, 0.5)
_SHARES = ("done", "partly", "not_done")
STACK_FEATURES: tuple[str, ...] = (
    "log_about_max",
    "log_about_sum",
    *(f"{name}_{cut}" for cut in CUTS for name in ("turns", *(f"share_{s}" for s in _SHARES))),
    *(f"log_sum_{s}" for s in _SHARES),
    *(f"top_share_{s}" for s in _SHARES),
    "v2_evidence_max",
    "v2_top_about",
    *(f"v2_top_share_{s}" for s in _SHARES),
    *(f"v2_top_v2_{s}" for s in _SHARES),
    *(f"top_v2_{s}" for s in _SHARES),
)
_TINY = 1e-4


@dataclass(frozen=True)
class StackModel:
    """The logistic model and the reader version whose outputs it reads."""

    reader: str
    model: Linear
    meta: dict[str, Any]

    def read(self, features: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The chance of each of :data:`STACK_CLASSES` for one row of features."""
        out: npt.NDArray[np.float64] = self.model.softmax(features[None, :])[0]
        return out


def _shares(chances: npt.NDArray[np.float64]) -> list[float]:
    total = float(chances.sum())
    return [float(c) / total for c in chances] if total > 0 else [0.0, 0.0, 0.0]


def tops(chances: npt.NDArray[np.float64], topic: npt.NDArray[np.float64]) -> tuple[int, int]:
    """The row most about the step by the reader, and the row version 2's evidence scorer
    likes best (rows of the step's client turns)."""
    return int(np.argmax(1.0 - chances[:, 0])), int(np.argmax(topic))


def stack_features(
    chances: npt.NDArray[np.float64],
    topic: npt.NDArray[np.float64],
    v2_at_topic: npt.NDArray[np.float64],
    v2_at_top: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """The :data:`STACK_FEATURES` of one step: ``chances`` the reader's follow-through
    softmax per client turn (unrelated, done, partly, not done; a turn another step owns
    reads as unrelated), ``topic`` version 2's evidence chance per turn, ``v2_at_topic``
    and ``v2_at_top`` version 2's outcome chances at the two :func:`tops`."""
    about, said = 1.0 - chances[:, 0], chances[:, 1:]
    top, best = tops(chances, topic)
    out = [float(np.log(about.max() + _TINY)), float(np.log(about.sum() + _TINY))]
    for cut in CUTS:
        at = about >= cut
        out += [float(at.sum()), *_shares(said[at].sum(axis=0))]
    out += [float(v) for v in np.log(said.sum(axis=0) + _TINY)]
    out += _shares(said[top])
    out += [float(topic.max()), float(about[best]), *_shares(said[best])]
    out += [float(v) for v in v2_at_topic] + [float(v) for v in v2_at_top]
    return np.asarray(out, dtype=np.float64)


def stack_json(model: StackModel) -> str:
    """The model as the JSON its file holds."""
    data = {
        "classes": list(STACK_CLASSES),
        "features": list(STACK_FEATURES),
        "reader": model.reader,
        "model": model.model.as_json(),
        "meta": model.meta,
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def load_stack(folder: Path) -> StackModel | None:
    """The stacked model in ``folder``, or None when it ships none."""
    path = folder / f"{STACK_NAME}.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = StackModel(str(data["reader"]), Linear.from_json(data["model"]), data["meta"])
        names = (tuple(data["classes"]), tuple(data["features"]))
    except Exception as exc:  # any damage to a shipped file is a model error
        raise ModelError(f"follow-through stack damaged ({type(exc).__name__})") from None
    if names != (STACK_CLASSES, STACK_FEATURES) or model.model.coef.shape != (
        len(STACK_CLASSES),
        len(STACK_FEATURES),
    ):
        raise ModelError("follow-through stack's weights do not match its features")
    return model


@cache
def default_stack() -> StackModel | None:
    """The shipped stacked model (read once)."""
    return load_stack(default_model_dir())
