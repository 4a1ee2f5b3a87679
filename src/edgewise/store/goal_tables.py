"""The goals tables (revision 0011): goals, action steps and their follow-through.

* ``goals``: a goal in the client's own words (``title_text``) and the value behind it
  (``value_text``), as a coach would hold them; ``active``, ``achieved`` or ``set_aside``.
* ``action_steps``: what the client said they would do (``what_text``), by when if they
  said (``when_text``; ``due_on`` when the clinician dates it), the session and turn it
  came from, the words first proposed (``proposed_text``: kept when the clinician edits,
  so the same commitment is not proposed twice), the commitment labels of the turn, and
  its status: ``proposed`` (by the analysis), ``accepted``, ``dismissed`` or ``done``.
  ``after_number``: follow-through is looked for in the client's sessions numbered
  after it (the session it came from, or the latest one when the clinician wrote it).
* ``follow_throughs``: per accepted step and later session, what the matcher proposed
  (``proposed``) and what the clinician confirmed or corrected (``outcome``), with the
  evidence turns (JSON list of utterance indexes: numbers only).

Every column holding the client's words is sealed at rest (EncryptedText). Whoever may
see the client reads them; whoever may add to it changes them (the record's rules).
Gone with the client (ON DELETE CASCADE). Imported by :mod:`edgewise.store.tables`, so
``Base.metadata`` holds them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from edgewise.store.crypto import EncryptedText
from edgewise.store.tables import Base

__all__ = [
    "FOLLOW_OUTCOMES",
    "GOAL_STATUSES",
    "STEP_STATUSES",
    "ActionStep",
    "FollowThroughRow",
    "Goal",
]

GOAL_STATUSES = ("active", "achieved", "set_aside")
STEP_STATUSES = ("proposed", "accepted", "dismissed", "done")
FOLLOW_OUTCOMES = ("done", "partly", "not_done", "not_mentioned")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Goal(Base):
    """A client's goal, in their words, with the value behind it."""

    __tablename__ = "goals"
    __table_args__ = (
        Index(None, "client_id"),
        CheckConstraint(_in("status", GOAL_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: Encrypted at rest (edgewise.store.crypto): the client's words.
    title_text: Mapped[str] = mapped_column(EncryptedText("goals.title_text"))
    #: Encrypted at rest: the value behind the goal, if written.
    value_text: Mapped[str | None] = mapped_column(EncryptedText("goals.value_text"))
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class ActionStep(Base):
    """A step the client said they would take, proposed from a session or written."""

    __tablename__ = "action_steps"
    __table_args__ = (
        Index(None, "client_id", "status"),
        Index(None, "session_id"),
        Index(None, "goal_id"),
        CheckConstraint(_in("status", STEP_STATUSES), name="status"),
        CheckConstraint("turn_index IS NULL OR turn_index >= 0", name="turn_index"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id", ondelete="SET NULL"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    turn_index: Mapped[int | None] = mapped_column(Integer)
    after_number: Mapped[int] = mapped_column(Integer)
    #: Encrypted at rest: the step in the client's words (as the clinician last left it).
    what_text: Mapped[str] = mapped_column(EncryptedText("action_steps.what_text"))
    #: Encrypted at rest: the words the analysis proposed (None for a written step).
    proposed_text: Mapped[str | None] = mapped_column(EncryptedText("action_steps.proposed_text"))
    #: Encrypted at rest: when, as the client said it ("on Sunday").
    when_text: Mapped[str | None] = mapped_column(EncryptedText("action_steps.when_text"))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    labels: Mapped[str] = mapped_column(String(64), default="", server_default="")
    status: Mapped[str] = mapped_column(String(16), default="proposed")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class FollowThroughRow(Base):
    """What a later session said about an accepted step: proposed, then reviewed."""

    __tablename__ = "follow_throughs"
    __table_args__ = (
        UniqueConstraint("step_id", "session_id"),
        Index(None, "client_id"),
        Index(None, "session_id"),
        CheckConstraint(_in("proposed", FOLLOW_OUTCOMES), name="proposed"),
        CheckConstraint(f"outcome IS NULL OR {_in('outcome', FOLLOW_OUTCOMES)}", name="outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    step_id: Mapped[int] = mapped_column(ForeignKey("action_steps.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    proposed: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str | None] = mapped_column(String(16))
    evidence: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    closeness: Mapped[float] = mapped_column(Float)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
