"""Store methods for goals, action steps and follow-through (revision 0011).

The record's rules: whoever may see the client reads its goals, steps and follow-through;
whoever may add to it (the owner, a share that may write) adds, edits, decides and
reviews. A record of a client the user may not see reads as missing (NotFoundError); a
change asked by a read-only colleague is a ReadOnlyError. The analysis job writes
proposals (:meth:`GoalRepository.propose_steps`, :meth:`GoalRepository.record_follow_through`)
for the client of the session it analysed, as it writes alerts. Messages carry ids only.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from edgewise.store.base import StoreBase, now
from edgewise.store.caseload import visible_to
from edgewise.store.errors import NotFoundError
from edgewise.store.goal_records import (
    MAX_GOAL_CHARS,
    MAX_STEP_CHARS,
    MAX_WHEN_CHARS,
    FollowThroughRecord,
    GoalError,
    GoalRecord,
    NewStep,
    StepRecord,
)
from edgewise.store.goal_tables import (
    FOLLOW_OUTCOMES,
    GOAL_STATUSES,
    STEP_STATUSES,
    ActionStep,
    FollowThroughRow,
    Goal,
)
from edgewise.store.tables import Client, SessionRow, User

__all__ = ["KEEP", "GoalRepository", "Keep"]


class Keep:
    """The value of an update argument left as it is."""

    def __repr__(self) -> str:
        return "KEEP"


#: Leave this field of a step or goal as it is.
KEEP: Final = Keep()


class GoalRepository(StoreBase):
    """Goals, steps and follow-through; held by :class:`edgewise.store.Store` as
    ``store.goals``."""

    # -- reads ----------------------------------------------------------------------
    def list_goals(self, user_id: int, client_id: int) -> list[GoalRecord]:
        """The client's goals, oldest first; NotFoundError if not a client they may see."""
        with self._read() as s:
            self._visible_client(s, user_id, client_id)
            rows = s.scalars(select(Goal).where(Goal.client_id == client_id).order_by(Goal.id))
            return [_goal(r) for r in rows]

    def list_steps(self, user_id: int, client_id: int) -> list[StepRecord]:
        """The client's action steps in the order they were set (session, then turn)."""
        with self._read() as s:
            self._visible_client(s, user_id, client_id)
            return _steps(s, client_id)

    def get_step(self, user_id: int, step_id: int) -> StepRecord:
        """One step of a client ``user_id`` may see, else NotFoundError."""
        with self._read() as s:
            row = _step_row(s, user_id, step_id)
            return _step(row, _number(s, row.session_id), _name(s, row.decided_by))

    def list_follow_throughs(self, user_id: int, client_id: int) -> list[FollowThroughRecord]:
        """Every follow-through entry of the client's steps, by session then step."""
        with self._read() as s:
            self._visible_client(s, user_id, client_id)
            return _follow(s, client_id)

    # -- the clinician's writes -------------------------------------------------------
    def add_goal(
        self, user_id: int, client_id: int, *, title: str, value: str | None = None
    ) -> GoalRecord:
        """A new active goal for the client, in the client's words."""
        title_text, value_text = _text(title, MAX_GOAL_CHARS, "goal"), _optional(value)
        with self._write() as s:
            self._writable_client(s, user_id, client_id)
            stamp = now()
            row = Goal(
                client_id=client_id,
                created_by=user_id,
                title_text=title_text,
                value_text=value_text,
                status="active",
                created_at=stamp,
                updated_at=stamp,
            )
            s.add(row)
            s.flush()
            return _goal(row)

    def update_goal(
        self,
        user_id: int,
        goal_id: int,
        *,
        title: str | Keep = KEEP,
        value: str | None | Keep = KEEP,
        status: str | Keep = KEEP,
    ) -> GoalRecord:
        """Change a goal's words, value or status."""
        with self._write() as s:
            row = s.scalar(
                select(Goal)
                .join(Client, Client.id == Goal.client_id)
                .where(Goal.id == goal_id, visible_to(user_id))
            )
            if row is None:
                raise NotFoundError(f"no goal {goal_id} for user {user_id}")
            self._writable_client(s, user_id, row.client_id)
            if not isinstance(title, Keep):
                row.title_text = _text(title, MAX_GOAL_CHARS, "goal")
            if not isinstance(value, Keep):
                row.value_text = _optional(value)
            if not isinstance(status, Keep):
                row.status = _choice(status, GOAL_STATUSES, "goal status")
            row.updated_at = now()
            s.flush()
            return _goal(row)

    def add_step(
        self,
        user_id: int,
        client_id: int,
        *,
        what: str,
        when: str | None = None,
        due_on: dt.date | None = None,
        goal_id: int | None = None,
    ) -> StepRecord:
        """A step the clinician writes: accepted at once, followed up in the sessions
        after the client's latest."""
        text = _text(what, MAX_STEP_CHARS, "step")
        with self._write() as s:
            self._writable_client(s, user_id, client_id)
            _check_goal(s, client_id, goal_id)
            latest = s.scalar(
                select(func.max(SessionRow.number)).where(SessionRow.client_id == client_id)
            )
            stamp = now()
            row = ActionStep(
                client_id=client_id,
                goal_id=goal_id,
                after_number=int(latest or 0),
                what_text=text,
                when_text=_when(when),
                due_on=due_on,
                labels="",
                status="accepted",
                created_by=user_id,
                decided_by=user_id,
                decided_at=stamp,
                created_at=stamp,
                updated_at=stamp,
            )
            s.add(row)
            s.flush()
            return _step(row, None, _name(s, user_id))

    def update_step(
        self,
        user_id: int,
        step_id: int,
        *,
        what: str | Keep = KEEP,
        when: str | None | Keep = KEEP,
        due_on: dt.date | None | Keep = KEEP,
        goal_id: int | None | Keep = KEEP,
        status: str | Keep = KEEP,
    ) -> StepRecord:
        """Edit a step, group it under a goal, or decide it (accept, dismiss, mark done).
        A step never goes back to ``proposed``."""
        with self._write() as s:
            row = _step_row(s, user_id, step_id)
            self._writable_client(s, user_id, row.client_id)
            if not isinstance(what, Keep):
                row.what_text = _text(what, MAX_STEP_CHARS, "step")
            if not isinstance(when, Keep):
                row.when_text = _when(when)
            if not isinstance(due_on, Keep):
                row.due_on = due_on
            if not isinstance(goal_id, Keep):
                _check_goal(s, row.client_id, goal_id)
                row.goal_id = goal_id
            if not isinstance(status, Keep):
                _decide(row, status, user_id)
            row.updated_at = now()
            s.flush()
            return _step(row, _number(s, row.session_id), _name(s, row.decided_by))

    def review_follow_through(
        self, user_id: int, entry_id: int, outcome: str
    ) -> FollowThroughRecord:
        """Confirm (the proposed outcome) or correct (another) a follow-through entry."""
        chosen = _choice(outcome, FOLLOW_OUTCOMES, "outcome")
        with self._write() as s:
            row = s.scalar(
                select(FollowThroughRow)
                .join(Client, Client.id == FollowThroughRow.client_id)
                .where(FollowThroughRow.id == entry_id, visible_to(user_id))
            )
            if row is None:
                raise NotFoundError(f"no follow-through {entry_id} for user {user_id}")
            self._writable_client(s, user_id, row.client_id)
            row.outcome = chosen
            row.reviewed_by, row.reviewed_at = user_id, now()
            row.updated_at = row.reviewed_at
            s.flush()
            return _follow_record(s, row)

    # -- the analysis job's writes and reads ------------------------------------------
    def propose_steps(
        self, client_id: int, session_id: int, steps: Sequence[NewStep]
    ) -> list[StepRecord]:
        """Store ``steps`` as proposed from the session; a turn already proposed from
        (a re-analysis) is skipped. The steps stored."""
        with self._write() as s:
            session = s.get(SessionRow, session_id)
            if session is None or session.client_id != client_id:
                raise NotFoundError(f"no session {session_id} of client {client_id}")
            known = set(
                s.scalars(select(ActionStep.turn_index).where(ActionStep.session_id == session_id))
            )
            stamp = now()
            rows = []
            for step in steps:
                if step.turn_index in known:
                    continue
                known.add(step.turn_index)
                text = _text(step.what, MAX_STEP_CHARS, "step")
                rows.append(
                    ActionStep(
                        client_id=client_id,
                        session_id=session_id,
                        turn_index=step.turn_index,
                        after_number=session.number,
                        what_text=text,
                        proposed_text=text,
                        when_text=_when(step.when),
                        labels=",".join(step.labels)[:64],
                        status="proposed",
                        created_at=stamp,
                        updated_at=stamp,
                    )
                )
            s.add_all(rows)
            s.flush()
            return [_step(r, session.number, None) for r in rows]

    def client_steps(self, client_id: int) -> list[StepRecord]:
        """Every step of the client, whoever asks (for the analysis job's rules)."""
        with self._read() as s:
            return _steps(s, client_id)

    def client_follow_throughs(self, client_id: int) -> list[FollowThroughRecord]:
        """Every follow-through entry of the client (for the analysis job's rules)."""
        with self._read() as s:
            return _follow(s, client_id)

    def record_follow_through(
        self,
        step_id: int,
        session_id: int,
        proposed: str,
        evidence: Sequence[int],
        closeness: float,
    ) -> FollowThroughRecord:
        """The matcher's proposal for a step in a session: new, or replacing the last
        proposal (a re-analysis); a clinician's review of it stays as it is."""
        chosen = _choice(proposed, FOLLOW_OUTCOMES, "outcome")
        with self._write() as s:
            step = s.get(ActionStep, step_id)
            session = s.get(SessionRow, session_id)
            if step is None or session is None or session.client_id != step.client_id:
                raise NotFoundError(f"no step {step_id} with a session {session_id}")
            row = s.scalar(
                select(FollowThroughRow).where(
                    FollowThroughRow.step_id == step_id, FollowThroughRow.session_id == session_id
                )
            )
            stamp = now()
            if row is None:
                row = FollowThroughRow(
                    step_id=step_id,
                    client_id=step.client_id,
                    session_id=session_id,
                    created_at=stamp,
                )
                s.add(row)
            row.proposed, row.evidence = chosen, json.dumps([int(i) for i in evidence])
            row.closeness, row.updated_at = float(closeness), stamp
            s.flush()
            return _follow_record(s, row)


def _step_row(s: Session, user_id: int, step_id: int) -> ActionStep:
    row = s.scalar(
        select(ActionStep)
        .join(Client, Client.id == ActionStep.client_id)
        .where(ActionStep.id == step_id, visible_to(user_id))
    )
    if row is None:
        raise NotFoundError(f"no action step {step_id} for user {user_id}")
    return row


def _decide(row: ActionStep, status: str, user_id: int) -> None:
    chosen = _choice(status, STEP_STATUSES, "step status")
    if chosen == "proposed" and row.status != "proposed":
        raise GoalError(f"step {row.id} was decided already: it cannot be proposed again")
    if chosen != row.status:
        row.status = chosen
        row.decided_by, row.decided_at = user_id, now()


def _check_goal(s: Session, client_id: int, goal_id: int | None) -> None:
    if goal_id is None:
        return
    goal = s.get(Goal, goal_id)
    if goal is None or goal.client_id != client_id:
        raise GoalError(f"goal {goal_id} is not one of client {client_id}'s")


def _text(value: str, limit: int, what: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise GoalError(f"the {what} is empty")
    if len(text) > limit:
        raise GoalError(f"the {what} is longer than {limit} characters")
    return text


def _optional(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return _text(value, MAX_GOAL_CHARS, "value")


def _when(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    return _text(value, MAX_WHEN_CHARS, "'by when'")


def _choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    if value not in allowed:
        raise GoalError(f"unknown {what}: one of {', '.join(allowed)}")
    return value


def _steps(s: Session, client_id: int) -> list[StepRecord]:
    rows = s.execute(
        select(ActionStep, SessionRow.number, User.username)
        .outerjoin(SessionRow, SessionRow.id == ActionStep.session_id)
        .outerjoin(User, User.id == ActionStep.decided_by)
        .where(ActionStep.client_id == client_id)
    )
    found = [_step(row, number, name) for row, number, name in rows]
    # in Python: the backends put a NULL turn (a written step) at opposite ends
    return sorted(found, key=lambda r: (r.after_number, r.turn_index is None, r.turn_index, r.id))


def _follow(s: Session, client_id: int) -> list[FollowThroughRecord]:
    rows = s.execute(
        select(FollowThroughRow, SessionRow.number, SessionRow.date, User.username)
        .join(SessionRow, SessionRow.id == FollowThroughRow.session_id)
        .outerjoin(User, User.id == FollowThroughRow.reviewed_by)
        .where(FollowThroughRow.client_id == client_id)
        .order_by(SessionRow.number, FollowThroughRow.step_id)
    )
    return [_follow_of(row, number, date, name) for row, number, date, name in rows]


def _follow_record(s: Session, row: FollowThroughRow) -> FollowThroughRecord:
    session = s.get(SessionRow, row.session_id)
    assert session is not None  # the foreign key holds it
    return _follow_of(row, session.number, session.date, _name(s, row.reviewed_by))


def _follow_of(
    row: FollowThroughRow, number: int, date: dt.date, reviewer: str | None
) -> FollowThroughRecord:
    return FollowThroughRecord(
        id=row.id,
        step_id=row.step_id,
        client_id=row.client_id,
        session_id=row.session_id,
        session_number=number,
        session_date=date,
        proposed=row.proposed,
        outcome=row.outcome,
        evidence=tuple(_indexes(row.evidence)),
        closeness=row.closeness,
        reviewed_by=reviewer,
        reviewed_at=row.reviewed_at,
    )


def _indexes(text: str) -> list[int]:
    try:
        items: Any = json.loads(text or "[]")
    except ValueError:
        return []
    return [int(i) for i in items if isinstance(i, int)] if isinstance(items, list) else []


def _number(s: Session, session_id: int | None) -> int | None:
    if session_id is None:
        return None
    session = s.get(SessionRow, session_id)
    return None if session is None else session.number


def _name(s: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = s.get(User, user_id)
    return None if user is None else user.username


def _goal(row: Goal) -> GoalRecord:
    return GoalRecord(
        id=row.id,
        client_id=row.client_id,
        title=row.title_text,
        value=row.value_text,
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _step(row: ActionStep, number: int | None, decider: str | None) -> StepRecord:
    return StepRecord(
        id=row.id,
        client_id=row.client_id,
        goal_id=row.goal_id,
        session_id=row.session_id,
        session_number=number,
        turn_index=row.turn_index,
        after_number=row.after_number,
        what=row.what_text,
        proposed=row.proposed_text,
        when=row.when_text,
        due_on=row.due_on,
        labels=tuple(label for label in row.labels.split(",") if label),
        status=row.status,
        decided_by=decider,
        decided_at=row.decided_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
