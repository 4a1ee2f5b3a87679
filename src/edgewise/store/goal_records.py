"""What the goals repository hands out: goals, action steps, follow-through, and its error.

Plain frozen records; their ``repr`` names ids only (the text fields are the client's
words: health information, never logged).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edgewise.errors import InputError

__all__ = [
    "MAX_GOAL_CHARS",
    "MAX_STEP_CHARS",
    "MAX_WHEN_CHARS",
    "FollowThroughRecord",
    "GoalError",
    "GoalRecord",
    "NewStep",
    "StepRecord",
]

#: The longest goal (and value) and step a clinician may keep, and the longest "when".
MAX_GOAL_CHARS = 1000
MAX_STEP_CHARS = 1000
MAX_WHEN_CHARS = 200


class GoalError(InputError):
    """A goal, action step or follow-through that cannot be stored (E480): empty or too
    long, an unknown status or outcome, or a goal of another client."""

    code = "E480"


@dataclass(frozen=True, slots=True)
class GoalRecord:
    """A client's goal (``title`` and ``value`` are the client's words)."""

    id: int
    client_id: int
    title: str
    value: str | None
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime

    def __repr__(self) -> str:
        return f"GoalRecord(id={self.id}, client_id={self.client_id})"


@dataclass(frozen=True, slots=True)
class StepRecord:
    """An action step. ``turn_index`` is the utterance index (0-based) it came from;
    ``session_number`` that session's number (None for a step the clinician wrote)."""

    id: int
    client_id: int
    goal_id: int | None
    session_id: int | None
    session_number: int | None
    turn_index: int | None
    after_number: int
    what: str
    proposed: str | None
    when: str | None
    due_on: dt.date | None
    labels: tuple[str, ...]
    status: str
    decided_by: str | None
    decided_at: dt.datetime | None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def edited(self) -> bool:
        """Whether the clinician changed the words the analysis proposed."""
        return self.proposed is not None and self.proposed != self.what

    def __repr__(self) -> str:
        return f"StepRecord(id={self.id}, client_id={self.client_id}, status={self.status})"


@dataclass(frozen=True, slots=True)
class FollowThroughRecord:
    """What a later session said about a step: the matcher's ``proposed`` outcome and the
    clinician's ``outcome`` (None until reviewed); ``evidence``: utterance indexes."""

    id: int
    step_id: int
    client_id: int
    session_id: int
    session_number: int
    session_date: dt.date
    proposed: str
    outcome: str | None
    evidence: tuple[int, ...]
    closeness: float
    reviewed_by: str | None
    reviewed_at: dt.datetime | None

    @property
    def final(self) -> str:
        """The clinician's outcome when reviewed, else the proposal."""
        return self.outcome or self.proposed

    @property
    def corrected(self) -> bool:
        """Reviewed, with an outcome other than the one proposed."""
        return self.outcome is not None and self.outcome != self.proposed


@dataclass(frozen=True, slots=True)
class NewStep:
    """A step the analysis proposes from a commitment (the client's words)."""

    turn_index: int
    what: str
    when: str | None
    labels: tuple[str, ...]

    def __repr__(self) -> str:
        return f"NewStep(turn_index={self.turn_index})"
