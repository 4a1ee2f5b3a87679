"""The coder's input features: an utterance, its preceding turns, and who spoke them.

Training and coding build features with this one function, so the model sees
the same thing in both. For each utterance: its embedding and surface cues
(question marks, question openings, length), then the same for each of the
``context`` preceding turns and the ``following`` turns after it, plus that
turn's speaker role (zeros beyond the session's start and end; a transcript is
coded whole, as a human coder reads it), then ``ngram_dim`` hashed word n-grams
of the utterance itself (:mod:`edgewise.coding.ngrams`; none when 0).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from edgewise.coding.ngrams import hashed_ngrams

__all__ = [
    "NGRAM_ANCHORS",
    "NGRAM_N",
    "ROLE_DIM",
    "SURFACE_DIM",
    "build_features",
    "feature_width",
    "surface_cues",
]

_WH = re.compile(r"^(what|how|why|when|where|who|which)\b", re.IGNORECASE)
_YES_NO = re.compile(r"^(do|does|did|is|are|can|could|would|will|have|has)\b", re.IGNORECASE)

#: Width of :func:`surface_cues`' vector.
SURFACE_DIM = 5
#: Width of the role code of a context turn (therapist, client).
ROLE_DIM = 2
#: The coder's n-grams: words 1 to NGRAM_N long, plus the first 1..NGRAM_ANCHORS words.
NGRAM_N = 3
NGRAM_ANCHORS = 3


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


def feature_width(dim: int, context: int, *, following: int = 0, ngram_dim: int = 0) -> int:
    """Number of features per utterance for embeddings of width ``dim``."""
    return dim + SURFACE_DIM + (context + following) * (dim + SURFACE_DIM + ROLE_DIM) + ngram_dim


def build_features(
    embeddings: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    context: int,
    *,
    following: int = 0,
    ngram_dim: int = 0,
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
    for k in range(1, following + 1):
        ahead = np.zeros_like(turn)
        if k < n:
            ahead[:-k] = turn[k:]
        parts.append(ahead)
    if ngram_dim:
        parts.append(hashed_ngrams(texts, ngram_dim, n=NGRAM_N, anchors=NGRAM_ANCHORS))
    return np.hstack(parts).astype(np.float32)
