"""Temperature scaling and expected calibration error (training and evaluation only)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["cross_fitted_probabilities", "ece", "fit_temperature", "softmax"]

_GRID = np.exp(np.linspace(np.log(0.25), np.log(6.0), 80))


def softmax(z: npt.NDArray[np.floating]) -> npt.NDArray[np.float64]:
    """Row-wise softmax."""
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    out: npt.NDArray[np.float64] = e / e.sum(axis=1, keepdims=True)
    return out


def fit_temperature(logits: npt.NDArray[np.floating], y: npt.NDArray[np.int_]) -> float:
    """The temperature (on a log grid, 0.25-6) minimising the negative log-likelihood."""

    def nll(t: float) -> float:
        p = softmax(logits / t)[np.arange(len(y)), y]
        return float(-np.log(np.maximum(p, 1e-12)).mean())

    return float(min(_GRID, key=nll))


def ece(probs: npt.NDArray[np.floating], y: npt.NDArray[np.int_], bins: int = 15) -> float:
    """Expected calibration error of the top label, ``bins`` equal-width confidence bins."""
    conf, correct = probs.max(axis=1), probs.argmax(axis=1) == y
    edges = np.linspace(0.0, 1.0, bins + 1)
    total = 0.0
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        m = (conf > lo) & (conf <= hi)
        if m.any():
            total += m.mean() * abs(correct[m].mean() - conf[m].mean())
    return float(total)


def cross_fitted_probabilities(
    logits: npt.NDArray[np.floating], y: npt.NDArray[np.int_], fold: npt.NDArray[np.int_]
) -> npt.NDArray[np.float64]:
    """Each fold's probabilities at the temperature fitted on the other folds (honest ECE)."""
    out = np.zeros(logits.shape, dtype=np.float64)
    for k in np.unique(fold):
        rest = fold != k
        out[fold == k] = softmax(logits[fold == k] / fit_temperature(logits[rest], y[rest]))
    return out
