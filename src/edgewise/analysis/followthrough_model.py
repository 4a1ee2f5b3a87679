"""The follow-through matcher's weights: which client turn talks about a step, and what it says.

Two small logistic models over the plain features of
:mod:`edgewise.analysis.followthrough_cues`:

- the **evidence scorer**: per client turn of the later session, the chance that it is
  where the client talks about the step (:data:`TURN_FEATURES`); the step counts as
  mentioned when the best turn's chance reaches :attr:`FollowModel.mention`;
- the **outcome reader**: ``done``, ``partly`` or ``not_done`` from the
  :data:`OUTCOME_FEATURES` of that turn and of the client's next turn.

Trained by ``python -m edgewise.training.commitments_v2`` (``followthrough-v2.json`` in the
model folder, a few kB of numbers); storage-free and pure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.analysis.followthrough_cues import OUTCOME_FEATURES, TURN_FEATURES
from edgewise.coding.model_store import default_model_dir
from edgewise.errors import ModelError

__all__ = [
    "FOLLOW_NAME",
    "READ_OUTCOMES",
    "FollowModel",
    "Linear",
    "default_follow_model",
    "follow_model_json",
    "load_follow_model",
]

FOLLOW_NAME = "followthrough-v2"
#: The outcomes the reader tells apart, in the order of its rows.
READ_OUTCOMES = ("done", "partly", "not_done")


@dataclass(frozen=True)
class Linear:
    """A standardised linear model: ``((x - mean) / scale) @ coef.T + intercept``."""

    coef: npt.NDArray[np.float64]  # (classes or 1, features)
    intercept: npt.NDArray[np.float64]
    mean: npt.NDArray[np.float64]
    scale: npt.NDArray[np.float64]

    def logits(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """One row of logits per row of ``x``."""
        out: npt.NDArray[np.float64] = ((x - self.mean) / self.scale) @ self.coef.T
        return out + self.intercept

    def chance(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The binary model's probability of each row."""
        z = np.clip(self.logits(x)[:, 0], -30.0, 30.0)
        out: npt.NDArray[np.float64] = 1 / (1 + np.exp(-z))
        return out

    def softmax(self, x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The multi-class model's probabilities, one row per row of ``x``."""
        z = self.logits(x)
        z = np.exp(z - z.max(axis=1, keepdims=True))
        out: npt.NDArray[np.float64] = z / z.sum(axis=1, keepdims=True)
        return out

    def as_json(self) -> dict[str, Any]:
        """The weights as plain lists."""
        return {
            name: np.round(getattr(self, name), 6).tolist()
            for name in ("coef", "intercept", "mean", "scale")
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Linear:
        """The inverse of :meth:`as_json`."""
        arrays = {k: np.asarray(data[k], dtype=np.float64) for k in ("coef", "intercept")}
        arrays |= {k: np.asarray(data[k], dtype=np.float64) for k in ("mean", "scale")}
        return cls(**arrays)


@dataclass(frozen=True)
class FollowModel:
    """The evidence scorer, its mention threshold and the outcome reader."""

    version: str
    evidence: Linear
    mention: float
    outcome: Linear
    meta: dict[str, Any]


def follow_model_json(model: FollowModel) -> str:
    """The model as the JSON its file holds."""
    data = {
        "version": model.version,
        "turn_features": list(TURN_FEATURES),
        "outcome_features": list(OUTCOME_FEATURES),
        "outcomes": list(READ_OUTCOMES),
        "evidence": model.evidence.as_json(),
        "mention": model.mention,
        "outcome": model.outcome.as_json(),
        "meta": model.meta,
    }
    return json.dumps(data, indent=1, sort_keys=True) + "\n"


def load_follow_model(folder: Path) -> FollowModel | None:
    """The follow-through model in ``folder``, or None when it ships none."""
    path = folder / f"{FOLLOW_NAME}.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        model = FollowModel(
            str(data["version"]),
            Linear.from_json(data["evidence"]),
            float(data["mention"]),
            Linear.from_json(data["outcome"]),
            dict(data.get("meta", {})),
        )
        names = (tuple(data["turn_features"]), tuple(data["outcome_features"]))
    except Exception as exc:  # any damage to a shipped file is a model error
        raise ModelError(f"follow-through model damaged ({type(exc).__name__})") from None
    shapes = (model.evidence.coef.shape, model.outcome.coef.shape)
    wanted = ((1, len(TURN_FEATURES)), (len(READ_OUTCOMES), 2 * len(OUTCOME_FEATURES)))
    if names != (TURN_FEATURES, OUTCOME_FEATURES) or shapes != wanted:
        raise ModelError("follow-through model's weights do not match its features")
    return model


@cache
def default_follow_model() -> FollowModel | None:
    """The shipped follow-through model (read once)."""
    return load_follow_model(default_model_dir())
