"""Goals, action steps and follow-through (issue 14).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05

* ``goals``: the client's goal in their words and the value behind it (both sealed by
  edgewise.store.crypto: Text columns), its status; gone with the client.
* ``action_steps``: a step proposed from a session's commitments or written by the
  clinician: its words, the words first proposed and when (sealed), an optional date,
  the session and turn it came from, the commitment labels, its status, who decided.
* ``follow_throughs``: per accepted step and later session, the matcher's proposal and
  the clinician's confirmed or corrected outcome, the evidence turns (JSON numbers).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OUTCOMES = "('done', 'partly', 'not_done', 'not_mentioned')"


def _utc() -> sa.DateTime:
    """Timestamps are stored in UTC (edgewise.store.tables.UtcDateTime)."""
    return sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    """Create ``goals``, ``action_steps`` and ``follow_throughs``."""
    _goals()
    _steps()
    _follow_throughs()


def _goals() -> None:
    op.create_table(
        "goals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("title_text", sa.Text(), nullable=False),
        sa.Column("value_text", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'achieved', 'set_aside')", name=op.f("ck_goals_status")
        ),
        _fk("goals", "client_id", "clients", "CASCADE"),
        _fk("goals", "created_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_goals")),
    )
    op.create_index(op.f("ix_goals_client_id"), "goals", ["client_id"])


def _steps() -> None:
    op.create_table(
        "action_steps",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("goal_id", sa.Integer(), nullable=True),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("turn_index", sa.Integer(), nullable=True),
        sa.Column("after_number", sa.Integer(), nullable=False),
        sa.Column("what_text", sa.Text(), nullable=False),
        sa.Column("proposed_text", sa.Text(), nullable=True),
        sa.Column("when_text", sa.Text(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("labels", sa.String(length=64), server_default="", nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", _utc(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "status IN ('proposed', 'accepted', 'dismissed', 'done')",
            name=op.f("ck_action_steps_status"),
        ),
        sa.CheckConstraint(
            "turn_index IS NULL OR turn_index >= 0", name=op.f("ck_action_steps_turn_index")
        ),
        _fk("action_steps", "client_id", "clients", "CASCADE"),
        _fk("action_steps", "goal_id", "goals", "SET NULL"),
        _fk("action_steps", "session_id", "sessions", "SET NULL"),
        _fk("action_steps", "created_by", "users", "SET NULL"),
        _fk("action_steps", "decided_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_steps")),
    )
    op.create_index(
        op.f("ix_action_steps_client_id_status"), "action_steps", ["client_id", "status"]
    )
    op.create_index(op.f("ix_action_steps_session_id"), "action_steps", ["session_id"])
    op.create_index(op.f("ix_action_steps_goal_id"), "action_steps", ["goal_id"])


def _follow_throughs() -> None:
    op.create_table(
        "follow_throughs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("step_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("proposed", sa.String(length=16), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("evidence", sa.Text(), server_default="[]", nullable=False),
        sa.Column("closeness", sa.Float(), nullable=False),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", _utc(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint(f"proposed IN {_OUTCOMES}", name=op.f("ck_follow_throughs_proposed")),
        sa.CheckConstraint(
            f"outcome IS NULL OR outcome IN {_OUTCOMES}", name=op.f("ck_follow_throughs_outcome")
        ),
        _fk("follow_throughs", "step_id", "action_steps", "CASCADE"),
        _fk("follow_throughs", "client_id", "clients", "CASCADE"),
        _fk("follow_throughs", "session_id", "sessions", "CASCADE"),
        _fk("follow_throughs", "reviewed_by", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follow_throughs")),
        sa.UniqueConstraint(
            "step_id", "session_id", name=op.f("uq_follow_throughs_step_id_session_id")
        ),
    )
    op.create_index(op.f("ix_follow_throughs_client_id"), "follow_throughs", ["client_id"])
    op.create_index(op.f("ix_follow_throughs_session_id"), "follow_throughs", ["session_id"])


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
