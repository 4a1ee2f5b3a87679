"""From insight to action: the goals record's rules, the insight-to-action view and the
take-away plan, as plain data and pure functions (no storage).

Layer 4 (like :mod:`edgewise.measures` and :mod:`edgewise.journal`): reads the analysis'
commitments and themes; the store and the services keep the record. See docs/goals.md.
"""

from __future__ import annotations

from edgewise.goals.rules import (
    FOLLOW_OUTCOMES,
    Entry,
    GoalRules,
    Proposal,
    RatePoint,
    failing_sessions,
    proposals,
    rate_points,
    same_step,
    unmentioned_run,
)

__all__ = [
    "FOLLOW_OUTCOMES",
    "Entry",
    "GoalRules",
    "Proposal",
    "RatePoint",
    "failing_sessions",
    "proposals",
    "rate_points",
    "same_step",
    "unmentioned_run",
]
