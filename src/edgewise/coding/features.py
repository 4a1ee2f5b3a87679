"""The coder's input features: an utterance, its preceding turns, and who spoke them.

Training and coding build features with this one function, so the model sees
the same thing in both. For each utterance: its embedding and surface cues
(question marks, question openings, length), then the same for each of the
``context`` preceding turns plus that turn's speaker role (zeros before the
session starts).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["ROLE_DIM", "SURFACE_DIM", "build_features", "feature_width", "surface_cues"]

_WH = re.compile(r"^(what|how|why|when|where|who|which)\b", re.IGNORECASE)
_YES_NO = re.compile(r"^(do|does|did|is|are|can|could|would|will|have|has)\b", re.IGNORECASE)

#: Width of :func:`surface_cues`' vector.
SURFACE_DIM = 5
#: Width of the role code of a context turn (therapist, client).
ROLE_DIM = 2


def surface_cues(text: str) -> list[float]:
    """Question mark at the end / anywhere, log length, wh- opening, yes/no opening."""
    s = text.strip()
    return [
        float(s.endswith("?")),
        float("?" in s),
        float(np.log1p(len(s.split())) / 4),
        float(bool(_WH.match(s))),
        float(bool(_YES_NO.match(s))),
    ]


def feature_width(dim: int, context: int) -> int:
    """Number of features per utterance for embeddings of width ``dim``."""
    return dim + SURFACE_DIM + context * (dim + SURFACE_DIM + ROLE_DIM)


def build_features(
    embeddings: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    context: int,
) -> npt.NDArray[np.float32]:
    """One feature row per utterance of ONE session (rows in session order)."""
    n, dim = embeddings.shape
    cues = np.array([surface_cues(t) for t in texts], dtype=np.float32).reshape(n, SURFACE_DIM)
    role_code = np.array(
        [[r == "therapist", r == "client"] for r in roles], dtype=np.float32
    ).reshape(n, ROLE_DIM)
    own = np.hstack([embeddings, cues])
    turn = np.hstack([embeddings, cues, role_code])
    parts = [own]
    for k in range(1, context + 1):
        shifted = np.zeros_like(turn)
        if k < n:
            shifted[k:] = turn[:-k]
        parts.append(shifted)
    return np.hstack(parts).astype(np.float32)
