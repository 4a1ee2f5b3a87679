"""Session support, challenge, quadrant, challenge landing and ``optimal_stress``.

The headline formula (constants in the weights' ``optimal_stress`` block)::

    S = mean support of therapist moves       C = mean challenge
    L = (productive + prior) / (responses + 2 * prior)          # landing, shrunk to 1/2
    support_term  = clip((S - support_floor) / (support_full - support_floor))
    presence      = clip(C / challenge_target)
    pressure      = clip((C - S) / pressure_span)
    optimal_stress = support_term * (base + (1 - base) * presence * L)
                     * (1 - pressure_penalty * pressure)

High when support is high and challenge is present and lands; comfort (no
challenge) keeps at most ``base``; pressure (challenge above support) and
disengagement (little support) pull it down.
"""

from __future__ import annotations

from edgewise.analysis.results import Move, Quadrant, Response, Score
from edgewise.analysis.weights import StressWeights

__all__ = ["landing", "mean_score", "optimal_stress", "quadrant"]


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


def mean_score(moves: tuple[Move, ...], field: str, evidence_at: float) -> Score:
    """Mean of ``support`` or ``challenge`` over moves; evidence: moves at or above a level."""
    if not moves:
        return Score(value=None, explanation="No therapist talk to score.")
    values = [float(getattr(m, field)) for m in moves]
    mean = sum(values) / len(values)
    evidence = tuple(m.index for m, v in zip(moves, values, strict=True) if v >= evidence_at)
    what = "feel heard and accepted" if field == "support" else "move toward change"
    return Score(
        value=round(mean, 4),
        evidence=evidence,
        explanation=f"Average {field} across {len(moves)} therapist turns (0-1): how much "
        f"the clinician's turns helped the client {what}.",
    )


def quadrant(support: float | None, challenge: float | None, w: StressWeights) -> Quadrant | None:
    """The support x challenge quadrant, or None without therapist talk."""
    if support is None or challenge is None:
        return None
    high_s = support >= w.thresholds.support_high
    high_c = challenge >= w.thresholds.challenge_high
    if high_s:
        return "holding_both" if high_c else "comfort"
    return "pressure" if high_c else "disengaged"


def landing(responses: tuple[Response, ...]) -> Score:
    """Share of answered challenges that the client took up productively."""
    if not responses:
        return Score(value=None, explanation="No challenge was answered by the client.")
    productive = [r for r in responses if r.kind == "productive"]
    return Score(
        value=round(len(productive) / len(responses), 4),
        evidence=tuple(i for r in productive for i in (r.challenge, *r.evidence)),
        explanation=f"{len(productive)} of {len(responses)} challenges were followed by change "
        "talk or elaboration rather than defence, withdrawal or overwhelm.",
    )


def optimal_stress(
    support: Score, challenge: Score, responses: tuple[Response, ...], w: StressWeights
) -> Score:
    """The headline score in [0, 1] (formula in the module docstring)."""
    if support.value is None or challenge.value is None:
        return Score(value=None, explanation="No therapist talk to score.")
    k = w.optimal_stress
    s, c = support.value, challenge.value
    productive = sum(r.kind == "productive" for r in responses)
    land = (productive + k.landing_prior) / (len(responses) + 2 * k.landing_prior or 1.0)
    support_term = _clip((s - k.support_floor) / (k.support_full - k.support_floor))
    presence = _clip(c / k.challenge_target)
    pressure = _clip((c - s) / k.pressure_span)
    value = support_term * (k.base + (1 - k.base) * presence * land)
    value *= 1 - k.pressure_penalty * pressure
    evidence = tuple(r.challenge for r in responses if r.kind == "productive")
    return Score(
        value=round(_clip(value), 4),
        evidence=evidence,
        explanation=_explain(support_term, presence, (productive, len(responses)), pressure),
    )


def _explain(support_term: float, presence: float, landed: tuple[int, int], pressure: float) -> str:
    level = "strong" if support_term >= 0.75 else "partial" if support_term else "low"
    amount = "present" if presence >= 0.75 else "light" if presence else "absent"
    parts = [f"support was {level}", f"challenge was {amount}"]
    if landed[1]:
        parts.append(f"{landed[0]} of {landed[1]} answered challenges landed")
    if pressure > 0:
        parts.append("challenge outweighed support")
    return "High when support is high and challenge is present and lands: " + "; ".join(parts) + "."
