"""The database schema (SQLAlchemy 2 typed declarative); rows never leave the store package.

JSON columns (``analysis``, ``body``, ``answers``, ``evidence``) hold JSON *text*: the
store keeps exactly what the caller serialised, the same on SQLite and PostgreSQL.
Timestamps are UTC; :class:`UtcDateTime` gives them back timezone-aware on both backends.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    Time,
    UniqueConstraint,
    false,
    text,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from edgewise.store.crypto import EncryptedText

__all__ = [
    "AUDIT_ACTIONS",
    "SESSION_STATUSES",
    "TOKEN_SCOPES",
    "Alert",
    "ApiToken",
    "AuditEntry",
    "Base",
    "KEY_STATES",
    "Client",
    "ClientShare",
    "EncryptionKey",
    "MeasureDefinition",
    "MeasureResponse",
    "RiskFlag",
    "SessionRow",
    "User",
    "UtcDateTime",
]

SESSION_STATUSES = ("pending", "analysing", "done", "failed")
#: ``revoke`` added by revision 0006 (an API token revoked).
AUDIT_ACTIONS = ("view", "create", "update", "delete", "export", "login", "revoke")
#: What an API token may do: read only, or read and write (revision 0006).
TOKEN_SCOPES = ("read", "write")
#: An encryption key in use, the one a rotation moves to, or one retired (revision 0009).
KEY_STATES = ("active", "next", "retired")

#: Constraint names are fixed so Alembic migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes in, aware UTC datetimes out (SQLite stores them naive, as UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware (UTC) one")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base with the naming convention."""

    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UtcDateTime()}


class User(Base):
    """A clinician who signs in."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(150), unique=True)
    #: Added by revision 0005: the username case-folded, so names differing by case clash.
    username_key: Mapped[str] = mapped_column(String(150), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime]
    #: Added by revision 0005: bumped on sign-out and password change; older cookies fail.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    #: Added by revision 0007: an admin manages accounts and reads the audit log.
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    #: Added by revision 0007: set while the account may not sign in or use its tokens.
    disabled_at: Mapped[dt.datetime | None]
    #: Added by revision 0007: the account was removed (renamed, kept for the audit log).
    removed_at: Mapped[dt.datetime | None]


class Client(Base):
    """A client, known to the store only by an alias."""

    __tablename__ = "clients"
    __table_args__ = (Index(None, "owner_id", "archived"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    #: Encrypted since revision 0009 (see edgewise.store.crypto), as every EncryptedText.
    alias: Mapped[str] = mapped_column(EncryptedText("clients.alias"))
    created_at: Mapped[dt.datetime]
    archived: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ClientShare(Base):
    """Another clinician may see a client's record, and add to it when ``can_write``."""

    __tablename__ = "client_shares"
    __table_args__ = (Index(None, "user_id"),)

    client_id: Mapped[int] = mapped_column(
        ForeignKey("clients.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    #: Added by revision 0003: false for a read-only share.
    can_write: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class SessionRow(Base):
    """One session: transcript, status, the analysis JSON and its headline scores."""

    __tablename__ = "sessions"
    __table_args__ = (
        UniqueConstraint("client_id", "number"),
        Index(None, "client_id", "date", "number"),
        CheckConstraint(_in("status", SESSION_STATUSES), name="status"),
        CheckConstraint(
            "(status = 'done' AND analysis IS NOT NULL) OR (status <> 'done' AND analysis IS NULL)",
            name="analysis_iff_done",
        ),
        CheckConstraint("analysis_progress BETWEEN 0 AND 100", name="progress"),
        Index(None, "client_id", "upload_digest"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    date: Mapped[dt.date] = mapped_column(Date)
    source_name: Mapped[str | None] = mapped_column(EncryptedText("sessions.source_name"))
    transcript: Mapped[str | None] = mapped_column(EncryptedText("sessions.transcript"))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    analysis: Mapped[str | None] = mapped_column(EncryptedText("sessions.analysis"))
    analyser_version: Mapped[str | None] = mapped_column(String(64))
    coder_version: Mapped[str | None] = mapped_column(String(64))
    optimal_stress: Mapped[float | None] = mapped_column(Float)
    change_talk_share: Mapped[float | None] = mapped_column(Float)
    support: Mapped[float | None] = mapped_column(Float)
    challenge: Mapped[float | None] = mapped_column(Float)
    #: Added by revision 0002: upload/analysis progress in percent.
    analysis_progress: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    #: Added by revision 0005: SHA-256 (hex) of the upload this session came from.
    upload_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class MeasureDefinition(Base):
    """An instrument defined as data (PHQ-9, GAD-7 built in; user-defined ones owned)."""

    __tablename__ = "measure_definitions"
    __table_args__ = (
        UniqueConstraint("key", "version", "owner_id"),
        Index(
            "uq_measure_definitions_builtin_key_version",
            "key",
            "version",
            unique=True,
            sqlite_where=text("owner_id IS NULL"),
            postgresql_where=text("owner_id IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    builtin: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime]


def _answered_day(context: DefaultExecutionContext) -> dt.date:
    """``answered_on`` for a row inserted with only ``answered_at`` (as before revision 0004)."""
    given = context.get_current_parameters().get("answered_at")  # type: ignore[no-untyped-call]
    if isinstance(given, dt.datetime):
        aware = given if given.tzinfo is not None else given.replace(tzinfo=dt.UTC)
        return aware.astimezone(dt.UTC).date()
    return dt.date.today()


def _same_as_created(context: DefaultExecutionContext) -> dt.datetime:
    """``updated_at`` of a new alert: its ``created_at``."""
    created = context.get_current_parameters().get("created_at")  # type: ignore[no-untyped-call]
    return created if isinstance(created, dt.datetime) else dt.datetime.now(dt.UTC)


class MeasureResponse(Base):
    """One completed questionnaire for a client, dated as the clinician entered it."""

    __tablename__ = "measure_responses"
    __table_args__ = (Index(None, "client_id", "definition_id", "answered_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    definition_id: Mapped[int] = mapped_column(
        ForeignKey("measure_definitions.id", ondelete="RESTRICT")
    )
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    #: Added by revision 0004: the day answered, as entered.
    answered_on: Mapped[dt.date] = mapped_column(Date, default=_answered_day)
    #: Added by revision 0004: the time of day, as entered (no zone); None when none was given.
    answered_time: Mapped[dt.time | None] = mapped_column(Time)
    #: Before revision 0004 the only date: the save time, or 12:00 UTC invented for a past day.
    #: Kept as it was for old rows; new rows leave it empty.
    answered_at: Mapped[dt.datetime | None]
    answers: Mapped[str] = mapped_column(EncryptedText("measure_responses.answers"))
    total: Mapped[float | None] = mapped_column(Float)


class Alert(Base):
    """Something about a client that wants the clinician's attention.

    At most one alert per client, rule (``kind``) and measure (``measure_key``, '' for
    none) is open at a time (partial unique index, revision 0004): a newer score updates
    it and appends to ``history`` (JSON list of the scores that triggered it).
    """

    __tablename__ = "alerts"
    __table_args__ = (
        Index(None, "client_id", "resolved_at"),
        Index(
            "uq_alerts_open_client_id_kind_measure_key",
            "client_id",
            "kind",
            "measure_key",
            unique=True,
            sqlite_where=text("resolved_at IS NULL"),
            postgresql_where=text("resolved_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(64))
    #: Added by revision 0004: the measure the rule read ('' for a rule over sessions).
    measure_key: Mapped[str] = mapped_column(String(64), default="", server_default="")
    reason: Mapped[str] = mapped_column(EncryptedText("alerts.reason"))
    evidence: Mapped[str] = mapped_column(EncryptedText("alerts.evidence"))
    #: Added by revision 0004: JSON list of the entries (scores) that triggered it.
    history: Mapped[str] = mapped_column(EncryptedText("alerts.history"), default="[]")
    created_at: Mapped[dt.datetime]
    #: Added by revision 0004: when a newer score last changed it.
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime(), default=_same_as_created)
    #: Added by revision 0004: set while the latest score no longer meets the rule.
    lapsed_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]
    #: Added by revision 0004: who marked it reviewed.
    resolved_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class RiskFlag(Base):
    """A client turn of an analysed session the coder flagged ``risk`` (revision 0004).

    ``turn_index`` is the utterance's index, from 0 (pages show it from 1). Open until a
    clinician marks it reviewed; reviewed flags stay as history.
    """

    __tablename__ = "risk_flags"
    __table_args__ = (
        UniqueConstraint("session_id", "turn_index"),
        Index(None, "client_id", "reviewed_at"),
        CheckConstraint("turn_index >= 0", name="turn_index"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    turn_index: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    reviewed_at: Mapped[dt.datetime | None]
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AuditEntry(Base):
    """Who did what to which record, when. Ids and fixed words only: never clinical text."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index(None, "user_id", "at"),
        Index(None, "record_type", "record_id"),
        CheckConstraint(_in("action", AUDIT_ACTIONS), name="action"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime]
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(16))
    record_type: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int | None] = mapped_column(Integer)
    #: Added by revision 0004: ``key=number`` pairs and fixed words (e.g. ``session=4 turn=12``).
    detail: Mapped[str | None] = mapped_column(String(200))
    #: Added by revision 0007: the hash chain (edgewise.store.chain), hex SHA-256.
    prev_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))


class ApiToken(Base):
    """A personal access token for the REST API (revision 0006).

    Only the SHA-256 of the secret is kept (``secret_hash``, hex); ``prefix`` is the
    token's first characters, for the owner to tell their tokens apart. Usable while not
    revoked and not expired; a deleted user's tokens are deleted with them.
    """

    __tablename__ = "api_tokens"
    __table_args__ = (
        Index(None, "user_id"),
        CheckConstraint(_in("scope", TOKEN_SCOPES), name="scope"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[str] = mapped_column(String(8))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime]
    last_used_at: Mapped[dt.datetime | None]
    revoked_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime | None]


class EncryptionKey(Base):
    """A key the health-data columns are sealed with (revision 0009); never the key itself.

    ``check`` is a constant sealed with the key, so a wrong key is known before anything
    is read or written; a retired key loses it. ``kdf`` (JSON: scrypt's factors and salt)
    is set for a key derived from a passphrase, None for a key file.
    """

    __tablename__ = "encryption_keys"
    __table_args__ = (CheckConstraint(_in("state", KEY_STATES), name="state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    state: Mapped[str] = mapped_column(String(8))
    kdf: Mapped[str | None] = mapped_column(Text)
    check: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
    retired_at: Mapped[dt.datetime | None]


# The journal's tables (revision 0008), saved growing-edge language (0010), goals, action
# steps and follow-through (0011) and supervision comments (0012) live in their own
# modules; importing them here puts them in Base.metadata wherever the schema is used.
from edgewise.store import goal_tables as goal_tables  # noqa: E402
from edgewise.store import journal_tables as journal_tables  # noqa: E402
from edgewise.store import language_tables as language_tables  # noqa: E402
from edgewise.store import supervision_tables as supervision_tables  # noqa: E402
from edgewise.store import totp_tables as totp_tables  # noqa: E402
