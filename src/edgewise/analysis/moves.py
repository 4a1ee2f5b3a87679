"""Support and challenge scores for each therapist move.

A move's base scores are the expected value of the weights over the coder's
calibrated probabilities: the predicted behaviour's subtype mixture, and the
behaviour-level weights for the other behaviours. Flags (affirmation,
confrontation, unsolicited_advice) and therapist markers (double-sided,
evocative, immediacy, autonomy, permission) then set floors and ceilings.
"""

from __future__ import annotations

from edgewise.analysis.markers import therapist_markers
from edgewise.analysis.results import Move
from edgewise.analysis.weights import Adjustment, StressWeights
from edgewise.domain import CodedSession, UtteranceCode

__all__ = ["score_moves"]

_FLAG_ADJUSTMENTS = ("affirmation", "unsolicited_advice", "confrontation")


def score_moves(coded: CodedSession, weights: StressWeights) -> tuple[Move, ...]:
    """One :class:`Move` per therapist utterance, in session order."""
    moves = []
    for utterance, code in zip(coded.session.utterances, coded.codes, strict=True):
        if utterance.role == "therapist":
            moves.append(_score(code, utterance.text, weights))
    return tuple(moves)


def _score(code: UtteranceCode, text: str, weights: StressWeights) -> Move:
    support, challenge, reasons = _base(code, weights)
    names = therapist_markers(text) + tuple(f for f in code.flags if f in _FLAG_ADJUSTMENTS)
    found = [(n, weights.adjustments[n]) for n in names if n in weights.adjustments]
    # Ceilings last, so that confrontation stays low-support whatever else is there.
    for name, adjustment in sorted(found, key=lambda item: _is_ceiling(item[1])):
        support, challenge = _adjust(support, challenge, adjustment)
        reasons.append(name)
    support, challenge = round(_clip(support), 4), round(_clip(challenge), 4)
    return Move(
        index=code.index,
        support=support,
        challenge=challenge,
        reasons=tuple(reasons),
        is_challenge=challenge >= weights.thresholds.challenge_move,
    )


def _base(code: UtteranceCode, weights: StressWeights) -> tuple[float, float, list[str]]:
    """Expected support and challenge over the behaviour (and subtype) probabilities."""
    codes = weights.codes
    probs = code.probabilities or {code.behaviour or "other": 1.0}
    support = challenge = 0.0
    for behaviour, p in probs.items():
        w_support, w_challenge = _behaviour_weight(behaviour, code, weights)
        support += p * w_support
        challenge += p * w_challenge
    total = sum(probs.values()) or 1.0
    label = code.behaviour or "other"
    if code.subtype and f"{label}.{code.subtype}" in codes:
        label = f"{label}.{code.subtype}"
    return support / total, challenge / total, [label]


def _behaviour_weight(
    behaviour: str, code: UtteranceCode, weights: StressWeights
) -> tuple[float, float]:
    codes = weights.codes
    base = codes.get(behaviour, codes["other"])
    subtypes = code.subtype_probabilities or ({code.subtype: 1.0} if code.subtype else {})
    if behaviour != code.behaviour or not subtypes:
        return base.support, base.challenge
    support = challenge = 0.0
    for subtype, p in subtypes.items():
        w = codes.get(f"{behaviour}.{subtype}", base)
        support += p * w.support
        challenge += p * w.challenge
    total = sum(subtypes.values()) or 1.0
    return support / total, challenge / total


def _adjust(support: float, challenge: float, a: Adjustment) -> tuple[float, float]:
    if a.support_add is not None:
        support += a.support_add
    if a.support_min is not None:
        support = max(support, a.support_min)
    if a.support_max is not None:
        support = min(support, a.support_max)
    if a.challenge_min is not None:
        challenge = max(challenge, a.challenge_min)
    if a.challenge_max is not None:
        challenge = min(challenge, a.challenge_max)
    return support, challenge


def _is_ceiling(a: Adjustment) -> bool:
    return a.support_max is not None or a.challenge_max is not None


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))
