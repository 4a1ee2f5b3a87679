"""The one versioned place for the analysis's weights: ``weights-v1.json``.

Every support/challenge value, threshold, window and the constants of the
``optimal_stress`` formula are data in that file, validated here, so a change
is one edit and a version bump (written into every analysis output).
"""

from __future__ import annotations

from importlib import resources

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from edgewise.errors import ModelError

__all__ = ["Adjustment", "CodeWeight", "StressWeights", "load_weights"]

_FILE = "weights-v1.json"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CodeWeight(_Frozen):
    """Support and challenge of one code (``behaviour`` or ``behaviour.subtype``)."""

    support: float = Field(ge=0, le=1)
    challenge: float = Field(ge=0, le=1)


class Adjustment(_Frozen):
    """How a marker or flag moves a move's scores: floors, ceilings or an addition."""

    support_min: float | None = Field(default=None, ge=0, le=1)
    support_max: float | None = Field(default=None, ge=0, le=1)
    support_add: float | None = Field(default=None, ge=-1, le=1)
    challenge_min: float | None = Field(default=None, ge=0, le=1)
    challenge_max: float | None = Field(default=None, ge=0, le=1)


class Thresholds(_Frozen):
    challenge_move: float = Field(gt=0, le=1)
    support_evidence: float = Field(gt=0, le=1)
    uncertain_note: float = Field(ge=0, le=1)
    support_high: float = Field(gt=0, lt=1)
    challenge_high: float = Field(gt=0, lt=1)
    repair_support: float = Field(gt=0, le=1)
    minimal_words: int = Field(ge=0)
    elaboration_words: int = Field(ge=1)
    topic_shift_below: float = Field(ge=-1, le=1)
    trend_t: float = Field(gt=0)
    trend_statements: float = Field(ge=0)


class Windows(_Frozen):
    response_utterances: int = Field(ge=1)
    repair_moves: int = Field(ge=1)
    reflect_lookback: int = Field(ge=1)
    challenge_run: int = Field(ge=2)
    stall_moves: int = Field(ge=2)
    stall_sustain: int = Field(ge=1)
    short_session: int = Field(ge=1)
    moments_per_kind: int = Field(ge=1)
    quotes_per_side: int = Field(ge=1)
    max_themes: int = Field(ge=1)


class OptimalStress(_Frozen):
    support_floor: float = Field(ge=0, lt=1)
    support_full: float = Field(gt=0, le=1)
    challenge_target: float = Field(gt=0, le=1)
    base: float = Field(ge=0, le=1)
    pressure_penalty: float = Field(ge=0, le=1)
    pressure_span: float = Field(gt=0, le=1)
    landing_prior: float = Field(ge=0)

    @model_validator(mode="after")
    def _floor_below_full(self) -> OptimalStress:
        if self.support_full <= self.support_floor:
            raise ValueError("support_full must be above support_floor")
        return self


class StressWeights(_Frozen):
    """All analysis weights; ``name@version`` identifies them in outputs."""

    name: str
    version: str
    about: str = ""
    codes: dict[str, CodeWeight]
    adjustments: dict[str, Adjustment]
    thresholds: Thresholds
    windows: Windows
    optimal_stress: OptimalStress

    @property
    def label(self) -> str:
        """``name@version``, as written into every analysis."""
        return f"{self.name}@{self.version}"


def load_weights(text: str | None = None) -> StressWeights:
    """The shipped weights (or ``text``, a JSON document in the same form), validated."""
    if text is None:
        text = resources.files("edgewise.analysis").joinpath(_FILE).read_text("utf-8")
    try:
        weights = StressWeights.model_validate_json(text)
    except ValidationError as exc:
        raise ModelError(f"analysis weights are invalid ({exc.error_count()} problems)") from None
    if "other" not in weights.codes:
        raise ModelError("analysis weights have no entry for the code 'other'")
    return weights
