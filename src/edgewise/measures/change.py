"""Change between two scores: reliable change, cut-off crossing, clinically significant change.

Reliable change (Jacobson & Truax, 1991). With a normative SD and a
reliability r, ``S_diff = SD * sqrt(2 * (1 - r))`` and ``RCI = (x2 - x1) /
S_diff``; the change is reliable when ``|RCI| > z`` (z = 1.96 by default). A
definition may instead give a published ``threshold`` in points (PHQ-9: 6,
GAD-7: 4); the change is then reliable when ``|x2 - x1| >= threshold``. The
threshold is used when a definition gives both (``method="auto"``).

Direction matters: for a ``lower_is_better`` measure a fall is an improvement.
The cut-off is crossed when the two scores lie on different sides of it (a
score at the cut-off is in the clinical range). Clinically significant
improvement is reliable improvement *and* a move from the clinical range to
the non-clinical range.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from edgewise.errors import InputError
from edgewise.measures.definition import Z_95, MeasureDefinition
from edgewise.measures.scoring import Score

__all__ = [
    "ChangeCategory",
    "ChangeMethod",
    "ChangeResult",
    "Crossing",
    "change_between",
    "reliable_change",
    "reliable_change_index",
    "s_diff",
]

ChangeCategory = Literal["reliably_improved", "reliably_deteriorated", "no_reliable_change"]
ChangeMethod = Literal["threshold", "jacobson_truax"]
Crossing = Literal["into_clinical", "out_of_clinical", "none"]

_PLAIN = {
    "reliably_improved": "reliably improved",
    "reliably_deteriorated": "reliably deteriorated",
    "no_reliable_change": "no reliable change",
}


class ChangeResult(BaseModel):
    """How a client's score moved between two administrations of one measure."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    measure_id: str
    before: float
    after: float
    difference: float
    improvement: float
    method: ChangeMethod
    threshold: float
    rci: float | None
    category: ChangeCategory
    crossing: Crossing | None
    clinically_significant: bool
    before_id: str | None = None
    after_id: str | None = None

    @property
    def plain(self) -> str:
        """The category in plain words, e.g. ``reliably improved``."""
        return _PLAIN[self.category]


def s_diff(sd: float, reliability: float) -> float:
    """Standard error of the difference between two scores, ``SD * sqrt(2 * (1 - r))``."""
    if sd <= 0 or not 0 <= reliability < 1:
        raise InputError("the SD must be positive and the reliability in [0, 1)")
    return float(sd * (2.0 * (1.0 - reliability)) ** 0.5)


def reliable_change_index(before: float, after: float, sd: float, reliability: float) -> float:
    """Jacobson-Truax RCI, ``(after - before) / S_diff``."""
    return (after - before) / s_diff(sd, reliability)


def reliable_change(
    definition: MeasureDefinition,
    before: float,
    after: float,
    *,
    method: Literal["auto", "threshold", "jacobson_truax"] = "auto",
    z: float = Z_95,
    before_id: str | None = None,
    after_id: str | None = None,
) -> ChangeResult:
    """Classify the change from ``before`` to ``after`` on ``definition``."""
    if not z > 0:
        raise InputError("z must be positive")
    spec = definition.reliable_change
    if spec is None:
        raise InputError(f"measure {definition.id!r} defines no reliable-change criterion")
    rng = definition.score_range
    if not (rng.contains(before) and rng.contains(after)):
        raise InputError(f"a score is outside the range of {definition.id!r}")
    chosen = _method(method, spec.threshold is not None, spec.s_diff is not None, definition.id)
    difference = after - before
    improvement = definition.improvement(before, after)
    sdiff = spec.s_diff
    rci = None if sdiff is None else difference / sdiff
    if chosen == "threshold":
        assert spec.threshold is not None
        threshold = spec.threshold
        reliable = abs(difference) >= threshold
    else:
        assert rci is not None and sdiff is not None
        threshold = z * sdiff
        reliable = abs(rci) > z
    category: ChangeCategory = "no_reliable_change"
    if reliable and improvement > 0:
        category = "reliably_improved"
    elif reliable and improvement < 0:
        category = "reliably_deteriorated"
    crossing = _crossing(definition, before, after)
    return ChangeResult(
        measure_id=definition.id,
        before=before,
        after=after,
        difference=difference,
        improvement=improvement,
        method=chosen,
        threshold=threshold,
        rci=rci,
        category=category,
        crossing=crossing,
        clinically_significant=category == "reliably_improved" and crossing == "out_of_clinical",
        before_id=before_id,
        after_id=after_id,
    )


def change_between(
    definition: MeasureDefinition,
    first: Score,
    second: Score,
    *,
    method: Literal["auto", "threshold", "jacobson_truax"] = "auto",
    z: float = Z_95,
) -> ChangeResult:
    """:func:`reliable_change` from the ``first`` scored response to the ``second``."""
    for score in (first, second):
        if score.measure_id != definition.id:
            raise InputError(
                f"response {score.response_id!r} is for {score.measure_id!r}, not {definition.id!r}"
            )
    return reliable_change(
        definition,
        first.total,
        second.total,
        method=method,
        z=z,
        before_id=first.response_id,
        after_id=second.response_id,
    )


def _method(requested: str, has_threshold: bool, has_sd: bool, measure_id: str) -> ChangeMethod:
    if requested == "threshold" or (requested == "auto" and has_threshold):
        if not has_threshold:
            raise InputError(f"measure {measure_id!r} gives no reliable-change threshold")
        return "threshold"
    if not has_sd:
        raise InputError(f"measure {measure_id!r} gives no SD and reliability for Jacobson-Truax")
    return "jacobson_truax"


def _crossing(definition: MeasureDefinition, before: float, after: float) -> Crossing | None:
    was, now = definition.is_clinical(before), definition.is_clinical(after)
    if was is None or now is None:
        return None
    if was and not now:
        return "out_of_clinical"
    if now and not was:
        return "into_clinical"
    return "none"
