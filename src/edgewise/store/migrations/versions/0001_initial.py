"""Initial schema: users, clients, shares, sessions, measures, alerts, audit log.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    """Timestamps are stored in UTC (edgewise.store.tables.UtcDateTime)."""
    return sa.DateTime(timezone=True)


def _fk(column: str, target: str, ondelete: str, table: str) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint(
        [column], [target], name=op.f(f"fk_{table}_{column}_{referred}"), ondelete=ondelete
    )


def upgrade() -> None:
    """Create every table and the indexes the caseload and client pages use."""
    _users_and_clients()
    _sessions()
    _measures()
    _alerts_and_audit()


def _users_and_clients() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=150), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=200), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("archived", sa.Boolean(), server_default=sa.false(), nullable=False),
        _fk("owner_id", "users.id", "RESTRICT", "clients"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clients")),
    )
    op.create_index(op.f("ix_clients_owner_id_archived"), "clients", ["owner_id", "archived"])
    op.create_table(
        "client_shares",
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        _fk("client_id", "clients.id", "CASCADE", "client_shares"),
        _fk("user_id", "users.id", "CASCADE", "client_shares"),
        sa.PrimaryKeyConstraint("client_id", "user_id", name=op.f("pk_client_shares")),
    )
    op.create_index(op.f("ix_client_shares_user_id"), "client_shares", ["user_id"])


def _sessions() -> None:
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("source_name", sa.String(length=255), nullable=True),
        sa.Column("transcript", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("analysis", sa.Text(), nullable=True),
        sa.Column("analyser_version", sa.String(length=64), nullable=True),
        sa.Column("coder_version", sa.String(length=64), nullable=True),
        sa.Column("optimal_stress", sa.Float(), nullable=True),
        sa.Column("change_talk_share", sa.Float(), nullable=True),
        sa.Column("support", sa.Float(), nullable=True),
        sa.Column("challenge", sa.Float(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "(status = 'done' AND analysis IS NOT NULL) OR (status <> 'done' AND analysis IS NULL)",
            name=op.f("ck_sessions_analysis_iff_done"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'analysing', 'done', 'failed')",
            name=op.f("ck_sessions_status"),
        ),
        _fk("client_id", "clients.id", "CASCADE", "sessions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
        sa.UniqueConstraint("client_id", "number", name=op.f("uq_sessions_client_id_number")),
    )
    op.create_index(
        op.f("ix_sessions_client_id_date_number"), "sessions", ["client_id", "date", "number"]
    )


def _measures() -> None:
    op.create_table(
        "measure_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("builtin", sa.Boolean(), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        _fk("owner_id", "users.id", "CASCADE", "measure_definitions"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_definitions")),
        sa.UniqueConstraint(
            "key", "version", "owner_id", name=op.f("uq_measure_definitions_key_version_owner_id")
        ),
    )
    op.create_index(
        "uq_measure_definitions_builtin_key_version",
        "measure_definitions",
        ["key", "version"],
        unique=True,
        sqlite_where=sa.text("owner_id IS NULL"),
        postgresql_where=sa.text("owner_id IS NULL"),
    )
    op.create_table(
        "measure_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", _utc(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("total", sa.Float(), nullable=True),
        _fk("client_id", "clients.id", "CASCADE", "measure_responses"),
        _fk("definition_id", "measure_definitions.id", "RESTRICT", "measure_responses"),
        _fk("session_id", "sessions.id", "SET NULL", "measure_responses"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measure_responses")),
    )
    op.create_index(
        op.f("ix_measure_responses_client_id_definition_id_answered_at"),
        "measure_responses",
        ["client_id", "definition_id", "answered_at"],
    )


def _alerts_and_audit() -> None:
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("resolved_at", _utc(), nullable=True),
        _fk("client_id", "clients.id", "CASCADE", "alerts"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index(op.f("ix_alerts_client_id_resolved_at"), "alerts", ["client_id", "resolved_at"])
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("record_type", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "action IN ('view', 'create', 'update', 'delete', 'export', 'login')",
            name=op.f("ck_audit_log_action"),
        ),
        _fk("user_id", "users.id", "SET NULL", "audit_log"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    op.create_index(op.f("ix_audit_log_user_id_at"), "audit_log", ["user_id", "at"])
    op.create_index(
        op.f("ix_audit_log_record_type_record_id"), "audit_log", ["record_type", "record_id"]
    )


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
