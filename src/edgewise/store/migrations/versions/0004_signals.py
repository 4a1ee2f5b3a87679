"""Signals a clinician can trust: risk flags, one open alert per rule, dates as entered.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03

* ``risk_flags``: one row per client turn of an analysed session that the coder flagged
  ``risk``, open until reviewed. Filled here from the sessions analysed before this
  revision (their stored codes and transcripts; rows that cannot be read are passed over).
* ``alerts``: ``measure_key``, ``history``, ``updated_at``, ``lapsed_at`` and
  ``resolved_by``, and a partial unique index: at most one open alert per client, rule and
  measure. Open duplicates left by earlier versions (a new alert per new score) are folded
  into the newest one: their scores go into its history and they are deleted.
* ``measure_responses``: ``answered_on`` (the day, as entered) and ``answered_time`` (the
  time of day, as entered); ``answered_at`` may now be empty and is no longer shown. The
  old web form only ever took a date, so existing answers keep their day (the UTC day of
  ``answered_at``) and no time.
* ``audit_log.detail``: ``key=number`` pairs naming what a review was about.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: Done sessions read back per query while filling risk_flags.
CHUNK = 200


def _utc() -> sa.DateTime:
    """Timestamps are stored in UTC (edgewise.store.tables.UtcDateTime)."""
    return sa.DateTime(timezone=True)


def _now(bind: sa.Connection) -> dt.datetime:
    """Now, as the backend's timestamp columns take it (naive UTC on SQLite)."""
    stamp = dt.datetime.now(dt.UTC)
    return stamp.replace(tzinfo=None) if bind.dialect.name == "sqlite" else stamp


def upgrade() -> None:
    """Add the columns and tables, then fill them from the rows already there."""
    bind = op.get_bind()
    _measure_responses(bind)
    _alerts(bind)
    _risk_flags(bind)
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("detail", sa.String(length=200), nullable=True))


def _measure_responses(bind: sa.Connection) -> None:
    op.drop_index(
        op.f("ix_measure_responses_client_id_definition_id_answered_at"),
        table_name="measure_responses",
    )
    with op.batch_alter_table("measure_responses") as batch:
        batch.add_column(sa.Column("answered_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("answered_time", sa.Time(), nullable=True))
        batch.alter_column("answered_at", existing_type=_utc(), nullable=True)
    if bind.dialect.name == "sqlite":
        op.execute("UPDATE measure_responses SET answered_on = date(answered_at)")
    else:
        op.execute(
            "UPDATE measure_responses SET answered_on = (answered_at AT TIME ZONE 'UTC')::date"
        )
    with op.batch_alter_table("measure_responses") as batch:
        batch.alter_column("answered_on", existing_type=sa.Date(), nullable=False)
    op.create_index(
        op.f("ix_measure_responses_client_id_definition_id_answered_on"),
        "measure_responses",
        ["client_id", "definition_id", "answered_on"],
    )


def _alerts(bind: sa.Connection) -> None:
    with op.batch_alter_table("alerts") as batch:
        batch.add_column(
            sa.Column("measure_key", sa.String(length=64), server_default="", nullable=False)
        )
        batch.add_column(sa.Column("history", sa.Text(), server_default="[]", nullable=False))
        batch.add_column(sa.Column("updated_at", _utc(), nullable=True))
        batch.add_column(sa.Column("lapsed_at", _utc(), nullable=True))
        batch.add_column(sa.Column("resolved_by", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_alerts_resolved_by_users"),
            "users",
            ["resolved_by"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute("UPDATE alerts SET updated_at = created_at")
    _fold_alerts(bind)
    with op.batch_alter_table("alerts") as batch:
        batch.alter_column("updated_at", existing_type=_utc(), nullable=False)
    op.create_index(
        "uq_alerts_open_client_id_kind_measure_key",
        "alerts",
        ["client_id", "kind", "measure_key"],
        unique=True,
        sqlite_where=sa.text("resolved_at IS NULL"),
        postgresql_where=sa.text("resolved_at IS NULL"),
    )


def _responses(bind: sa.Connection) -> dict[int, dict[str, Any]]:
    """Every response's measure key and what a history entry shows of it."""
    query = sa.text(
        "SELECT r.id, d.key, r.total, r.answered_on, s.number FROM measure_responses r"
        " JOIN measure_definitions d ON d.id = r.definition_id"
        " LEFT JOIN sessions s ON s.id = r.session_id"
    )
    found: dict[int, dict[str, Any]] = {}
    for rid, key, total, on, number in bind.execute(query):
        day = on if isinstance(on, str) else on.isoformat()
        found[rid] = {
            "key": key,
            "entry": {
                "ref": f"response:{rid}",
                "value": total,
                "on": day,
                "time": None,
                "session_number": number,
            },
        }
    return found


def _last_response(evidence: str) -> int | None:
    """The id of the last ``response:<id>`` in an alert's evidence."""
    try:
        refs = json.loads(evidence)
    except ValueError:
        return None
    if not isinstance(refs, list):
        return None
    ids = [
        int(ref[len("response:") :])
        for ref in refs
        if isinstance(ref, str) and ref.startswith("response:") and ref[9:].isdigit()
    ]
    return ids[-1] if ids else None


def _fold_alerts(bind: sa.Connection) -> None:
    """Give each alert its measure and first history entry; fold open duplicates."""
    responses = _responses(bind)
    rows = bind.execute(
        sa.text("SELECT id, client_id, kind, evidence, resolved_at FROM alerts ORDER BY id")
    ).all()
    open_groups: dict[tuple[int, str, str], list[tuple[int, list[dict[str, Any]]]]] = {}
    for alert_id, client_id, kind, evidence, resolved_at in rows:
        last = _last_response(evidence)
        known = responses.get(last) if last is not None else None
        key = known["key"] if known else ""
        history = [known["entry"]] if known else []
        bind.execute(
            sa.text("UPDATE alerts SET measure_key = :key, history = :history WHERE id = :id"),
            {"key": key, "history": json.dumps(history), "id": alert_id},
        )
        if resolved_at is None:
            open_groups.setdefault((client_id, kind, key), []).append((alert_id, history))
    for group in open_groups.values():
        if len(group) < 2:
            continue
        keep, _ = group[-1]
        merged: list[dict[str, Any]] = []
        for _, history in group:
            merged.extend(e for e in history if e not in merged)
        bind.execute(
            sa.text("UPDATE alerts SET history = :history WHERE id = :id"),
            {"history": json.dumps(merged), "id": keep},
        )
        for alert_id, _ in group[:-1]:
            bind.execute(sa.text("DELETE FROM alerts WHERE id = :id"), {"id": alert_id})


def _risk_flags(bind: sa.Connection) -> None:
    op.create_table(
        "risk_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("turn_index", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("reviewed_at", _utc(), nullable=True),
        sa.Column("reviewed_by", sa.Integer(), nullable=True),
        sa.CheckConstraint("turn_index >= 0", name=op.f("ck_risk_flags_turn_index")),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["clients.id"],
            name=op.f("fk_risk_flags_client_id_clients"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_risk_flags_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by"],
            ["users.id"],
            name=op.f("fk_risk_flags_reviewed_by_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_flags")),
        sa.UniqueConstraint(
            "session_id", "turn_index", name=op.f("uq_risk_flags_session_id_turn_index")
        ),
    )
    op.create_index(
        op.f("ix_risk_flags_client_id_reviewed_at"), "risk_flags", ["client_id", "reviewed_at"]
    )
    _fill_risk_flags(bind)


def _done_ids(bind: sa.Connection) -> Iterator[list[int]]:
    ids = [row[0] for row in bind.execute(sa.text("SELECT id FROM sessions WHERE status = 'done'"))]
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _fill_risk_flags(bind: sa.Connection) -> None:
    """A flag for each risk-flagged client turn of every session analysed already."""
    stamp = _now(bind)
    select = sa.text(
        "SELECT id, client_id, transcript, analysis FROM sessions WHERE id IN :ids"
    ).bindparams(sa.bindparam("ids", expanding=True))
    insert = sa.text(
        "INSERT INTO risk_flags (client_id, session_id, turn_index, created_at)"
        " VALUES (:client_id, :session_id, :turn_index, :created_at)"
    )
    for chunk in _done_ids(bind):
        rows = []
        for session_id, client_id, transcript, analysis in bind.execute(select, {"ids": chunk}):
            for index in risk_turns(transcript, analysis):
                rows.append(
                    {
                        "client_id": client_id,
                        "session_id": session_id,
                        "turn_index": index,
                        "created_at": stamp,
                    }
                )
        if rows:
            bind.execute(insert, rows)


def risk_turns(transcript: str | None, analysis: str | None) -> list[int]:
    """Indexes of client turns whose stored code carries the flag ``risk`` (exactly)."""
    try:
        stored = json.loads(analysis or "")
        document = json.loads(transcript or "")
        codes = stored["codes"] if stored.get("format") == "edgewise.stored-analysis" else []
        roles = {u["index"]: u["role"] for u in document["sessions"][0]["utterances"]}
        flagged = {c["index"] for c in codes if "risk" in (c.get("flags") or [])}
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        return []  # not readable as this version wrote it: nothing to flag
    return sorted(i for i in flagged if isinstance(i, int) and i >= 0 and roles.get(i) == "client")


def downgrade() -> None:
    """Not supported: restore from a backup instead."""
    raise NotImplementedError("edgewise does not downgrade databases")
