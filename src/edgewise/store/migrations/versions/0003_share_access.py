"""Add client_shares.can_write so a client can be shared read-only (a supervisor, say).

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02

Shares made before this revision keep what they gave: read and add (``can_write`` true).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Every existing share may write, as before."""
    with op.batch_alter_table("client_shares") as batch:
        batch.add_column(
            sa.Column("can_write", sa.Boolean(), server_default=sa.true(), nullable=False)
        )


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
