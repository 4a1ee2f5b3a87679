"""Hashed word n-grams: a fixed-width, vocabulary-free bag of words for linear heads.

Words are lower-case runs of letters and digits with apostrophes dropped
("don't" and "don’t" are "dont"). Each distinct n-gram sets one of ``dim``
buckets (CRC-32, so the same text gives the same row on every machine and
Python run) to 1, and each row is scaled to unit length. ``anchors`` adds the
first one to ``anchors`` words as their own grams ("^do you"), because how a
turn opens is what tells a question from a reflection.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["hashed_ngrams", "words"]

_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> list[str]:
    """The lower-case words of ``text``, apostrophes dropped."""
    return _WORD.findall(text.lower().replace("'", "").replace("\u2019", ""))


def _grams(tokens: list[str], n: int, anchors: int) -> set[str]:
    grams: set[str] = set()
    for size in range(1, n + 1):
        grams.update(" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1))
    for size in range(1, min(anchors, len(tokens)) + 1):
        grams.add("^" + " ".join(tokens[:size]))
    return grams


def hashed_ngrams(
    texts: Sequence[str], dim: int, *, n: int = 2, anchors: int = 0
) -> npt.NDArray[np.float32]:
    """Unit-length rows (zeros for a text with no words) of hashed 1..``n``-grams."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    for row, text in enumerate(texts):
        for gram in _grams(words(text), n, anchors):
            out[row, zlib.crc32(gram.encode("utf-8")) % dim] = 1.0
        norm = float(np.linalg.norm(out[row]))
        if norm > 0:
            out[row] /= norm
    return out
