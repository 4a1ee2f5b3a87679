"""The goals record's rules as pure functions: which commitments become proposed steps,
when a step has gone unmentioned, when a goal's steps keep failing, and the
follow-through rate of each session.

Every constant is in :class:`GoalRules` (one versioned place); ``docs/goals.md`` says
why each is what it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from edgewise.analysis.results import Commitment

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

#: What a later session said about a step (the matcher's outcomes).
FOLLOW_OUTCOMES = ("done", "partly", "not_done", "not_mentioned")


@dataclass(frozen=True)
class GoalRules:
    """The constants of the goals record (``version`` names them in docs and alerts)."""

    version: str = "edgewise.goals.rules.v1"
    #: Labels a commitment turn needs to be proposed as a step: a step already taken
    #: (``taking_steps`` alone) is progress to notice, not a step to set.
    propose_labels: tuple[str, ...] = ("commitment", "activation")
    #: Cosine of two steps' embeddings at or above which they are the same step.
    same_cosine: float = 0.8
    #: Share of content words two steps share (of the smaller set) that makes them the same.
    same_words: float = 0.75
    #: A step unmentioned in this many sessions in a row raises its alert.
    unmentioned_sessions: int = 2
    #: A goal whose steps were not done (and none done) in this many followed-up sessions
    #: in a row raises its alert.
    failing_sessions: int = 2
    #: A step partly done counts this much towards the follow-through rate.
    partly_weight: float = 0.5


@dataclass(frozen=True)
class Proposal:
    """A step to propose from a commitment turn (``what``: the client's words)."""

    turn_index: int
    what: str
    when: str | None
    labels: tuple[str, ...]

    def __repr__(self) -> str:
        return f"Proposal(turn_index={self.turn_index})"


@dataclass(frozen=True)
class Entry:
    """One follow-through outcome: the step, the session's number and the outcome (the
    clinician's when reviewed, else the matcher's)."""

    step_id: int
    session_number: int
    outcome: str


@dataclass(frozen=True)
class RatePoint:
    """One session's follow-through: counts per outcome and the rate, (done + partly x
    weight) / steps followed up."""

    session_id: int
    session_number: int
    counts: dict[str, int]
    rate: float

    @property
    def total(self) -> int:
        return sum(self.counts.values())


_WORD = re.compile(r"[a-z][a-z']+")
_STOP = frozenset(
    """a an and the to of in on at for with my me i i'll i'm it its this that be is are
    will would going go get do did so just more less too also try week day every""".split()
)


def _content(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def same_step(
    a: str,
    b: str,
    a_vector: npt.NDArray[np.float32] | None = None,
    b_vector: npt.NDArray[np.float32] | None = None,
    rules: GoalRules | None = None,
) -> bool:
    """Whether two steps say the same thing: their words (crudely stemmed) mostly
    shared, or their embeddings (unit vectors, when given) close."""
    rules = rules or GoalRules()
    wa, wb = _content(a), _content(b)
    if wa and wb and len(wa & wb) / min(len(wa), len(wb)) >= rules.same_words:
        return True
    if a_vector is None or b_vector is None:
        return False
    return float(a_vector @ b_vector) >= rules.same_cosine


def proposals(
    commitments: Sequence[Commitment],
    open_steps: Sequence[str],
    *,
    vectors: npt.NDArray[np.float32] | None = None,
    open_vectors: npt.NDArray[np.float32] | None = None,
    rules: GoalRules | None = None,
) -> list[Proposal]:
    """The steps to propose from a session's commitments, in turn order: turns with a
    label of ``rules.propose_labels``, less those repeating an open step (``open_steps``,
    the client's proposed and accepted steps) or an earlier one of the same session.
    ``vectors``/``open_vectors``: unit embeddings of each commitment's step and of each
    open step (optional: the words alone decide without them)."""
    rules = rules or GoalRules()
    chosen: list[Proposal] = []
    kept_vectors: list[npt.NDArray[np.float32] | None] = []
    for i, found in enumerate(commitments):
        if not set(found.labels) & set(rules.propose_labels) or not found.step.strip():
            continue
        vector = None if vectors is None else vectors[i]
        olds = [
            (text, None if open_vectors is None else open_vectors[j])
            for j, text in enumerate(open_steps)
        ]
        olds += [(p.what, v) for p, v in zip(chosen, kept_vectors, strict=True)]
        if any(same_step(found.step, text, vector, v, rules) for text, v in olds):
            continue
        chosen.append(Proposal(found.index, found.step, found.when, tuple(found.labels)))
        kept_vectors.append(vector)
    return chosen


def unmentioned_run(outcomes: Sequence[str]) -> int:
    """How many of the latest outcomes (oldest first) in a row are ``not_mentioned``."""
    run = 0
    for outcome in reversed(outcomes):
        if outcome != "not_mentioned":
            break
        run += 1
    return run


def failing_sessions(entries: Sequence[Entry]) -> list[int]:
    """The latest sessions in a row (their numbers, oldest first) in which the goal's
    steps were followed up with at least one ``not_done`` and no ``done``; sessions that
    only left the steps unmentioned are passed over."""
    by_session: dict[int, set[str]] = {}
    for entry in entries:
        by_session.setdefault(entry.session_number, set()).add(entry.outcome)
    run: list[int] = []
    for number in sorted(by_session, reverse=True):
        said = by_session[number] - {"not_mentioned"}
        if not said:
            continue
        if "not_done" not in said or "done" in said:
            break
        run.insert(0, number)
    return run


def rate_points(
    entries: Sequence[Entry], session_ids: dict[int, int], rules: GoalRules | None = None
) -> list[RatePoint]:
    """One point per session with follow-through, by session number; ``session_ids``
    maps each session's number to its id."""
    rules = rules or GoalRules()
    by_session: dict[int, dict[str, int]] = {}
    for entry in entries:
        counts = by_session.setdefault(entry.session_number, dict.fromkeys(FOLLOW_OUTCOMES, 0))
        counts[entry.outcome] = counts.get(entry.outcome, 0) + 1
    points = []
    for number in sorted(by_session):
        counts = by_session[number]
        total = sum(counts.values())
        score = counts["done"] + rules.partly_weight * counts["partly"]
        points.append(
            RatePoint(session_ids.get(number, 0), number, counts, score / total if total else 0.0)
        )
    return points
