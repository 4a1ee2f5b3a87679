"""Temperature scaling and expected calibration error (training and evaluation only).

Each function takes optional per-row ``weights``; the coder's training passes
weights under which every annotator's utterances count equally
(:func:`group_balanced_weights`), so a temperature fitted on AnnoMI does not
follow whichever annotator coded most of it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = [
    "cross_fitted_probabilities",
    "ece",
    "fit_temperature",
    "group_balanced_weights",
    "softmax",
]

_GRID = np.exp(np.linspace(np.log(0.25), np.log(6.0), 80))

Weights = npt.NDArray[np.floating] | None


def softmax(z: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    """Row-wise softmax."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: npt.NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return out


def group_balanced_weights(groups: Sequence[str] | npt.NDArray[np.str_]) -> npt.NDArray[np.float64]:
    """Per-row weights under which every group's rows sum to the same total (mean weight 1)."""
    _, inverse, counts = np.unique(np.asarray(groups), return_inverse=True, return_counts=True)
    w = 1.0 / counts[inverse]
    out: npt.NDArray[np.float64] = w * (len(w) / w.sum())
    return out


def fit_temperature(
    logits: npt.NDArray[np.floating], y: npt.NDArray[np.int_], weights: Weights = None
) -> float:
    """The temperature (on a log grid, 0.25-6) minimising the (weighted) negative log-likelihood."""
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)

    def nll(t: float) -> float:
        p = softmax(logits / t)[np.arange(len(y)), y]
        return float(-(w * np.log(np.maximum(p, 1e-12))).sum() / w.sum())

    return float(min(_GRID, key=nll))


def ece(
    probs: npt.NDArray[np.floating],
    y: npt.NDArray[np.int_],
    bins: int = 15,
    weights: Weights = None,
) -> float:
    """Expected calibration error of the top label, ``bins`` equal-width confidence bins.

    With ``weights``, each row counts by its weight (in the bins' shares and means).
    """
    conf, correct = probs.max(axis=1), probs.argmax(axis=1) == y
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            gap = np.average(correct[m], weights=w[m]) - np.average(conf[m], weights=w[m])
            total += w[m].sum() / w.sum() * abs(gap)
    return float(total)


def cross_fitted_probabilities(
    logits: npt.NDArray[np.floating],
    y: npt.NDArray[np.int_],
    fold: npt.NDArray[np.int_],
    weights: Weights = None,
) -> npt.NDArray[np.float64]:
    """Each fold's probabilities at the temperature fitted on the other folds (honest ECE)."""
    out = np.zeros(logits.shape, dtype=np.float64)
    for k in np.unique(fold):
        rest = fold != k
        w = None if weights is None else np.asarray(weights)[rest]
        out[fold == k] = softmax(logits[fold == k] / fit_temperature(logits[rest], y[rest], w))
    return out
