"""The clinician's journal of internal signals and answers to reflective exercises (issue 13).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05

* ``journal_entries``: a signal a clinician noted in a session (kind, signal key and the
  vocabulary's version, intensity 1-5, an optional turn and note), private to its author
  unless ``shared``; gone with the author, the client or the session.
* ``exercise_answers``: dated answers to reflective exercises' questions, per client or
  in general (``client_id`` empty).
* ``journal_definitions``: a clinician's own vocabulary extensions and exercises.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    """Timestamps are stored in UTC (edgewise.store.tables.UtcDateTime)."""
    return sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"), ondelete=ondelete
    )


def upgrade() -> None:
    """Create the journal's three tables."""
    op.create_table(
        "journal_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("turn_index", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=48), nullable=False),
        sa.Column("signal", sa.String(length=48), nullable=False),
        sa.Column("vocabulary_version", sa.Integer(), nullable=False),
        sa.Column("intensity", sa.Integer(), nullable=False),
        sa.Column("note_text", sa.Text(), nullable=True),
        sa.Column("shared", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint("intensity BETWEEN 1 AND 5", name=op.f("ck_journal_entries_intensity")),
        sa.CheckConstraint(
            "turn_index IS NULL OR turn_index >= 0", name=op.f("ck_journal_entries_turn_index")
        ),
        _fk("journal_entries", "author_id", "users", "CASCADE"),
        _fk("journal_entries", "client_id", "clients", "CASCADE"),
        _fk("journal_entries", "session_id", "sessions", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entries")),
    )
    op.create_index(
        op.f("ix_journal_entries_author_id_session_id"),
        "journal_entries",
        ["author_id", "session_id"],
    )
    op.create_index(op.f("ix_journal_entries_session_id"), "journal_entries", ["session_id"])
    op.create_index(op.f("ix_journal_entries_client_id"), "journal_entries", ["client_id"])
    op.create_table(
        "exercise_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=True),
        sa.Column("exercise_key", sa.String(length=48), nullable=False),
        sa.Column("exercise_version", sa.Integer(), nullable=False),
        sa.Column("question_key", sa.String(length=48), nullable=False),
        sa.Column("answer_text", sa.Text(), nullable=False),
        sa.Column("answered_at", _utc(), nullable=False),
        _fk("exercise_answers", "author_id", "users", "CASCADE"),
        _fk("exercise_answers", "client_id", "clients", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exercise_answers")),
    )
    op.create_index(
        op.f("ix_exercise_answers_author_id_exercise_key_client_id"),
        "exercise_answers",
        ["author_id", "exercise_key", "client_id"],
    )
    op.create_table(
        "journal_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('vocabulary', 'exercise')", name=op.f("ck_journal_definitions_kind")
        ),
        _fk("journal_definitions", "owner_id", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_definitions")),
        sa.UniqueConstraint(
            "owner_id",
            "kind",
            "key",
            "version",
            name=op.f("uq_journal_definitions_owner_id_kind_key_version"),
        ),
    )


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
