"""The store: one database of users, clients, sessions, measures, alerts, risk flags, API
tokens and the audit log, as small repositories over one engine.

Each kind of record has its repository, a class with a narrow typed interface
(``store.users``, ``store.clients``, ``store.sessions``, ``store.uploads``,
``store.measures``, ``store.alerts``, ``store.risk_flags``, ``store.tokens``,
``store.audit_log``); :class:`Store` holds them and, so that callers keep working, answers
each of their methods itself by handing the call on.

Access rule: a user sees a client, and everything recorded about it, when they own the
client or it is shared with them; only the owner shares or archives. A record the user
may not see reads exactly like one that does not exist (None, an empty list, or
:class:`NotFoundError`). Each method is one transaction; writes start with BEGIN
IMMEDIATE on SQLite (see :mod:`edgewise.store.engine`), so they never commit half.
Auditing is the services' (:mod:`edgewise.services`), which call :meth:`Store.audit` for
what they show or change (:meth:`Store.add_sessions` writes its ``create`` rows itself,
in the upload's transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Literal

from sqlalchemy import Engine

from edgewise.store.alerts import AlertRepository
from edgewise.store.audit import AuditRepository
from edgewise.store.base import StoreBase
from edgewise.store.chain import ChainLink
from edgewise.store.clients import DEFAULT_MEASURE_KEYS, ClientRepository
from edgewise.store.goals import GoalRepository
from edgewise.store.journal import JournalRepository
from edgewise.store.language import LanguageRepository
from edgewise.store.measures import MeasureRepository
from edgewise.store.records import (
    AlertChange,
    AlertRecord,
    AnalysisVersions,
    AuditAction,
    AuditRecord,
    CaseloadPage,
    CaseloadRow,
    ClientRecord,
    MeasureDefinitionRecord,
    MeasureResponseRecord,
    RecordType,
    RiskFlagRecord,
    SessionRecord,
    SessionScores,
    TokenRecord,
    TokenScope,
    UserRecord,
)
from edgewise.store.risk import RiskFlagRepository
from edgewise.store.sessions import SessionRepository
from edgewise.store.supervision import SupervisionRepository
from edgewise.store.tokens import TokenRepository
from edgewise.store.totp import TotpRepository
from edgewise.store.uploads import NewSession, UploadRecord, UploadRepository
from edgewise.store.users import UserRepository

__all__ = ["DEFAULT_MEASURE_KEYS", "Store"]


class Store(StoreBase):
    """Every repository over one engine, and each of their methods (handed on)."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        self.users = UserRepository(engine)
        self.clients = ClientRepository(engine)
        self.sessions = SessionRepository(engine)
        self.uploads = UploadRepository(engine)
        self.measures = MeasureRepository(engine)
        self.alerts = AlertRepository(engine)
        self.risk_flags = RiskFlagRepository(engine)
        self.tokens = TokenRepository(engine)
        self.audit_log = AuditRepository(engine)
        self.saved_language = LanguageRepository(engine)
        #: The clinician's journal; reached as ``store.journal`` only (no handed-on methods).
        self.journal = JournalRepository(engine)
        #: Goals, action steps and follow-through; reached as ``store.goals`` only.
        self.goals = GoalRepository(engine)
        #: Supervision comments and answers; reached as ``store.supervision`` only.
        self.supervision = SupervisionRepository(engine)
        #: TOTP second factors and recovery codes; reached as ``store.totp`` only.
        self.totp = TotpRepository(engine)

    # -- users (UserRepository) ---------------------------------------------------
    def create_user(
        self, username: str, password_hash: str, *, is_admin: bool = False
    ) -> UserRecord:
        return self.users.create_user(username, password_hash, is_admin=is_admin)

    def list_users(self) -> list[UserRecord]:
        return self.users.list_users()

    def set_disabled(self, user_id: int, disabled: bool) -> UserRecord:
        return self.users.set_disabled(user_id, disabled)

    def remove_user(self, user_id: int) -> UserRecord:
        return self.users.remove_user(user_id)

    def get_user_by_name(self, username: str) -> UserRecord | None:
        return self.users.get_user_by_name(username)

    def get_user(self, user_id: int) -> UserRecord | None:
        return self.users.get_user(user_id)

    def end_sessions(self, user_id: int) -> int:
        return self.users.end_sessions(user_id)

    def set_password(self, user_id: int, password_hash: str) -> UserRecord:
        return self.users.set_password(user_id, password_hash)

    # -- clients (ClientRepository) -----------------------------------------------
    def add_client(self, owner_id: int, alias: str) -> ClientRecord:
        return self.clients.add_client(owner_id, alias)

    def get_client(self, user_id: int, client_id: int) -> ClientRecord | None:
        return self.clients.get_client(user_id, client_id)

    def list_clients(
        self, user_id: int, *, after: int = 0, limit: int = 100, include_archived: bool = False
    ) -> list[ClientRecord]:
        return self.clients.list_clients(
            user_id, after=after, limit=limit, include_archived=include_archived
        )

    def list_caseload(
        self,
        user_id: int,
        *,
        measure_keys: Sequence[str] = DEFAULT_MEASURE_KEYS,
        include_archived: bool = False,
    ) -> list[CaseloadRow]:
        return self.clients.list_caseload(
            user_id, measure_keys=measure_keys, include_archived=include_archived
        )

    def caseload_page(
        self,
        user_id: int,
        *,
        page: int = 1,
        per_page: int = 100,
        search: str | None = None,
        measure_keys: Sequence[str] = DEFAULT_MEASURE_KEYS,
        include_archived: bool = False,
    ) -> CaseloadPage:
        return self.clients.caseload_page(
            user_id,
            page=page,
            per_page=per_page,
            search=search,
            measure_keys=measure_keys,
            include_archived=include_archived,
        )

    def share_client(
        self, owner_id: int, client_id: int, other_user_id: int, *, can_write: bool = True
    ) -> None:
        return self.clients.share_client(owner_id, client_id, other_user_id, can_write=can_write)

    def unshare_client(self, owner_id: int, client_id: int, other_user_id: int) -> None:
        return self.clients.unshare_client(owner_id, client_id, other_user_id)

    def list_shares(self, owner_id: int, client_id: int) -> list[UserRecord]:
        return self.clients.list_shares(owner_id, client_id)

    def share_access(self, owner_id: int, client_id: int) -> dict[int, bool]:
        return self.clients.share_access(owner_id, client_id)

    def archive_client(self, owner_id: int, client_id: int, archived: bool = True) -> None:
        return self.clients.archive_client(owner_id, client_id, archived)

    # -- sessions (SessionRepository) ---------------------------------------------
    def add_session(
        self,
        user_id: int,
        client_id: int,
        *,
        date: dt.date,
        transcript: str | None,
        source_name: str | None = None,
        number: int | None = None,
    ) -> SessionRecord:
        return self.sessions.add_session(
            user_id,
            client_id,
            date=date,
            transcript=transcript,
            source_name=source_name,
            number=number,
        )

    def set_session_status(
        self,
        session_id: int,
        status: Literal["pending", "analysing", "failed"],
        *,
        progress: int | None = None,
    ) -> SessionRecord:
        return self.sessions.set_session_status(session_id, status, progress=progress)

    def set_session_progress(self, session_id: int, percent: int) -> None:
        return self.sessions.set_session_progress(session_id, percent)

    def set_session_analysis(
        self,
        session_id: int,
        analysis_json: str,
        versions: AnalysisVersions,
        scores: SessionScores,
        *,
        risk_turns: Sequence[int] = (),
    ) -> SessionRecord:
        return self.sessions.set_session_analysis(
            session_id, analysis_json, versions, scores, risk_turns=risk_turns
        )

    def list_sessions(self, user_id: int, client_id: int) -> list[SessionRecord]:
        return self.sessions.list_sessions(user_id, client_id)

    def get_session(
        self, user_id: int, session_id: int, *, with_transcript: bool = False
    ) -> SessionRecord | None:
        return self.sessions.get_session(user_id, session_id, with_transcript=with_transcript)

    def unfinished_sessions(self) -> list[SessionRecord]:
        return self.sessions.unfinished_sessions()

    # -- uploads (UploadRepository) -----------------------------------------------
    def add_sessions(
        self,
        user_id: int,
        client_id: int,
        sessions: Sequence[NewSession],
        *,
        upload_digest: str,
        source_name: str | None = None,
    ) -> UploadRecord:
        return self.uploads.add_sessions(
            user_id, client_id, sessions, upload_digest=upload_digest, source_name=source_name
        )

    # -- measures (MeasureRepository) ---------------------------------------------
    def add_measure_definition(
        self, key: str, version: int, body_json: str, *, owner_id: int | None = None
    ) -> MeasureDefinitionRecord:
        return self.measures.add_measure_definition(key, version, body_json, owner_id=owner_id)

    def ensure_builtin_definition(
        self, key: str, version: int, body_json: str
    ) -> MeasureDefinitionRecord:
        return self.measures.ensure_builtin_definition(key, version, body_json)

    def list_measure_definitions(self, user_id: int) -> list[MeasureDefinitionRecord]:
        return self.measures.list_measure_definitions(user_id)

    def add_measure_response(
        self,
        user_id: int,
        client_id: int,
        definition_id: int,
        answers_json: str,
        total: float | None,
        *,
        answered_on: dt.date | None = None,
        answered_time: dt.time | None = None,
        session_id: int | None = None,
    ) -> MeasureResponseRecord:
        return self.measures.add_measure_response(
            user_id,
            client_id,
            definition_id,
            answers_json,
            total,
            answered_on=answered_on,
            answered_time=answered_time,
            session_id=session_id,
        )

    def list_measure_responses(
        self, user_id: int, client_id: int, measure_key: str | None = None
    ) -> list[MeasureResponseRecord]:
        return self.measures.list_measure_responses(user_id, client_id, measure_key)

    # -- alerts (AlertRepository) -------------------------------------------------
    def add_alert(
        self,
        client_id: int,
        kind: str,
        reason: str,
        evidence_json: str = "[]",
        *,
        measure_key: str = "",
        entry_json: str | None = None,
    ) -> AlertRecord:
        return self.alerts.add_alert(
            client_id, kind, reason, evidence_json, measure_key=measure_key, entry_json=entry_json
        )

    def record_alert(
        self,
        client_id: int,
        kind: str,
        reason: str,
        evidence_json: str = "[]",
        *,
        measure_key: str = "",
        entry_json: str | None = None,
    ) -> tuple[AlertRecord, AlertChange]:
        return self.alerts.record_alert(
            client_id, kind, reason, evidence_json, measure_key=measure_key, entry_json=entry_json
        )

    def lapse_alert(self, client_id: int, kind: str, measure_key: str = "") -> AlertRecord | None:
        return self.alerts.lapse_alert(client_id, kind, measure_key)

    def list_alerts(
        self, user_id: int, client_id: int | None = None, *, open_only: bool = False
    ) -> list[AlertRecord]:
        return self.alerts.list_alerts(user_id, client_id, open_only=open_only)

    def resolve_alert(self, user_id: int, alert_id: int) -> AlertRecord:
        return self.alerts.resolve_alert(user_id, alert_id)

    # -- risk flags (RiskFlagRepository) ------------------------------------------
    def list_risk_flags(
        self, user_id: int, client_id: int, *, open_only: bool = False
    ) -> list[RiskFlagRecord]:
        return self.risk_flags.list_risk_flags(user_id, client_id, open_only=open_only)

    def review_risk_flag(self, user_id: int, flag_id: int) -> RiskFlagRecord:
        return self.risk_flags.review_risk_flag(user_id, flag_id)

    # -- tokens (TokenRepository) -------------------------------------------------
    def add_token(
        self,
        user_id: int,
        name: str,
        scope: TokenScope,
        secret_hash: str,
        prefix: str,
        *,
        expires_at: dt.datetime | None = None,
        by_admin: bool = False,
    ) -> TokenRecord:
        return self.tokens.add_token(
            user_id, name, scope, secret_hash, prefix, expires_at=expires_at, by_admin=by_admin
        )

    def list_tokens(self, user_id: int) -> list[TokenRecord]:
        return self.tokens.list_tokens(user_id)

    def revoke_token(self, user_id: int, token_id: int, *, by_admin: bool = False) -> TokenRecord:
        return self.tokens.revoke_token(user_id, token_id, by_admin=by_admin)

    def token_by_hash(self, secret_hash: str) -> tuple[TokenRecord, UserRecord] | None:
        return self.tokens.token_by_hash(secret_hash)

    def mark_token_used(self, token_id: int, at: dt.datetime) -> None:
        return self.tokens.mark_token_used(token_id, at)

    # -- audit log (AuditRepository) ----------------------------------------------
    def audit(
        self,
        user_id: int | None,
        action: AuditAction,
        record_type: RecordType,
        record_id: int | None = None,
        *,
        detail: str | None = None,
    ) -> None:
        return self.audit_log.audit(user_id, action, record_type, record_id, detail=detail)

    def list_audit(
        self,
        *,
        user_id: int | None = None,
        record_type: RecordType | None = None,
        record_id: int | None = None,
        limit: int = 1000,
    ) -> list[AuditRecord]:
        return self.audit_log.list_audit(
            user_id=user_id, record_type=record_type, record_id=record_id, limit=limit
        )

    def audit_links(self, *, batch: int = 5000) -> Iterator[ChainLink]:
        return self.audit_log.audit_links(batch=batch)

    def audit_between(self, start: dt.datetime, end: dt.datetime) -> list[AuditRecord]:
        return self.audit_log.audit_between(start, end)

    def last_sign_ins(self) -> dict[int, dt.datetime]:
        return self.audit_log.last_sign_ins()
