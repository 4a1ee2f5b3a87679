"""Supervisor comments (issue 13, item 6).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05

* ``supervision_comments``: a comment on a session's turn (``turn_index`` from 0), or on
  the key moment of kind ``moment_kind`` at that turn, by a colleague the client is shared
  with; answers point at the comment that started their thread (``thread_id``). The words
  (``body_text``) are sealed by edgewise.store.crypto (a Text column). Gone with the
  client, the session, the author or the thread.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TABLE = "supervision_comments"


def _utc() -> sa.DateTime:
    """Timestamps are stored in UTC (edgewise.store.tables.UtcDateTime)."""
    return sa.DateTime(timezone=True)


def _fk(column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{_TABLE}_{column}_{target}"), ondelete="CASCADE"
    )


def upgrade() -> None:
    """Create ``supervision_comments``."""
    op.create_table(
        _TABLE,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("turn_index", sa.Integer(), nullable=True),
        sa.Column("moment_kind", sa.String(length=24), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "turn_index IS NULL OR turn_index >= 0", name=op.f(f"ck_{_TABLE}_turn_index")
        ),
        sa.CheckConstraint(
            "(thread_id IS NULL) = (turn_index IS NOT NULL)",
            name=op.f(f"ck_{_TABLE}_thread_or_turn"),
        ),
        _fk("client_id", "clients"),
        _fk("session_id", "sessions"),
        _fk("author_id", "users"),
        _fk("thread_id", _TABLE),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{_TABLE}")),
    )
    op.create_index(op.f(f"ix_{_TABLE}_session_id"), _TABLE, ["session_id"])
    op.create_index(op.f(f"ix_{_TABLE}_thread_id"), _TABLE, ["thread_id"])
    op.create_index(op.f(f"ix_{_TABLE}_client_id"), _TABLE, ["client_id"])


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
