"""Add sessions.analysis_progress (0-100) so the web app can show upload/analysis progress.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

On SQLite the CHECK constraint needs Alembic's batch mode, which copies ``sessions`` into
a new table; migrate.upgrade runs it with foreign keys off so nothing pointing at
sessions (measure_responses.session_id) is touched.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Existing sessions start at 0, or 100 when already analysed."""
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(
            sa.Column(
                "analysis_progress", sa.Integer(), server_default=sa.text("0"), nullable=False
            )
        )
        batch.create_check_constraint(
            op.f("ck_sessions_progress"), "analysis_progress BETWEEN 0 AND 100"
        )
    op.execute("UPDATE sessions SET analysis_progress = 100 WHERE status = 'done'")


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
