"""Rows to records: the one place ORM objects turn into the plain records callers get."""

from __future__ import annotations

from typing import cast

from edgewise.store.records import (
    AlertRecord,
    AnalysisVersions,
    AuditAction,
    AuditRecord,
    ClientRecord,
    MeasureDefinitionRecord,
    MeasureResponseRecord,
    RecordType,
    RiskFlagRecord,
    SessionRecord,
    SessionScores,
    SessionStatus,
    TokenRecord,
    TokenScope,
    UserRecord,
)
from edgewise.store.tables import (
    Alert,
    ApiToken,
    AuditEntry,
    Client,
    MeasureDefinition,
    MeasureResponse,
    RiskFlag,
    SessionRow,
    User,
)

__all__ = [
    "alert_record",
    "audit_record",
    "client_record",
    "definition_record",
    "response_record",
    "risk_flag_record",
    "session_record",
    "token_record",
    "user_record",
]


def user_record(row: User) -> UserRecord:
    """A user row as a record."""
    return UserRecord(
        id=row.id,
        username=row.username,
        password_hash=row.password_hash,
        created_at=row.created_at,
        session_epoch=row.session_epoch,
        is_admin=row.is_admin,
        disabled_at=row.disabled_at,
        removed_at=row.removed_at,
    )


def client_record(row: Client, viewer_id: int, *, read_only: bool = False) -> ClientRecord:
    """A client row as ``viewer_id`` sees it (``shared`` when they do not own it)."""
    return ClientRecord(
        id=row.id,
        owner_id=row.owner_id,
        alias=row.alias,
        created_at=row.created_at,
        archived=row.archived,
        shared=row.owner_id != viewer_id,
        read_only=read_only,
    )


def session_record(
    row: SessionRow, *, with_transcript: bool = False, with_analysis: bool = False
) -> SessionRecord:
    """A session row; the transcript and the analysis JSON only when asked for."""
    versions = None
    if row.analyser_version is not None and row.coder_version is not None:
        versions = AnalysisVersions(analyser=row.analyser_version, coder=row.coder_version)
    return SessionRecord(
        id=row.id,
        client_id=row.client_id,
        number=row.number,
        date=row.date,
        source_name=row.source_name,
        status=cast(SessionStatus, row.status),
        analysis_progress=row.analysis_progress,
        versions=versions,
        scores=SessionScores(
            optimal_stress=row.optimal_stress,
            change_talk_share=row.change_talk_share,
            support=row.support,
            challenge=row.challenge,
        ),
        created_at=row.created_at,
        updated_at=row.updated_at,
        transcript=row.transcript if with_transcript else None,
        analysis_json=row.analysis if with_analysis else None,
    )


def definition_record(row: MeasureDefinition) -> MeasureDefinitionRecord:
    """A measure definition row as a record."""
    return MeasureDefinitionRecord(
        id=row.id,
        key=row.key,
        version=row.version,
        body_json=row.body,
        builtin=row.builtin,
        owner_id=row.owner_id,
    )


def response_record(row: MeasureResponse, measure_key: str) -> MeasureResponseRecord:
    """A measure response row (and its definition's key) as a record."""
    return MeasureResponseRecord(
        id=row.id,
        client_id=row.client_id,
        definition_id=row.definition_id,
        measure_key=measure_key,
        session_id=row.session_id,
        answered_on=row.answered_on,
        answered_time=row.answered_time,
        answers_json=row.answers,
        total=row.total,
    )


def alert_record(row: Alert, resolver: str | None = None) -> AlertRecord:
    """An alert row as a record (``resolver``: the username of who reviewed it)."""
    return AlertRecord(
        id=row.id,
        client_id=row.client_id,
        kind=row.kind,
        measure_key=row.measure_key or None,
        reason=row.reason,
        evidence_json=row.evidence,
        history_json=row.history,
        created_at=row.created_at,
        updated_at=row.updated_at,
        lapsed_at=row.lapsed_at,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
        resolver=resolver,
    )


def risk_flag_record(row: RiskFlag, session: SessionRow, reviewer: str | None) -> RiskFlagRecord:
    """A risk flag row, with its session's number and date, as a record."""
    return RiskFlagRecord(
        id=row.id,
        client_id=row.client_id,
        session_id=row.session_id,
        session_number=session.number,
        session_date=session.date,
        turn_index=row.turn_index,
        created_at=row.created_at,
        reviewed_at=row.reviewed_at,
        reviewed_by=row.reviewed_by,
        reviewer=reviewer,
    )


def audit_record(row: AuditEntry) -> AuditRecord:
    """An audit row as a record."""
    return AuditRecord(
        id=row.id,
        at=row.at,
        user_id=row.user_id,
        action=cast(AuditAction, row.action),
        record_type=cast(RecordType, row.record_type),
        record_id=row.record_id,
        detail=row.detail,
    )


def token_record(row: ApiToken) -> TokenRecord:
    """A token row as a record (without its hash)."""
    return TokenRecord(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        scope=cast(TokenScope, row.scope),
        prefix=row.prefix,
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        expires_at=row.expires_at,
    )
