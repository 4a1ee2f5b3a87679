"""The strain model: where strain in the working relationship first shows, turn by turn.

A logistic scorer over each turn's embedding, the embedding of the turn before it, and a
few plain features: the strain markers of :mod:`edgewise.coding.strain`, brief assent,
speaking to the clinician, the coder's ``discord`` and ``confrontation`` flags, the
turn's length and how it changed from the same speaker's previous turn (a client who
answered at length and now answers in two words), and the speaker's role. A turn whose
score reaches the model's threshold is flagged :data:`STRAIN`; the analysis reads the
flag as evidence for a rupture (:mod:`edgewise.analysis.ruptures`).

Trained by ``python -m edgewise.training.strain_v1`` on the rupture tuning sets
(``data/tuning/ruptures-t*.jsonl``); the weights ship as ``strain-v1.npz``/``.json``.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.strain import addresses_clinician, is_assent, strain
from edgewise.errors import ModelError

__all__ = [
    "HAND_FEATURES",
    "STRAIN",
    "STRAIN_NAME",
    "StrainModel",
    "load_strain_model",
    "save_strain_arrays",
    "strain_features",
]

#: The flag a turn gets where strain first shows.
STRAIN = "strain"
STRAIN_NAME = "strain-v1"
#: The plain features after the two embeddings, in column order.
HAND_FEATURES = (
    "client_discord",
    "client_shutdown",
    "clinician_confrontation",
    "assent",
    "to_clinician",
    "discord_flag",
    "confrontation_flag",
    "log_words",
    "log_words_change",
    "client",
)


def strain_features(
    embeddings: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    flags: Sequence[Sequence[str]],
    rows: Sequence[int],
) -> npt.NDArray[np.float32]:
    """Feature rows of the turns ``rows`` of one session (embeddings, texts and roles of
    all its turns, in order; ``flags``: the coder's flags of each of ``rows``)."""
    dim = embeddings.shape[1]
    out = np.zeros((len(rows), 2 * dim + len(HAND_FEATURES)), dtype=np.float32)
    for k, i in enumerate(rows):
        out[k, :dim] = embeddings[i]
        if i:
            out[k, dim : 2 * dim] = embeddings[i - 1]
        out[k, 2 * dim :] = _hand(texts, roles, flags[k], i)
    return out


def _hand(texts: Sequence[str], roles: Sequence[str], flags: Sequence[str], i: int) -> list[float]:
    text = texts[i]
    words = len(text.split())
    before = next((j for j in range(i - 1, -1, -1) if roles[j] == roles[i]), None)
    was = len(texts[before].split()) if before is not None else words
    return [
        float(strain(text, "client_discord")),
        float(strain(text, "client_shutdown")),
        float(strain(text, "clinician_confrontation")),
        float(is_assent(text)),
        float(addresses_clinician(text)),
        float("discord" in flags),
        float("confrontation" in flags),
        math.log1p(words),
        math.log1p(words) - math.log1p(was),
        float(roles[i] == "client"),
    ]


@dataclass(frozen=True)
class StrainModel:
    """One logistic scorer and its threshold."""

    version: str
    coef: npt.NDArray[np.float32]
    intercept: float
    threshold: float
    meta: dict[str, Any]

    def scores(self, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Probability-like strain scores, one per feature row."""
        z = features @ self.coef + self.intercept
        out: npt.NDArray[np.float32] = (1 / (1 + np.exp(-z))).astype(np.float32)
        return out

    def raised(
        self,
        embeddings: npt.NDArray[np.float32],
        texts: Sequence[str],
        roles: Sequence[str],
        flags: Sequence[Sequence[str]],
        rows: Sequence[int],
    ) -> list[bool]:
        """Whether each of ``rows`` is flagged: scored at the threshold, never the first
        turn when it is the client's, never brief assent alone."""
        if not rows:
            return []
        scores = self.scores(strain_features(embeddings, texts, roles, flags, rows))
        return [
            bool(s >= self.threshold)
            and not (i == 0 and roles[i] == "client")
            and not is_assent(texts[i])
            for s, i in zip(scores, rows, strict=True)
        ]


def load_strain_model(folder: Path) -> StrainModel | None:
    """The strain model in ``folder``, or None when it ships none (older model folders)."""
    meta_path = folder / f"{STRAIN_NAME}.json"
    if not meta_path.is_file():
        return None
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        data = (folder / f"{STRAIN_NAME}.npz").read_bytes()
        with np.load(io.BytesIO(data)) as arrays:
            coef = arrays["coef"].astype(np.float32)
            intercept = float(arrays["intercept"])
        model = StrainModel(str(meta["version"]), coef, intercept, float(meta["threshold"]), meta)
    except Exception as exc:  # any damage to shipped files is a model error
        raise ModelError(f"strain model damaged ({type(exc).__name__})") from None
    if model.coef.ndim != 1 or (model.coef.shape[0] - len(HAND_FEATURES)) % 2:
        raise ModelError("strain model's weights do not match its features")
    return model


def save_strain_arrays(model: StrainModel) -> bytes:
    """The model's weights as ``.npz`` bytes."""
    buf = io.BytesIO()
    np.savez_compressed(
        buf, coef=model.coef.astype(np.float32), intercept=np.float32(model.intercept)
    )
    return buf.getvalue()
