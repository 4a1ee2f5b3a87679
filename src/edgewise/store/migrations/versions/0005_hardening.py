"""Hold up under hostile input: case-free usernames, sign-out that survives restarts,
uploads recognised by their content.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

* ``users.username_key``: the username case-folded, unique, so ``alice`` and ``Alice``
  cannot both exist. Accounts made before this revision keep working: if two already
  differ only by case, the later one's key gets ``#<id>`` appended (it still signs in by
  its exact name).
* ``users.session_epoch``: bumped on sign-out and password change; a session cookie
  carries the epoch it was issued under and is refused once the epoch moved on, also
  after a restart.
* ``sessions.upload_digest``: the SHA-256 of the uploaded file (hex), shared by every
  session that one upload made, so the same file for the same client is recognised and
  not stored twice.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns, fill ``username_key`` from the names already there."""
    bind = op.get_bind()
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("username_key", sa.String(length=150), nullable=True))
        batch.add_column(
            sa.Column("session_epoch", sa.Integer(), server_default=sa.text("0"), nullable=False)
        )
    users = sa.table(
        "users",
        sa.column("id", sa.Integer),
        sa.column("username", sa.String),
        sa.column("username_key", sa.String),
    )
    taken: set[str] = set()
    for user_id, name in bind.execute(sa.select(users.c.id, users.c.username).order_by(users.c.id)):
        key = str(name).casefold()
        if key in taken:
            key = f"{key}#{user_id}"
        taken.add(key)
        bind.execute(users.update().where(users.c.id == user_id).values(username_key=key))
    with op.batch_alter_table("users") as batch:
        batch.alter_column("username_key", existing_type=sa.String(length=150), nullable=False)
        batch.create_unique_constraint(op.f("uq_users_username_key"), ["username_key"])
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("upload_digest", sa.String(length=64), nullable=True))
    op.create_index(
        op.f("ix_sessions_client_id_upload_digest"),
        "sessions",
        ["client_id", "upload_digest"],
        unique=False,
    )


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
