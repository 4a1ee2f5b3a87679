"""A measure (questionnaire) defined as data: items, options, scoring and change rules.

A :class:`MeasureDefinition` is a frozen pydantic model, usually loaded from
YAML (see :mod:`edgewise.measures.loader` and ``docs/measures.md``). It
validates itself on construction: unique item ids, every item has response
options, the score range agrees with the items, bands are ordered and cover the
range, the cut-off lies inside it.

Reliable change comes from ``reliable_change``: either a published ``threshold``
(a change of at least that many points is reliable), or a normative ``sd`` and
a ``reliability`` (Cronbach's alpha or test-retest r) for the Jacobson-Truax
index, ``RCI = (x2 - x1) / S_diff`` with ``S_diff = SD * sqrt(2 * (1 - r))``;
the change is reliable when ``|RCI| > z`` (1.96 by default), i.e. when
``|x2 - x1| > z * S_diff``. When both are given the published threshold is used.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "Band",
    "Direction",
    "Item",
    "MeasureDefinition",
    "MeasureKind",
    "ReliableChangeSpec",
    "ResponseOption",
    "SafetyFlag",
    "ScoreRange",
    "Scoring",
    "ScoringMethod",
]

Direction = Literal["lower_is_better", "higher_is_better"]
MeasureKind = Literal["outcome", "alliance"]
ScoringMethod = Literal["sum", "mean"]

#: Default z for the Jacobson-Truax criterion (two-sided 95%).
Z_95 = 1.96

_ID = r"^[a-z0-9][a-z0-9_-]{0,63}$"
_ITEM_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$"
_VERSION = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$"
_EPS = 1e-9


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)


class ResponseOption(_Frozen):
    """One answer a respondent can give, and the points it scores."""

    value: int = Field(ge=-1_000_000, le=1_000_000)
    label: str | None = Field(default=None, min_length=1)

    @property
    def display(self) -> str:
        """The label, or the value written out when there is none."""
        return self.label if self.label is not None else str(self.value)


class SafetyFlag(_Frozen):
    """An item whose answer asks for a safety check at once (PHQ-9 item 9).

    It fires when the chosen option's value is above ``above`` (or below ``below``):
    exactly one of the two, compared with the value as answered (before any reversal).
    """

    above: int | None = Field(default=None, ge=-1_000_000, le=1_000_000)
    below: int | None = Field(default=None, ge=-1_000_000, le=1_000_000)

    @model_validator(mode="after")
    def _one_threshold(self) -> SafetyFlag:
        if (self.above is None) == (self.below is None):
            raise ValueError("give the safety threshold as exactly one of above or below")
        return self

    def fires(self, value: int) -> bool:
        """Whether the answer ``value`` is beyond the threshold."""
        if self.above is not None:
            return value > self.above
        assert self.below is not None  # guaranteed by _one_threshold
        return value < self.below

    @property
    def words(self) -> str:
        """e.g. ``above 0``."""
        return f"above {self.above}" if self.above is not None else f"below {self.below}"


class Item(_Frozen):
    """One question; ``options`` overrides the measure's shared options."""

    id: str = Field(pattern=_ITEM_ID)
    text: str = Field(min_length=1)
    options: tuple[ResponseOption, ...] | None = None
    required: bool = Field(
        default=False, description="The item may never be missing (no pro-rating over it)."
    )
    safety: SafetyFlag | None = Field(
        default=None, description="An answer beyond this threshold raises a safety alert."
    )

    @field_validator("options")
    @classmethod
    def _options_unique(
        cls, value: tuple[ResponseOption, ...] | None
    ) -> tuple[ResponseOption, ...] | None:
        if value is not None:
            _check_options(value)
        return value


class Scoring(_Frozen):
    """How item values become a total: sum or mean, reversed items, missing items allowed."""

    method: ScoringMethod = "sum"
    reverse: tuple[str, ...] = Field(
        default=(), description="Item ids scored in reverse (min + max - value)."
    )
    max_missing: int = Field(
        default=0, ge=0, description="At most this many unanswered items are pro-rated."
    )


class ScoreRange(_Frozen):
    """The lowest and highest possible total."""

    min: float
    max: float

    @model_validator(mode="after")
    def _ordered(self) -> ScoreRange:
        if not self.min < self.max:
            raise ValueError("range min must be below max")
        return self

    def contains(self, value: float) -> bool:
        """Whether ``value`` lies within the range (ends included)."""
        return self.min - _EPS <= value <= self.max + _EPS


class Band(_Frozen):
    """A named severity band, ``min`` to ``max`` inclusive."""

    min: float
    max: float
    label: str = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.min > self.max:
            raise ValueError("band min must not be above its max")
        return self


class ReliableChangeSpec(_Frozen):
    """A published threshold, or a normative SD and reliability for Jacobson-Truax."""

    threshold: float | None = Field(default=None, gt=0)
    sd: float | None = Field(default=None, gt=0)
    reliability: float | None = Field(default=None, ge=0, lt=1)
    reliability_kind: Literal["alpha", "test_retest", "other"] | None = None
    source: str = Field(min_length=1, description="Where the numbers come from.")

    @model_validator(mode="after")
    def _complete(self) -> ReliableChangeSpec:
        if (self.sd is None) != (self.reliability is None):
            raise ValueError("give both sd and reliability, or neither")
        if self.threshold is None and self.sd is None:
            raise ValueError("give a threshold, or sd and reliability")
        return self

    @property
    def s_diff(self) -> float | None:
        """Standard error of the difference, ``SD * sqrt(2 * (1 - r))``, when SD and r are given."""
        if self.sd is None or self.reliability is None:
            return None
        return self.sd * math.sqrt(2.0 * (1.0 - self.reliability))

    def points(self, z: float = Z_95) -> float:
        """The change in points that counts as reliable: the threshold, else ``z * S_diff``."""
        if self.threshold is not None:
            return self.threshold
        s_diff = self.s_diff
        assert s_diff is not None  # guaranteed by _complete
        return z * s_diff


class MeasureDefinition(_Frozen):
    """A questionnaire: what is asked, how it is scored, how change is judged."""

    id: str = Field(pattern=_ID, description="Short lowercase id, e.g. ``phq9``.")
    name: str = Field(min_length=1)
    short_name: str | None = Field(default=None, min_length=1, description="e.g. ``PHQ-9``.")
    version: str = Field(pattern=_VERSION)
    kind: MeasureKind = "outcome"
    licence: str = Field(min_length=1, description="Who may use the instrument, and how.")
    source: str | None = Field(default=None, description="Reference for the instrument.")
    stem: str | None = Field(default=None, description="The lead-in shown before the items.")
    options: tuple[ResponseOption, ...] = Field(
        default=(), description="Options shared by every item that has none of its own."
    )
    items: tuple[Item, ...] = Field(min_length=1)
    scoring: Scoring = Scoring()
    range: ScoreRange | None = Field(
        default=None, description="Optional; computed from the items, and checked when given."
    )
    direction: Direction = "lower_is_better"
    cutoff: float | None = Field(
        default=None, description="Scores at or on the worse side of it are in the clinical range."
    )
    reliable_change: ReliableChangeSpec | None = None
    bands: tuple[Band, ...] = ()

    @field_validator("options")
    @classmethod
    def _shared_options(cls, value: tuple[ResponseOption, ...]) -> tuple[ResponseOption, ...]:
        if value:
            _check_options(value)
        return value

    @model_validator(mode="after")
    def _consistent(self) -> MeasureDefinition:
        self._check_items()
        computed = self._computed_range()
        if self.range is not None and not (
            math.isclose(self.range.min, computed.min, abs_tol=1e-6)
            and math.isclose(self.range.max, computed.max, abs_tol=1e-6)
        ):
            raise ValueError(
                f"range {_num(self.range.min)}-{_num(self.range.max)} does not match the items "
                f"({_num(computed.min)}-{_num(computed.max)})"
            )
        if self.cutoff is not None and not computed.contains(self.cutoff):
            raise ValueError(f"cutoff {_num(self.cutoff)} is outside the score range")
        _check_bands(self.bands, computed)
        return self

    def _check_items(self) -> None:
        seen: set[str] = set()
        for item in self.items:
            if item.id in seen:
                raise ValueError(f"item id {item.id!r} is used twice")
            seen.add(item.id)
            if item.options is None and not self.options:
                raise ValueError(f"item {item.id!r} has no options and the measure shares none")
            self._check_safety(item)
        unknown = [r for r in self.scoring.reverse if r not in seen]
        if unknown:
            raise ValueError(f"scoring.reverse names unknown item {unknown[0]!r}")
        if self.scoring.max_missing >= len(self.items):
            raise ValueError("scoring.max_missing must be below the number of items")

    def _check_safety(self, item: Item) -> None:
        """A safety threshold must let some options fire and some not."""
        if item.safety is None:
            return
        values = [o.value for o in self.options_for(item)]
        firing = [v for v in values if item.safety.fires(v)]
        if not firing or len(firing) == len(values):
            raise ValueError(
                f"item {item.id!r}: safety {item.safety.words} must lie between its lowest "
                f"and highest option ({min(values)}-{max(values)}), so that some answers "
                "raise the alert and some do not"
            )

    @property
    def safety_items(self) -> tuple[Item, ...]:
        """The items with a safety threshold."""
        return tuple(i for i in self.items if i.safety is not None)

    def _computed_range(self) -> ScoreRange:
        low = sum(self.item_min(i) for i in self.items)
        high = sum(self.item_max(i) for i in self.items)
        if self.scoring.method == "mean":
            return ScoreRange(min=low / len(self.items), max=high / len(self.items))
        return ScoreRange(min=low, max=high)

    @property
    def score_range(self) -> ScoreRange:
        """The range of the total (given, or computed from the items)."""
        return self.range if self.range is not None else self._computed_range()

    @property
    def label(self) -> str:
        """The short name when there is one, else the name."""
        return self.short_name if self.short_name is not None else self.name

    @property
    def canonical_url(self) -> str:
        """A project-local canonical for the questionnaire, ``urn:edgewise:questionnaire:id|v``."""
        return f"urn:edgewise:questionnaire:{self.id}|{self.version}"

    def options_for(self, item: Item) -> tuple[ResponseOption, ...]:
        """The options ``item`` offers (its own, else the measure's shared ones)."""
        return item.options if item.options is not None else self.options

    def item_min(self, item: Item) -> int:
        """The lowest value ``item`` can take."""
        return min(o.value for o in self.options_for(item))

    def item_max(self, item: Item) -> int:
        """The highest value ``item`` can take."""
        return max(o.value for o in self.options_for(item))

    def item(self, item_id: str) -> Item | None:
        """The item called ``item_id``, if any."""
        return next((i for i in self.items if i.id == item_id), None)

    def band_for(self, score: float) -> str | None:
        """The label of the band ``score`` falls in (the highest band starting at or below it)."""
        label: str | None = None
        for band in self.bands:
            if band.min <= score + _EPS:
                label = band.label
        return label

    def is_clinical(self, score: float) -> bool | None:
        """Whether ``score`` is at or on the worse side of the cut-off; None without one."""
        if self.cutoff is None:
            return None
        if self.direction == "lower_is_better":
            return score >= self.cutoff - _EPS
        return score <= self.cutoff + _EPS

    def improvement(self, before: float, after: float) -> float:
        """Change from ``before`` to ``after`` signed so that positive is better."""
        diff = after - before
        return -diff if self.direction == "lower_is_better" else diff

    @property
    def best(self) -> float:
        """The best possible total (range min or max, by direction)."""
        rng = self.score_range
        return rng.min if self.direction == "lower_is_better" else rng.max


def _check_options(options: tuple[ResponseOption, ...]) -> None:
    if len(options) < 2:
        raise ValueError("give at least two response options")
    values = [o.value for o in options]
    if len(set(values)) != len(values):
        raise ValueError("response option values must be unique")


def _check_bands(bands: tuple[Band, ...], rng: ScoreRange) -> None:
    if not bands:
        return
    for before, after in zip(bands, bands[1:], strict=False):
        if after.min <= before.max:
            raise ValueError(
                f"band {after.label!r} must start above the end of band {before.label!r}"
            )
    if not (math.isclose(bands[0].min, rng.min) and math.isclose(bands[-1].max, rng.max)):
        raise ValueError(
            f"bands must run from the range min {_num(rng.min)} to its max {_num(rng.max)}"
        )


def _num(value: float) -> str:
    """``10`` for 10.0, ``2.5`` for 2.5."""
    return f"{value:g}"
