"""Score one response to a measure: check every answer, pro-rate allowed gaps, total, band.

Answers must be one of the item's option values; an item left unanswered
(``value: None`` or no answer at all) is *missing*. Up to
``scoring.max_missing`` missing items (never a ``required`` one) are pro-rated:
the answered items' position within their own range is carried to the full
range, ``total = low + (answered - answered_low) * width / answered_width``
(for items sharing one 0-based scale this is the usual ``sum * n_items /
n_answered``). More missing items than that is an InputError, not a guess.
A mean-scored measure divides that sum by the number of items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from edgewise.errors import InputError
from edgewise.measures.definition import MeasureDefinition

__all__ = ["Answer", "MeasureResponse", "Score", "check_answers", "score_response", "total"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class Answer(_Frozen):
    """The value chosen for one item; ``None`` when the item was skipped."""

    item_id: str
    value: int | None = None


class MeasureResponse(_Frozen):
    """One completed administration of a measure by one client (known by alias)."""

    id: str = Field(min_length=1)
    measure_id: str
    measure_version: str | None = Field(
        default=None, description="The definition version answered; checked when given."
    )
    client_id: str = Field(min_length=1, description="The client's alias id.")
    session_id: str | None = None
    session_number: int | None = Field(default=None, ge=0)
    authored: dt.datetime | dt.date = Field(
        description="When it was answered, as entered: a day, a day and a time of day "
        "(naive: no zone given), or an exact time (aware)."
    )
    answers: tuple[Answer, ...]


class Score(_Frozen):
    """The scored response: total, band, clinical range, and what was pro-rated."""

    response_id: str
    measure_id: str
    measure_version: str
    session_id: str | None = None
    session_number: int | None = None
    authored: dt.datetime | dt.date | None = None
    total: float
    band: str | None = None
    clinical: bool | None = Field(
        default=None, description="At or beyond the cut-off on the worse side; None: no cut-off."
    )
    missing: tuple[str, ...] = Field(default=(), description="Ids of unanswered items.")
    prorated: bool = False


def check_answers(
    definition: MeasureDefinition, answers: Mapping[str, int | None], *, where: str = "response"
) -> dict[str, int]:
    """The answered items' values, after checking ids, option values and what may be missing."""
    for item_id in answers:
        if definition.item(item_id) is None:
            raise InputError(f"{where}: {definition.id} has no item {item_id!r}")
    given: dict[str, int] = {}
    missing: list[str] = []
    for item in definition.items:
        value = answers.get(item.id)
        if value is None:
            if item.required:
                raise InputError(f"{where}: item {item.id!r} must be answered")
            missing.append(item.id)
            continue
        allowed = [o.value for o in definition.options_for(item)]
        if isinstance(value, bool) or value not in allowed:
            options = ", ".join(str(v) for v in allowed)
            raise InputError(
                f"{where}: the answer to item {item.id!r} is not one of its options ({options})"
            )
        given[item.id] = value
    if len(missing) > definition.scoring.max_missing:
        raise InputError(
            f"{where}: {len(missing)} of {len(definition.items)} items unanswered; "
            f"{definition.id} allows at most {definition.scoring.max_missing}"
        )
    return given


def total(definition: MeasureDefinition, answers: Mapping[str, int | None]) -> float:
    """The score of ``answers`` (reversed items flipped, allowed gaps pro-rated)."""
    given = check_answers(definition, answers)
    low = high = answered = answered_low = answered_high = 0.0
    for item in definition.items:
        item_low, item_high = definition.item_min(item), definition.item_max(item)
        low, high = low + item_low, high + item_high
        if item.id not in given:
            continue
        value = given[item.id]
        if item.id in definition.scoring.reverse:
            value = item_low + item_high - value
        answered += value
        answered_low += item_low
        answered_high += item_high
    value_sum = low + (answered - answered_low) * (high - low) / (answered_high - answered_low)
    if len(given) == len(definition.items):
        value_sum = answered  # exact, no floating-point detour
    if definition.scoring.method == "mean":
        return value_sum / len(definition.items)
    return value_sum


def score_response(definition: MeasureDefinition, response: MeasureResponse) -> Score:
    """Check ``response`` against ``definition`` and score it."""
    where = f"response {response.id!r}"
    if response.measure_id != definition.id:
        raise InputError(f"{where} is for measure {response.measure_id!r}, not {definition.id!r}")
    if response.measure_version not in (None, definition.version):
        raise InputError(
            f"{where} answers {definition.id} version {response.measure_version!r}; "
            f"this definition is version {definition.version!r}"
        )
    answers: dict[str, int | None] = {}
    for answer in response.answers:
        if answer.item_id in answers:
            raise InputError(f"{where}: item {answer.item_id!r} is answered twice")
        answers[answer.item_id] = answer.value
    given = check_answers(definition, answers, where=where)
    value = total(definition, answers)
    missing = tuple(i.id for i in definition.items if i.id not in given)
    return Score(
        response_id=response.id,
        measure_id=definition.id,
        measure_version=definition.version,
        session_id=response.session_id,
        session_number=response.session_number,
        authored=response.authored,
        total=value,
        band=definition.band_for(value),
        clinical=definition.is_clinical(value),
        missing=missing,
        prorated=bool(missing),
    )
