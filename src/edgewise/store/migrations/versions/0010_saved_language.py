"""Saved language: a clinician's own growing-edge language, kept with the client (issue 13).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05

* ``saved_language``: the text a clinician kept (``body_text``, their words), the draft
  kind it began as and its theme, the client turns it cites (JSON of ids and indexes), the
  session it came from (emptied if that session goes); the words and the theme are
  sealed by edgewise.store.crypto (Text columns); private to its author unless
  ``shared``; gone with the author or the client.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KINDS = "kind IN ('double_sided', 'feeling_torn', 'conjecture', 'own')"


def _utc() -> sa.DateTime:
    """Timestamps are stored in UTC (edgewise.store.tables.UtcDateTime)."""
    return sa.DateTime(timezone=True)


def _fk(column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_saved_language_{column}_{target}"),
        ondelete=ondelete,
    )


def upgrade() -> None:
    """Create ``saved_language``."""
    op.create_table(
        "saved_language",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("theme", sa.Text(), nullable=True),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("citations", sa.Text(), server_default="[]", nullable=False),
        sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint(_KINDS, name=op.f("ck_saved_language_kind")),
        _fk("author_id", "users", "CASCADE"),
        _fk("client_id", "clients", "CASCADE"),
        _fk("session_id", "sessions", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_language")),
    )
    op.create_index(
        op.f("ix_saved_language_client_id_author_id"),
        "saved_language",
        ["client_id", "author_id"],
    )
    op.create_index(op.f("ix_saved_language_session_id"), "saved_language", ["session_id"])


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
