"""What the goals record does when a session is analysed, and its gentle alerts.

After a session is analysed (:mod:`edgewise.services.jobs`), :func:`plan_after_analysis`
works out, while the session's embeddings are still at hand:

* **follow-through**: for each accepted step set before this session (``after_number``
  below its number), what the session says about it
  (:func:`edgewise.analysis.followthrough.follow_through_session`, the step's words
  embedded once with the coder's embedder);
* **proposals**: the session's commitments (:attr:`SessionAnalysis.commitments`) as
  proposed steps, less those repeating an open step (:func:`edgewise.goals.proposals`).

:func:`save_after_analysis` stores both once the analysis is stored, then
:func:`refresh_goal_alerts` runs the two rules: a step unmentioned in
``GoalRules.unmentioned_sessions`` sessions in a row (``step_unmentioned``, one alert per
step: ``measure_key`` ``step:<id>``), and a goal whose steps were not done in
``GoalRules.failing_sessions`` followed-up sessions in a row (``goal_struggling``,
``goal:<id>``). As every alert rule: an alert is opened or updated, never a second one;
one that no longer holds is marked so and stays until reviewed. Once the clinician has
reviewed an alert, a run whose first session that alert already named raises no new one,
however long it goes on and however often the rules run again (every decision or review
runs them): only a new run (the step mentioned, or a step of the goal done, in between)
does. Reasons and history name steps, goals and sessions by number, never the client's
words.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from edgewise.analysis.followthrough import (
    FollowThrough,
    follow_through_session,
    follow_through_steps,
)
from edgewise.analysis.results import SessionAnalysis
from edgewise.domain import Session
from edgewise.goals import Entry, GoalRules, Proposal, failing_sessions, proposals, unmentioned_run
from edgewise.store import AlertRecord, Store
from edgewise.store.goal_records import FollowThroughRecord, NewStep, StepRecord

__all__ = [
    "GOAL_ALERT",
    "STEP_ALERT",
    "AfterAnalysis",
    "Embed",
    "plan_after_analysis",
    "refresh_goal_alerts",
    "save_after_analysis",
]

#: The alert kinds of the goals record.
STEP_ALERT = "step_unmentioned"
GOAL_ALERT = "goal_struggling"
#: Embeds texts as unit vectors (the coder's embedder: ``coder.embedder_.embed``).
Embed = Callable[[list[str]], npt.NDArray[np.float32]]
_OPEN = ("proposed", "accepted")


@dataclass(frozen=True)
class AfterAnalysis:
    """What one analysed session adds to the goals record (not yet stored)."""

    session_id: int
    client_id: int
    proposals: tuple[Proposal, ...] = ()
    follow: tuple[tuple[int, FollowThrough], ...] = field(default=())


def plan_after_analysis(
    store: Store,
    client_id: int,
    session_id: int,
    number: int,
    session: Session,
    analysis: SessionAnalysis,
    embeddings: npt.NDArray[np.float32] | None,
    embed: Embed | None,
    rules: GoalRules | None = None,
) -> AfterAnalysis:
    """The follow-through of the client's accepted steps in this session (numbered
    ``number``) and the steps its commitments propose. Without ``embeddings`` or
    ``embed`` (a coder without the model) nothing is followed up, and steps are told
    apart by their words alone."""
    steps = store.goals.client_steps(client_id)
    usable = embeddings is not None and embed is not None
    due = [s for s in steps if s.status == "accepted" and s.after_number < number]
    follow: list[tuple[int, FollowThrough]] = []
    if usable and due and embeddings is not None and embed is not None:
        vectors = embed([s.what for s in due])
        texts = [u.text for u in session.utterances]
        roles = [str(u.role) for u in session.utterances]
        whens = [s.when for s in due]
        read = follow_through_steps(
            [s.what for s in due], vectors, texts, roles, embeddings, whens=whens
        )
        if read is None:  # no reader: each step on its own (version 2 or the rules)
            read = [
                follow_through_session(step.what, vector, session, embeddings, when=step.when)
                for step, vector in zip(due, vectors, strict=True)
            ]
        follow += [(step.id, found) for step, found in zip(due, read, strict=True)]
    open_steps = [s.what for s in steps if s.status in _OPEN]
    found = analysis.commitments
    vectors_new = open_vectors = None
    if usable and embed is not None and found:
        vectors_new = embed([c.step for c in found])
        open_vectors = embed(open_steps) if open_steps else None
    chosen = proposals(
        found, open_steps, vectors=vectors_new, open_vectors=open_vectors, rules=rules
    )
    return AfterAnalysis(session_id, client_id, tuple(chosen), tuple(follow))


def save_after_analysis(store: Store, user_id: int, plan: AfterAnalysis) -> None:
    """Store the plan's follow-through and proposals, then run the goals' alert rules."""
    for step_id, found in plan.follow:
        store.goals.record_follow_through(
            step_id, plan.session_id, found.outcome, found.evidence, found.closeness
        )
    new = [NewStep(p.turn_index, p.what, p.when, p.labels) for p in plan.proposals]
    if new:
        store.goals.propose_steps(plan.client_id, plan.session_id, new)
    refresh_goal_alerts(store, user_id, plan.client_id)


def refresh_goal_alerts(
    store: Store, user_id: int, client_id: int, rules: GoalRules | None = None
) -> None:
    """Run the step and goal rules on the client's record: open or update each alert
    that holds; mark an open one that no longer does (``user_id``: who may see it)."""
    rules = rules or GoalRules()
    steps = store.goals.client_steps(client_id)
    entries = store.goals.client_follow_throughs(client_id)
    known = _Known.of(store.list_alerts(user_id, client_id))
    held: set[str] = set()
    for step in steps:
        if step.status == "accepted" and _step_alert(store, step, entries, rules, known):
            held.add(f"step:{step.id}")
    by_goal: dict[int, list[StepRecord]] = {}
    for step in steps:
        if step.goal_id is not None and step.status in ("accepted", "done"):
            by_goal.setdefault(step.goal_id, []).append(step)
    for goal_id, members in by_goal.items():
        if _goal_alert(store, client_id, goal_id, members, entries, rules, known):
            held.add(f"goal:{goal_id}")
    for kind, key in known.open:
        if key not in held:
            store.lapse_alert(client_id, kind, key)


@dataclass(frozen=True)
class _Known:
    """The client's goals alerts as the rules find them: the open ones (kind, key) and,
    per (kind, key), the sessions named by the evidence of those already reviewed."""

    open: frozenset[tuple[str, str]]
    reviewed: dict[tuple[str, str], frozenset[str]]

    @classmethod
    def of(cls, alerts: Sequence[AlertRecord]) -> _Known:
        mine = [a for a in alerts if a.kind in (STEP_ALERT, GOAL_ALERT)]
        opened = frozenset((a.kind, a.measure_key or "") for a in mine if a.resolved_at is None)
        reviewed: dict[tuple[str, str], frozenset[str]] = {}
        for a in mine:
            if a.resolved_at is not None:
                key = (a.kind, a.measure_key or "")
                reviewed[key] = reviewed.get(key, frozenset()) | _refs(a.evidence_json)
        return cls(opened, reviewed)

    def seen(self, kind: str, key: str, first: FollowThroughRecord) -> bool:
        """Whether the run starting at ``first``'s session was already raised and
        reviewed (and no alert of the rule and subject is open)."""
        if (kind, key) in self.open:
            return False
        return f"session:{first.session_id}" in self.reviewed.get((kind, key), frozenset())


def _refs(evidence_json: str) -> frozenset[str]:
    """The references an alert's evidence names (a damaged one names none)."""
    try:
        found = json.loads(evidence_json)
    except ValueError:
        return frozenset()
    return (
        frozenset(r for r in found if isinstance(r, str))
        if isinstance(found, list)
        else frozenset()
    )


def _step_alert(
    store: Store,
    step: StepRecord,
    entries: Sequence[FollowThroughRecord],
    rules: GoalRules,
    known: _Known,
) -> bool:
    mine = [e for e in entries if e.step_id == step.id]
    run = unmentioned_run([e.final for e in mine])
    if run < rules.unmentioned_sessions:
        return False
    quiet = mine[-run:]
    if known.seen(STEP_ALERT, f"step:{step.id}", quiet[0]):
        return True  # reviewed already: this run raises no second alert
    numbers = ", ".join(str(e.session_number) for e in quiet)
    origin = f"set in session {step.session_number}" if step.session_number else "written"
    reason = (
        f"Action step {step.id} ({origin}) has not come up in the last {run} sessions "
        f"(sessions {numbers}). It may be worth asking about it, or letting it go."
    )
    _record(store, step.client_id, STEP_ALERT, f"step:{step.id}", reason, quiet)
    return True


def _goal_alert(
    store: Store,
    client_id: int,
    goal_id: int,
    members: Sequence[StepRecord],
    entries: Sequence[FollowThroughRecord],
    rules: GoalRules,
    known: _Known,
) -> bool:
    ids = {s.id for s in members}
    mine = [e for e in entries if e.step_id in ids]
    run = failing_sessions([Entry(e.step_id, e.session_number, e.final) for e in mine])
    if len(run) < rules.failing_sessions:
        return False
    quiet = [e for e in mine if e.session_number in run]
    if known.seen(GOAL_ALERT, f"goal:{goal_id}", quiet[0]):
        return True  # reviewed already: this run raises no second alert
    numbers = ", ".join(str(n) for n in run)
    reason = (
        f"The steps of goal {goal_id} were not done in the last {len(run)} sessions that "
        f"followed them up (sessions {numbers}). The steps may be too big, or the goal "
        "may need another look together."
    )
    _record(store, client_id, GOAL_ALERT, f"goal:{goal_id}", reason, quiet)
    return True


def _record(
    store: Store,
    client_id: int,
    kind: str,
    key: str,
    reason: str,
    entries: Sequence[FollowThroughRecord],
) -> None:
    refs = list(dict.fromkeys(f"session:{e.session_id}" for e in entries))
    latest = entries[-1]
    entry = {
        "ref": f"session:{latest.session_id}",
        "value": None,
        "on": latest.session_date.isoformat(),
        "time": None,
        "session_number": latest.session_number,
        "answer": None,
    }
    store.record_alert(
        client_id, kind, reason, json.dumps(refs), measure_key=key, entry_json=json.dumps(entry)
    )
