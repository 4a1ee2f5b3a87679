"""Temperature scaling and ECE on synthetic scores with a known answer."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pytest

from edgewise.training.calibration import (
    cross_fitted_probabilities,
    ece,
    fit_temperature,
    softmax,
)

N, K = 20_000, 4


def _sample(p: npt.NDArray[np.float64], rng: np.random.Generator) -> npt.NDArray[np.int_]:
    """One label per row, drawn from that row's probabilities."""
    u = rng.random(len(p))[:, None]
    out: npt.NDArray[np.int_] = np.minimum((p.cumsum(axis=1) < u).sum(axis=1), p.shape[1] - 1)
    return out


@pytest.fixture(scope="module")
def synthetic() -> tuple[npt.NDArray[np.float64], npt.NDArray[np.int_]]:
    """Logits and labels drawn from softmax(logits / 2): the true temperature is 2."""
    rng = np.random.default_rng(7)
    z = rng.normal(scale=3.0, size=(N, K))
    return z, _sample(softmax(z / 2.0), rng)


def test_softmax_rows_are_distributions_and_stable() -> None:
    z = np.array([[0.0, 0.0], [1000.0, 0.0], [-1000.0, -1000.0], [1.0, 2.0]])
    p = softmax(z)
    assert p.dtype == np.float64 and np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    np.testing.assert_allclose(p[0], [0.5, 0.5])
    np.testing.assert_allclose(p[1], [1.0, 0.0])
    np.testing.assert_allclose(p[3], np.exp([1.0, 2.0]) / np.exp([1.0, 2.0]).sum())
    np.testing.assert_allclose(softmax(z + 7.0), p)  # shift-invariant


def test_fit_temperature_recovers_a_known_temperature(
    synthetic: tuple[npt.NDArray[np.float64], npt.NDArray[np.int_]],
) -> None:
    z, y = synthetic
    assert fit_temperature(z, y) == pytest.approx(2.0, abs=0.3)


@pytest.mark.parametrize("true_t", [0.5, 1.0, 4.0])
def test_fit_temperature_other_temperatures(true_t: float) -> None:
    rng = np.random.default_rng(11)
    z = rng.normal(scale=3.0, size=(N, K))
    y = _sample(softmax(z / true_t), rng)
    assert fit_temperature(z, y) == pytest.approx(true_t, rel=0.15)


def test_fit_temperature_stays_on_its_grid() -> None:
    z = np.array([[10.0, 0.0], [0.0, 10.0]] * 50)
    always_right = np.array([0, 1] * 50)
    always_wrong = 1 - always_right
    assert fit_temperature(z, always_right) == pytest.approx(0.25)
    assert fit_temperature(z, always_wrong) == pytest.approx(6.0)


def test_ece_of_calibrated_probabilities_is_small() -> None:
    rng = np.random.default_rng(3)
    p = rng.dirichlet(np.ones(K) * 0.7, size=N)
    y = _sample(p, rng)
    assert 0.0 <= ece(p, y) < 0.02


def test_ece_of_overconfident_probabilities_is_large(
    synthetic: tuple[npt.NDArray[np.float64], npt.NDArray[np.int_]],
) -> None:
    z, y = synthetic
    overconfident = softmax(z)  # the labels came from softmax(z / 2)
    assert ece(overconfident, y) > 0.1
    assert ece(softmax(z / 2.0), y) < 0.02
    assert ece(softmax(z / fit_temperature(z, y)), y) < ece(overconfident, y) / 3


def test_ece_edge_cases() -> None:
    sure_and_right = np.array([[1.0, 0.0], [0.0, 1.0]])
    assert ece(sure_and_right, np.array([0, 1])) == 0.0
    assert ece(sure_and_right, np.array([1, 0])) == pytest.approx(1.0)
    assert ece(np.array([[0.7, 0.3]] * 10), np.array([0] * 7 + [1] * 3)) == pytest.approx(0.0)


def test_cross_fitted_probabilities(
    synthetic: tuple[npt.NDArray[np.float64], npt.NDArray[np.int_]],
) -> None:
    z, y = synthetic
    fold = np.arange(N) % 5
    p = cross_fitted_probabilities(z, y, fold)
    assert p.shape == z.shape and p.dtype == np.float64
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_array_equal(p.argmax(axis=1), z.argmax(axis=1))  # scaling keeps the ranking
    rest = fold != 0  # fold 0 is scaled by the temperature fitted on the other folds only
    np.testing.assert_allclose(
        p[fold == 0], softmax(z[fold == 0] / fit_temperature(z[rest], y[rest]))
    )
    assert ece(p, y) < 0.02
