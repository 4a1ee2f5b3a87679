"""Pieces of ``benchmarks/validity.py``: statistics and the non-AnnoMI evaluation sets.

Bootstrap intervals resample the independent units (sessions, exchanges or
turns) with a fixed seed; proportions also get Wilson intervals.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from _data import ROOT

from edgewise.analysis import SessionAnalysis, StressAnalyzer
from edgewise.coding.coder import Coder
from edgewise.domain import CodedSession, Session, Utterance
from edgewise.pipeline import iter_analyses
from edgewise.readers import read_sessions

__all__ = [
    "RESAMPLES",
    "SEED",
    "boot",
    "code_all",
    "exchanges",
    "ordinary_sessions",
    "spearman",
    "wilson",
]

SEED = 20261204
RESAMPLES = 2000
EVAL = ROOT / "data" / "eval"
T = TypeVar("T")


def boot(units: Sequence[T], stat: Callable[[Sequence[T]], float | None]) -> tuple[float, float]:
    """Percentile 95% interval of ``stat`` over units resampled with replacement."""
    rng = np.random.default_rng(SEED)
    values = []
    for _ in range(RESAMPLES):
        pick = rng.integers(0, len(units), len(units))
        v = stat([units[i] for i in pick])
        if v is not None and not math.isnan(v):
            values.append(v)
    if not values:
        return (math.nan, math.nan)
    lo, hi = np.percentile(values, [2.5, 97.5])
    return float(lo), float(hi)


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson 95% interval of a proportion k/n."""
    if n == 0:
        return (math.nan, math.nan)
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rank correlation (average ranks for ties), None when undefined."""
    if len(x) < 3:
        return None
    rx = _ranks(np.asarray(x, dtype=float))
    ry = _ranks(np.asarray(y, dtype=float))
    if rx.std() == 0 or ry.std() == 0:
        return None
    return float(np.corrcoef(rx, ry)[0, 1])


def _ranks(v: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    order = v.argsort(kind="mergesort")
    ranks = np.empty(len(v))
    ranks[order] = np.arange(1, len(v) + 1)
    for value in np.unique(v):
        tie = v == value
        ranks[tie] = ranks[tie].mean()
    return ranks


def code_all(
    sessions: list[Session], coder: Coder, analyzer: StressAnalyzer
) -> list[tuple[CodedSession, SessionAnalysis]]:
    """Code and analyse each session with the shipped coder (the library's own pipeline)."""
    return [(a.coded, a.analysis) for a in iter_analyses(sessions, coder=coder, analyzer=analyzer)]


def ordinary_sessions(folder: str = "ordinary-sessions-v2") -> list[Session]:
    """The blind ordinary sessions (no risk talk; ``*.txt`` in ``folder`` and its parts),
    read as a user's files are read."""
    paths = sorted((EVAL / folder).rglob("*.txt"))
    return [s for p in paths for s in read_sessions(p)]


def exchanges(path: Path) -> tuple[list[dict[str, Any]], list[Session]]:
    """Labelled rupture exchanges and each as a session (clinician turns are the therapist)."""
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    sessions = []
    for r in rows:
        utts = tuple(
            Utterance(
                index=i,
                role="therapist" if t["role"] == "clinician" else "client",
                speaker=t["speaker"],
                text=t["text"],
            )
            for i, t in enumerate(r["turns"])
        )
        sessions.append(Session(id=r["id"], utterances=utts))
    return rows, sessions
