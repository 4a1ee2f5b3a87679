"""Account control and an append-only, hash-chained audit log.

Revision ID: 0007
Revises: 0006
Create Date: 2027-01-20

* ``users.is_admin`` (false by default; the oldest account becomes the admin, so a
  database that had users keeps someone who can manage them), ``users.disabled_at``
  (set while the account may not sign in or use its API tokens) and
  ``users.removed_at`` (the account was removed; the row stays, renamed, so the audit
  rows that name its id keep their meaning).
* ``audit_log.prev_hash`` and ``audit_log.hash``: the hash chain of
  :mod:`edgewise.store.chain`; the rows already there are chained in id order.
* Triggers that refuse UPDATE and DELETE of audit rows, on SQLite and PostgreSQL. A later
  migration that copies ``audit_log`` with a batch operation on SQLite drops them and
  must make them again (:func:`create_triggers`).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from edgewise.store.chain import GENESIS, row_hash
from edgewise.store.tables import UtcDateTime

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SQLITE_TRIGGER = """
CREATE TRIGGER audit_log_append_only_{event}
BEFORE {event} ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit rows are append-only');
END
"""
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit rows are append-only'
        USING ERRCODE = 'integrity_constraint_violation';
END
$$ LANGUAGE plpgsql
"""
_PG_TRIGGER = """
CREATE TRIGGER audit_log_append_only
BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
"""


def create_triggers() -> None:
    """The triggers that refuse UPDATE and DELETE on ``audit_log``."""
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(_SQLITE_TRIGGER.format(event=event))
    else:
        op.execute(_PG_FUNCTION)
        op.execute(_PG_TRIGGER)


def upgrade() -> None:
    """Add the columns, chain the audit rows there are, then lock the table."""
    utc = sa.DateTime(timezone=True)
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("is_admin", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch.add_column(sa.Column("disabled_at", utc, nullable=True))
        batch.add_column(sa.Column("removed_at", utc, nullable=True))
    op.execute("UPDATE users SET is_admin = true WHERE id = (SELECT min(id) FROM users)")
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing()
    create_triggers()


def _chain_existing() -> None:
    """Give every audit row its ``prev_hash`` and ``hash``, in id order."""
    bind = op.get_bind()
    log = sa.table(
        "audit_log",
        sa.column("id", sa.Integer),
        sa.column("at", UtcDateTime()),
        sa.column("user_id", sa.Integer),
        sa.column("action", sa.String),
        sa.column("record_type", sa.String),
        sa.column("record_id", sa.Integer),
        sa.column("detail", sa.String),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    fields = (log.c.id, log.c.at, log.c.user_id, log.c.action, log.c.record_type)
    query = sa.select(*fields, log.c.record_id, log.c.detail).order_by(log.c.id)
    head = GENESIS
    for row in bind.execute(query).all():
        digest = row_hash(
            head,
            id=row.id,
            at=row.at,
            user_id=row.user_id,
            action=row.action,
            record_type=row.record_type,
            record_id=row.record_id,
            detail=row.detail,
        )
        bind.execute(log.update().where(log.c.id == row.id).values(prev_hash=head, hash=digest))
        head = digest


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
