"""The result of analysing one coded session: plain, frozen, storage-free.

Every number carries ``evidence``: the utterance indexes (``Utterance.index``,
0-based) that drove it, so a report can link each figure to its turns. The
JSON form of :class:`SessionAnalysis` is documented in ``docs/analyze.md``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = [
    "Commitment",
    "CommitmentLabel",
    "KeyMoment",
    "Miti",
    "MitiMeasure",
    "Move",
    "Pacing",
    "PartStatement",
    "Quadrant",
    "Response",
    "ResponseKind",
    "Rupture",
    "RuptureKind",
    "Score",
    "Scores",
    "Segment",
    "SessionAnalysis",
    "Theme",
    "Trend",
]

Quadrant = Literal["holding_both", "comfort", "pressure", "disengaged"]
ResponseKind = Literal["productive", "defensive", "withdrawn", "overwhelmed"]
RuptureKind = Literal["withdrawal", "confrontation", "discord"]
MomentKind = Literal["productive_challenge", "rupture", "repair", "overwhelm", "risk"]
Rating = Literal["below_fair", "fair", "good"]
CommitmentLabel = Literal["commitment", "activation", "taking_steps"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Score(_Frozen):
    """One figure, the utterances behind it and a sentence a clinician understands."""

    value: float | None = Field(description="None when the session gives nothing to measure.")
    evidence: tuple[int, ...] = ()
    explanation: str = ""


class Scores(_Frozen):
    """The headline scores of a session."""

    optimal_stress: Score
    support: Score
    challenge: Score


class Move(_Frozen):
    """One therapist utterance scored for support and challenge, with the reasons."""

    index: int
    support: float = Field(ge=0, le=1)
    challenge: float = Field(ge=0, le=1)
    reasons: tuple[str, ...] = Field(
        default=(), description="What set the scores, e.g. 'reflection.complex', 'double_sided'."
    )
    is_challenge: bool = Field(description="challenge >= the weights' challenge_move threshold.")


class Response(_Frozen):
    """How the client answered one challenging move."""

    challenge: int = Field(description="Index of the challenging therapist utterance.")
    kind: ResponseKind
    evidence: tuple[int, ...] = Field(description="The client utterances read (may be empty).")
    reasons: tuple[str, ...] = ()


class Segment(_Frozen):
    """One stretch of the session (a third, by default) so drift shows."""

    name: str
    start: int = Field(description="First utterance index in the segment.")
    end: int = Field(description="Last utterance index in the segment.")
    support: float | None
    challenge: float | None
    quadrant: Quadrant | None
    change_talk_share: float | None
    evidence: tuple[int, ...] = ()


class Trend(_Frozen):
    """Change-talk share across the session's segments and its slope per segment."""

    values: tuple[float | None, ...]
    slope: float | None
    direction: Literal["rising", "falling", "flat", "unknown"]
    explanation: str = ""


class Rupture(_Frozen):
    """A strain in the alliance and whether the therapist repaired it."""

    index: int = Field(description="Where the rupture shows (client or therapist utterance).")
    kind: RuptureKind
    by: Literal["client", "therapist"] = Field(description="Who showed the strain.")
    label: str = Field(description="Who did what, in the transcript's own role words.")
    evidence: tuple[int, ...]
    repaired: bool
    repair: int | None = Field(default=None, description="Index of the repairing utterance.")


class Pacing(_Frozen):
    """Too fast (dense challenge, input before reflecting) or too slow (stalls)."""

    therapist_talk_share: Score
    input_before_reflection: Score
    longest_challenge_run: Score
    challenge_runs: tuple[tuple[int, ...], ...] = Field(
        description="Runs of consecutive challenging therapist moves at or above the run length."
    )
    stalled_stretches: tuple[tuple[int, ...], ...] = Field(
        description="Stretches without challenge while the client's sustain talk persisted."
    )


class MitiMeasure(_Frozen):
    """A MITI-style summary figure with the published thresholds beside it."""

    value: float | None
    fair: float
    good: float
    rating: Rating | None
    evidence: tuple[int, ...] = ()
    explanation: str = ""


class Miti(_Frozen):
    """MITI 4.2.1-style summary counted from the codes (not a MITI rating by a coder)."""

    reflections: int
    complex_reflections: int
    questions: int
    reflection_to_question: MitiMeasure
    percent_complex_reflections: MitiMeasure
    non_adherent: Score = Field(description="Confrontation and advice without permission.")


class KeyMoment(_Frozen):
    """A turn worth looking at again, and why."""

    kind: MomentKind
    index: int
    evidence: tuple[int, ...]
    explanation: str


class PartStatement(_Frozen):
    """One client statement quoted in the parts view."""

    index: int
    text: str


class Theme(_Frozen):
    """Change and sustain statements on one theme, side by side."""

    label: str = Field(description="The theme's most telling words.")
    ready: tuple[PartStatement, ...] = Field(description="The part that is ready (change talk).")
    holds_back: tuple[PartStatement, ...] = Field(
        description="The part that holds back (sustain talk)."
    )


class Commitment(_Frozen):
    """A client turn that voices commitment, activation or taking steps (MI's CAT)."""

    index: int = Field(description="The client turn.")
    labels: tuple[CommitmentLabel, ...] = Field(
        description="commitment ('I'll ring her tonight'), activation ('I'd be willing to "
        "try'), taking_steps ('this week I started...'); one turn may carry several."
    )
    scores: dict[str, float] = Field(description="Each label's score (0 to 1).")
    step: str = Field(description="The step in the client's own words, lead-in taken off.")
    when: str | None = Field(default=None, description="When, if the client said ('tonight').")
    evidence: tuple[int, ...] = Field(
        description="The turns read: the client turn, and the clinician's question before "
        "it when the turn only answers it ('Yes, Wednesday')."
    )


class SessionAnalysis(_Frozen):
    """The optimal-stress profile of one session."""

    session_id: str
    analyser: str = Field(description="name@version of the analyser and its weights.")
    coder: str = Field(description="The coder's model version the codes came from.")
    utterances: int
    scores: Scores
    quadrant: Quadrant | None
    segments: tuple[Segment, ...]
    change_talk_share: Score
    change_talk_trend: Trend
    challenge_landing: Score
    moves: tuple[Move, ...]
    responses: tuple[Response, ...]
    ruptures: tuple[Rupture, ...]
    pacing: Pacing
    miti: Miti
    key_moments: tuple[KeyMoment, ...]
    parts: tuple[Theme, ...]
    commitments: tuple[Commitment, ...] = Field(
        default=(),
        description="Client turns of commitment, activation and taking steps, in order; "
        "empty when the analysis had no embeddings or no commitment model.",
    )
    notes: tuple[str, ...] = Field(
        default=(), description="Plain-language caveats, e.g. no client talk, risk screening."
    )
