"""Flags AnnoMI does not code: affirmation, confrontation, unsolicited advice, discord,
distress and risk language.

Method (weak supervision on a small written set): for each flag a logistic
model over the utterance's sentence embedding, the previous turn's embedding,
hashed word n-grams of the literal text (``risk`` only; zeros for the other
flags), the flag's language-marker hits and the broad risk-term count
(:mod:`edgewise.coding.markers`), fitted on ``data/flags/tuning*.jsonl`` by
``python -m edgewise.training.flags_v1`` (``risk`` also on AnnoMI's ordinary
client turns as negatives). Each flag has its own threshold, chosen by
cross-validation on the tuning sets. Risk language is screening: a specific
risk marker raises it on its own, as does an answer that does not deny a
risk-screening question in the turn before it, and its threshold is set for recall, at the
cost of precision. A turn with none of the broad risk terms needs the higher
``risk_gate`` score as well (chosen with the threshold, by the same cross-validation),
which keeps ordinary talk from being flagged on its tone alone. It is never a risk
assessment.

Risk comes in two tiers (:meth:`FlagModel.risk_levels`). ``risk`` is the explicit
tier that opens a banner and reaches the client page: a specific marker, a
non-denying answer to a screening question with a score of at least
``risk_tiers.answer``, or a broad risk term with a score of at least
``risk_tiers.term``. A marker counts only where the rest of the turn reads as risk
too (flags 1.8.0): the score without the marker and risk-term features (the
*context score*) must reach ``risk_tiers.marker_context``, so "I'll shoot her an email"
is no banner. Every other raised turn is ``risk_check``: a quieter "worth
checking" note on the turn, kept so that the two tiers together keep the recall of
the screening decision. The tiers' cuts live in ``flags-v1.json``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from edgewise.coding.embedder import DIM
from edgewise.coding.markers import (
    answers_risk_question,
    count_markers,
    literal_text,
    risk_terms,
)
from edgewise.coding.ngrams import hashed_ngrams
from edgewise.errors import ModelError

__all__ = [
    "FEATURE_WIDTH",
    "FLAG_ROLES",
    "NGRAM_DIM",
    "NGRAM_FLAGS",
    "RISK_CHECK",
    "RISK_CHECK_NOTICE",
    "RISK_NOTICE",
    "FlagModel",
    "context_scores",
    "flag_features",
    "load_flag_model",
    "ngram_features",
    "risk_raised",
    "risk_rule",
]

#: Each flag and the role whose utterances it applies to.
FLAG_ROLES: dict[str, str] = {
    "affirmation": "therapist",
    "confrontation": "therapist",
    "unsolicited_advice": "therapist",
    "discord": "client",
    "distress": "client",
    "risk": "client",
}

#: The quieter tier: raised by the screening decision but not explicit enough for a banner.
RISK_CHECK = "risk_check"
RISK_CHECK_NOTICE = (
    "Worth checking: this turn scored close to risk language without saying anything "
    "explicit. Usually ordinary talk; a screening prompt, not a risk assessment."
)

#: Shown wherever a risk flag is shown.
RISK_NOTICE = (
    "Risk-language flag: a screening prompt to review this turn, not a risk assessment. "
    "It favours recall, so many flags are false alarms and some risk talk can be missed."
)

FLAGS_NAME = "flags-v1"
#: Hashed word unigram and bigram buckets (risk only).
NGRAM_DIM = 4096
#: Flags whose features carry hashed n-grams; the others get zeros there.
NGRAM_FLAGS = frozenset({"risk"})
#: Features per utterance: its embedding, the previous turn's, n-grams, marker hits, risk terms.
FEATURE_WIDTH = 2 * DIM + NGRAM_DIM + 2


def ngram_features(texts: Sequence[str]) -> npt.NDArray[np.float32]:
    """Unit-length rows of hashed (CRC-32) word unigrams and bigrams of each literal text.

    The words are :func:`~edgewise.coding.ngrams.words` of the text after
    :func:`~edgewise.coding.markers.literal_text` has blanked risk idioms.
    """
    return hashed_ngrams([literal_text(t) for t in texts], NGRAM_DIM, n=2)


def flag_features(
    embedding: npt.NDArray[np.float32],
    context: npt.NDArray[np.float32],
    texts: Sequence[str],
    flag: str,
) -> npt.NDArray[np.float32]:
    """Rows of [embedding, previous-turn embedding, n-grams, marker hits, risk terms / 2]."""
    n = len(texts)
    hits = np.array([[count_markers(t, flag), risk_terms(t) / 2] for t in texts], dtype=np.float32)
    grams = ngram_features(texts) if flag in NGRAM_FLAGS else np.zeros((n, NGRAM_DIM), np.float32)
    return np.hstack([embedding, context, grams, hits.reshape(n, 2)]).astype(np.float32)


def risk_rule(text: str, previous: str = "") -> bool:
    """Risk raised without the model: a specific marker, or a non-denying answer to a
    risk-screening question (``previous``: the clinician's turn before it)."""
    return count_markers(text, "risk") > 0 or answers_risk_question(text, previous)


def risk_raised(
    scores: npt.NDArray[np.floating[Any]],
    ruled: npt.NDArray[np.bool_],
    termed: npt.NDArray[np.bool_],
    threshold: float,
    gate: float,
) -> npt.NDArray[np.bool_]:
    """Risk raised per turn: by its rule (``ruled``), or by a score of ``threshold`` when it
    holds a broad risk term (``termed``) and of ``gate`` when it holds none."""
    out: npt.NDArray[np.bool_] = ((scores >= threshold) & ((scores >= gate) | termed)) | ruled
    return out


@dataclass(frozen=True)
class FlagModel:
    """One logistic scorer and threshold per flag."""

    version: str
    coef: dict[str, npt.NDArray[np.float32]]
    intercept: dict[str, float]
    threshold: dict[str, float]
    meta: dict[str, Any]
    #: Risk: the score a turn with no broad risk term needs (0: no such gate).
    risk_gate: float = 0.0
    #: Explicit tier: the score a non-denying screening answer and a broad-term turn need
    #: (``None``: every raised turn is explicit, as in files before 1.4.0).
    risk_tiers: tuple[float, float] | None = None
    #: Explicit tier: the context score a turn with a risk marker needs (0: none, as in
    #: files before 1.8.0).
    risk_marker_context: float = 0.0

    def scores(self, flag: str, features: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
        """Probability-like scores of ``flag`` for each feature row."""
        z = features @ self.coef[flag] + self.intercept[flag]
        out: npt.NDArray[np.float32] = 1 / (1 + np.exp(-z))
        return out

    def raised(
        self,
        flag: str,
        features: npt.NDArray[np.float32],
        texts: Sequence[str],
        previous: Sequence[str] | None = None,
    ) -> list[bool]:
        """Whether ``flag`` is raised for each row.

        Risk: a specific marker suffices, and so does an answer that does not deny a
        risk-screening question in the clinician's turn before it (``previous``); a
        turn without any broad risk term needs a score of ``risk_gate`` too.
        """
        scores = self.scores(flag, features)
        if flag != "risk":
            return [bool(a) for a in scores >= self.threshold[flag]]
        before = previous if previous is not None else [""] * len(texts)
        return self._risk_up(scores, texts, before)

    def _risk_up(
        self, scores: npt.NDArray[np.float32], texts: Sequence[str], previous: Sequence[str]
    ) -> list[bool]:
        ruled = np.array(
            [risk_rule(t, p) for t, p in zip(texts, previous, strict=True)], dtype=bool
        )
        termed = np.array([risk_terms(t) > 0 for t in texts], dtype=bool)
        up = risk_raised(scores, ruled, termed, self.threshold["risk"], self.risk_gate)
        return [bool(a) for a in up]

    def context_scores(
        self, flag: str, features: npt.NDArray[np.float32]
    ) -> npt.NDArray[np.float32]:
        """:func:`context_scores` of ``flag``."""
        return context_scores(self.coef[flag], self.intercept[flag], features)

    def risk_levels(
        self, features: npt.NDArray[np.float32], texts: Sequence[str], previous: Sequence[str]
    ) -> list[str | None]:
        """Per row: ``"risk"`` (explicit tier), ``"risk_check"`` (raised, not explicit) or None."""
        scores = self.scores("risk", features)
        context = self.context_scores("risk", features)
        raised = self._risk_up(scores, texts, previous)
        out: list[str | None] = []
        rows = zip(scores, context, raised, texts, previous, strict=True)
        for score, ctx, up, text, before in rows:
            if not up:
                out.append(None)
            elif self.risk_tiers is None or _explicit(
                float(score),
                float(ctx) >= self.risk_marker_context,
                text,
                before,
                self.risk_tiers,
            ):
                out.append("risk")
            else:
                out.append(RISK_CHECK)
        return out


def context_scores(
    coef: npt.NDArray[np.float32], intercept: float, features: npt.NDArray[np.float32]
) -> npt.NDArray[np.float32]:
    """Scores without the marker and risk-term features (the last two columns): how much
    the rest of the turn reads as the flag."""
    z = features[:, :-2] @ coef[:-2] + intercept
    out: npt.NDArray[np.float32] = 1 / (1 + np.exp(-z))
    return out


def _explicit(
    score: float, in_context: bool, text: str, previous: str, tiers: tuple[float, float]
) -> bool:
    """The explicit tier: a marker the rest of the turn bears out (``in_context``), a scored
    screening answer, or a scored broad risk term."""
    answer, term = tiers
    answered = answers_risk_question(text, previous) and score >= answer
    if count_markers(text, "risk") > 0:
        # the marker lifts the score too, so the broad-term route would make it explicit
        return in_context or answered
    if answered:
        return True
    return risk_terms(text) > 0 and score >= term


def load_flag_model(folder: Path) -> FlagModel:
    """The flag model in ``folder`` (``flags-v1.npz`` + ``.json``)."""
    try:
        meta = json.loads((folder / f"{FLAGS_NAME}.json").read_text(encoding="utf-8"))
        data = (folder / f"{FLAGS_NAME}.npz").read_bytes()
        with np.load(io.BytesIO(data)) as arrays:
            coef = {f: arrays[f"{f}_coef"].astype(np.float32) for f in FLAG_ROLES}
            intercept = {f: float(arrays[f"{f}_intercept"]) for f in FLAG_ROLES}
        threshold = {f: float(meta["thresholds"][f]) for f in FLAG_ROLES}
        gate = float(meta.get("risk_gate", 0.0))
        tiers = meta.get("risk_tiers")
        cuts = None if tiers is None else (float(tiers["answer"]), float(tiers["term"]))
        context = 0.0 if tiers is None else float(tiers.get("marker_context", 0.0))
        model = FlagModel(
            str(meta["version"]), coef, intercept, threshold, meta, gate, cuts, context
        )
    except Exception as exc:  # any damage to shipped files is a model error
        raise ModelError(f"flag model missing or damaged ({type(exc).__name__})") from None
    if any(c.shape != (FEATURE_WIDTH,) for c in model.coef.values()):
        raise ModelError("flag model's weights do not match its features")
    return model


def save_arrays(model: FlagModel) -> bytes:
    """The model's weights as ``.npz`` bytes."""
    buf = io.BytesIO()
    arrays: dict[str, Any] = {}
    for flag in FLAG_ROLES:
        arrays[f"{flag}_coef"] = model.coef[flag].astype(np.float32)
        arrays[f"{flag}_intercept"] = np.float32(model.intercept[flag])
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()
