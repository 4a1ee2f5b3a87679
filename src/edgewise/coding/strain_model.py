"""The strain model: where strain in the working relationship first shows, turn by turn.

Two logistic scorers, one for client turns (discord, withdrawal) and one for clinician
turns (confrontation), over each turn's embedding, the embedding of the turn before it,
and plain features (:data:`HAND_FEATURES`) of the turn and the turns around it:

- the turn's own cues (:mod:`edgewise.coding.strain_cues`): the strain markers, brief
  assent, speaking to the clinician, hedges, topic escapes, stage directions, laughter,
  over-agreement, sarcasm, and the ways a clinician lectures, warns, shames or mocks;
- the change against the speaker's own earlier turns (a client who answered at length and
  now answers in two words) and how close the turn stays to what was just said;
- the other party's move just before (an interpretation, a question, pressure) and just
  after (the clinician noticing or defending), and the speaker's next turn.

A turn whose score reaches the model's threshold is flagged :data:`STRAIN`; the analysis
reads the flag as evidence for a rupture (:mod:`edgewise.analysis.ruptures`). The coder's
own flags are not read, so the flag model can be refitted without this one.

Trained by ``python -m edgewise.training.strain_v1`` on the rupture tuning sets and the
ordinary tuning sessions; the weights ship as ``strain-v1.npz``/``.json``.
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

from edgewise.coding.strain import is_assent
from edgewise.coding.strain_cues import PRESSURE, TextCues, text_cues
from edgewise.errors import ModelError

__all__ = [
    "HAND_FEATURES",
    "ROLES",
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
#: One scorer per role.
ROLES = ("client", "therapist")
#: How far the features look for the turns around a turn.
REACH = 8
_OWN = (
    "log_words",
    "client_discord",
    "client_shutdown",
    "clinician_confrontation",
    "assent",
    "to_clinician",
    "hedge",
    "topic",
    "stage",
    "laugh",
    "overagree",
    "question",
    *(f"pressure_{name}" for name in PRESSURE),
    "notices",
    "sarcasm",
    "short",
)
_CONTEXT = (
    "similar_to_before",
    "similar_to_own_last",
    "own_earlier_max_log_words",
    "drop_from_own_earlier",
    "before_log_words",
    "before_interprets",
    "before_question",
    "before_confrontation",
    "before_pressure",
    "after_notices",
    "after_log_words",
    "after_minimal",
    "after_assent",
    "after_hedge",
    "after_strain_marker",
    "own_next_log_words",
    "own_next_hedge",
    "own_next_topic",
    "opens",
    "after_defends",
    "drop_x_interpretation",
    "short_x_interpretation",
    "short_x_long_before",
    "hedge_x_drop",
    "short_x_own_next_short",
)
#: The plain features after the two embeddings, in column order.
HAND_FEATURES = (*_OWN, *_CONTEXT)


def strain_features(
    embeddings: npt.NDArray[np.float32],
    texts: Sequence[str],
    roles: Sequence[str],
    rows: Sequence[int],
) -> npt.NDArray[np.float32]:
    """Feature rows of the turns ``rows`` of one session (embeddings, texts and roles of
    all its turns, in order)."""
    dim = embeddings.shape[1]
    out = np.zeros((len(rows), 2 * dim + len(HAND_FEATURES)), dtype=np.float32)
    cues: dict[int, TextCues] = {}

    def cue(j: int) -> TextCues:
        if j not in cues:
            cues[j] = text_cues(texts[j])
        return cues[j]

    for k, i in enumerate(rows):
        out[k, :dim] = embeddings[i]
        if i:
            out[k, dim : 2 * dim] = embeddings[i - 1]
        out[k, 2 * dim :] = _hand(embeddings, roles, cue, i)
    return out


def _near(roles: Sequence[str], i: int, role: str, step: int, most: int) -> list[int]:
    """Up to ``most`` turns of ``role`` from ``i`` in direction ``step``, within reach."""
    end = max(-1, i - REACH - 1) if step < 0 else min(len(roles), i + REACH + 1)
    return [j for j in range(i + step, end, step) if roles[j] == role][:most]


def _lw(words: int) -> float:
    return math.log1p(words)


def _hand(emb: npt.NDArray[np.float32], roles: Sequence[str], cue: Any, i: int) -> list[float]:
    own: TextCues = cue(i)
    other = "client" if roles[i] != "client" else "therapist"
    mine = _near(roles, i, roles[i], -1, 3)
    before = _near(roles, i, other, -1, 1)
    after = _near(roles, i, other, 1, 1)
    again = _near(roles, i, roles[i], 1, 1)
    words = _lw(own.words)
    short = float(own.words <= 4)
    hand = [
        words,
        *map(float, (own.discord, own.shutdown, own.confrontation, own.assent)),
        *map(float, (own.to_clinician, own.hedge, own.topic, own.stage, own.laugh)),
        float(own.overagree),
        float(own.question),
        *map(float, own.pressure),
        float(own.notices),
        float(own.sarcasm),
        short,
    ]
    most = max((_lw(cue(j).words) for j in mine), default=words)
    b: TextCues | None = cue(before[0]) if before else None
    a: TextCues | None = cue(after[0]) if after else None
    n: TextCues | None = cue(again[0]) if again else None
    interprets = float(b is not None and b.interprets)
    context = [
        float(emb[i] @ emb[before[0]]) if before else 0.0,
        float(emb[i] @ emb[mine[0]]) if mine else 0.0,
        most,
        words - most,
        _lw(b.words) if b else 0.0,
        interprets,
        float(b is not None and b.question),
        float(b is not None and b.confrontation),
        float(sum(b.pressure)) if b else 0.0,
        float(a is not None and a.notices),
        _lw(a.words) if a else 0.0,
        float(a is not None and a.words <= 4),
        float(a is not None and a.assent),
        float(a is not None and a.hedge),
        float(a is not None and (a.shutdown or a.discord)),
        _lw(n.words) if n else words,
        float(n is not None and n.hedge),
        float(n is not None and n.topic),
        float(not before),
        float(a is not None and a.defends),
        (words - most) * interprets,
        short * interprets,
        short * float(most > math.log1p(12)),
        float(own.hedge) * (words - most),
        float(n is not None and n.words <= 6) * short,
    ]
    return hand + context


@dataclass(frozen=True)
class StrainModel:
    """One logistic scorer per role (weights over raw features) and one threshold."""

    version: str
    coef: dict[str, npt.NDArray[np.float32]]
    intercept: dict[str, float]
    threshold: float
    meta: dict[str, Any]

    def scores(
        self,
        embeddings: npt.NDArray[np.float32],
        texts: Sequence[str],
        roles: Sequence[str],
        rows: Sequence[int],
    ) -> npt.NDArray[np.float32]:
        """Probability-like strain scores of ``rows`` (0 for a role with no scorer)."""
        out = np.zeros(len(rows), dtype=np.float32)
        if not rows:
            return out
        x = strain_features(embeddings, texts, roles, rows)
        for role, coef in self.coef.items():
            mine = [k for k, i in enumerate(rows) if roles[i] == role]
            if mine:
                # row by row in float64 (not one BLAS product, whose sums depend on how many
                # rows go together): a session coded in blocks gets the flags of one pass
                z = (x[mine].astype(np.float64) * coef).sum(axis=1) + self.intercept[role]
                out[mine] = 1 / (1 + np.exp(-np.clip(z, -60, 60)))
        return out

    def raised(
        self,
        embeddings: npt.NDArray[np.float32],
        texts: Sequence[str],
        roles: Sequence[str],
        rows: Sequence[int],
    ) -> list[bool]:
        """Whether each of ``rows`` is flagged: scored at the threshold, never the first
        turn when it is the client's, never brief assent alone."""
        scores = self.scores(embeddings, texts, roles, rows)
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
            coef = {r: arrays[f"coef_{r}"].astype(np.float32) for r in ROLES}
            intercept = {r: float(arrays[f"intercept_{r}"]) for r in ROLES}
        model = StrainModel(str(meta["version"]), coef, intercept, float(meta["threshold"]), meta)
    except Exception as exc:  # any damage to shipped files is a model error
        raise ModelError(f"strain model damaged ({type(exc).__name__})") from None
    for c in model.coef.values():
        if c.ndim != 1 or c.shape[0] <= len(HAND_FEATURES) or (c.shape[0] - len(HAND_FEATURES)) % 2:
            raise ModelError("strain model's weights do not match its features")
    return model


def save_strain_arrays(model: StrainModel) -> bytes:
    """The model's weights as ``.npz`` bytes."""
    buf = io.BytesIO()
    arrays: dict[str, Any] = {}
    for role in ROLES:
        arrays[f"coef_{role}"] = model.coef[role].astype(np.float32)
        arrays[f"intercept_{role}"] = np.float32(model.intercept[role])
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()
