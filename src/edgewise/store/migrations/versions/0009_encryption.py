"""Encryption at rest of health-data columns (issue 15).

Adds ``encryption_keys``, widens ``clients.alias`` and ``sessions.source_name`` to text
(a sealed value is longer than the 200/255 characters they allowed), drops the ``'[]'``
server default of ``alerts.history`` (a default written by the database would be clear
text), registers the key and seals every existing value of every encrypted column.

It needs the key: the one attached to the engine (:func:`edgewise.store.keys.unlock`),
else the one the environment names. Without one it stops with E440 before any change;
the whole upgrade is one transaction, so an error later leaves the database as it was.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from edgewise.store.crypto import Keyring, RotationError, keyring_of
from edgewise.store.keys import NewKey, new_key_row, resolve_key_source, unlock
from edgewise.store.rotate import open_all, seal_plain
from edgewise.store.tables import UtcDateTime

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _keyring(bind: sa.Connection) -> Keyring:
    """The engine's keyring, unlocked from the environment if none is attached."""
    keyring = keyring_of(bind.dialect)
    if keyring is None:
        keyring = unlock(bind, resolve_key_source()).keyring
    return keyring


def upgrade() -> None:
    """Create the key table, widen two columns, register the key, seal every value."""
    bind = op.get_bind()
    keyring = _keyring(bind)  # E440/E441/E442 here, before any change
    if keyring.pending_kdf is None:
        raise RotationError("the key given is registered already; the database is not at 0008")
    op.create_table(
        "encryption_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(8), nullable=False),
        sa.Column("kdf", sa.Text(), nullable=True),
        sa.Column("check", sa.Text(), nullable=True),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("retired_at", UtcDateTime(), nullable=True),
        sa.CheckConstraint(
            "state IN ('active', 'next', 'retired')", name=op.f("ck_encryption_keys_state")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encryption_keys")),
    )
    with op.batch_alter_table("clients") as batch:
        batch.alter_column("alias", type_=sa.Text(), existing_type=sa.String(200))
    with op.batch_alter_table("sessions") as batch:
        batch.alter_column("source_name", type_=sa.Text(), existing_type=sa.String(255))
    with op.batch_alter_table("alerts") as batch:
        batch.alter_column(
            "history", server_default=None, existing_type=sa.Text(), existing_nullable=False
        )
    new = NewKey(keyring.key(keyring.active), keyring.pending_kdf[0])
    key_id = new_key_row(bind, new, "active")
    if key_id != keyring.active:
        raise RotationError("the new key table did not start at id 1")
    keyring.pending_kdf = None
    seal_plain(bind, keyring)


def downgrade() -> None:
    """Open every value again and drop the key table (needs the key, as upgrade does)."""
    bind = op.get_bind()
    keyring = _keyring(bind)
    open_all(bind, keyring)
    with op.batch_alter_table("alerts") as batch:
        batch.alter_column(
            "history", server_default="[]", existing_type=sa.Text(), existing_nullable=False
        )
    with op.batch_alter_table("sessions") as batch:
        batch.alter_column("source_name", type_=sa.String(255), existing_type=sa.Text())
    with op.batch_alter_table("clients") as batch:
        batch.alter_column("alias", type_=sa.String(200), existing_type=sa.Text())
    op.drop_table("encryption_keys")
