"""Plain, frozen records the store hands out and takes in; no SQLAlchemy here.

Clinical text (transcripts, analysis JSON, answers, alert reasons) is kept out of
``repr`` so a record that lands in a log or a traceback shows ids and figures only.
JSON payloads are JSON *text*, stored exactly as given.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from edgewise.analysis.results import SessionAnalysis

__all__ = [
    "AlertChange",
    "AlertRecord",
    "AnalysisVersions",
    "AuditAction",
    "AuditRecord",
    "CaseloadPage",
    "CaseloadRow",
    "ClientRecord",
    "MeasureDefinitionRecord",
    "MeasureResponseRecord",
    "RecordType",
    "RiskFlagRecord",
    "SessionRecord",
    "SessionScores",
    "SessionStatus",
    "TokenRecord",
    "TokenScope",
    "UserRecord",
    "analysis_outcome",
]

SessionStatus = Literal["pending", "analysing", "done", "failed"]
AuditAction = Literal["view", "create", "update", "delete", "export", "login", "revoke"]
#: What an audit row may point at: a fixed vocabulary, so no free text gets in.
RecordType = Literal[
    "user",
    "client",
    "session",
    "measure_definition",
    "measure_response",
    "alert",
    "share",
    "caseload",
    "risk_flag",
    "token",
    "journal_entry",
    "exercise_answer",
    "journal_definition",
    "mirror",
    "saved_language",
    "goal",
    "action_step",
    "follow_through",
    "supervision_comment",
    # the whole database, at the command line: `edgewise backup` and `edgewise restore`
    "database",
    # a key the health-data columns are sealed with: `edgewise key rotate`
    "encryption_key",
]
#: What an API token may do: ``read`` (GET only) or ``write`` (everything its user may).
TokenScope = Literal["read", "write"]
#: What recording an alert did: a new open alert, a newer score on the open one, or nothing.
AlertChange = Literal["created", "updated", "unchanged"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UserRecord(_Frozen):
    """A clinician account; ``password_hash`` is for the sign-in check only.

    ``session_epoch`` moves on at every sign-out and password change: a sign-in cookie
    issued under an older epoch is refused.
    """

    id: int
    username: str
    password_hash: str = Field(repr=False)
    created_at: dt.datetime
    session_epoch: int = 0
    is_admin: bool = False
    disabled_at: dt.datetime | None = None
    removed_at: dt.datetime | None = None

    @property
    def active(self) -> bool:
        """Whether the account may sign in and use its tokens (not disabled, not removed)."""
        return self.disabled_at is None and self.removed_at is None


class ClientRecord(_Frozen):
    """A client as the asking user sees it (``shared``: not theirs, shared with them)."""

    id: int
    owner_id: int
    alias: str = Field(repr=False)
    created_at: dt.datetime
    archived: bool
    shared: bool = False
    #: Shared with the viewer to read only: they may not add sessions, measures or resolve alerts.
    read_only: bool = False


class AnalysisVersions(_Frozen):
    """Which analyser and coder produced a stored analysis."""

    analyser: str
    coder: str


class SessionScores(_Frozen):
    """The headline figures kept beside the analysis JSON for fast caseload queries."""

    optimal_stress: float | None = None
    change_talk_share: float | None = None
    support: float | None = None
    challenge: float | None = None


class SessionRecord(_Frozen):
    """A session; ``transcript`` and ``analysis_json`` only when asked for."""

    id: int
    client_id: int
    number: int
    date: dt.date
    source_name: str | None = Field(default=None, repr=False)
    status: SessionStatus
    analysis_progress: int = 0
    versions: AnalysisVersions | None = None
    scores: SessionScores = SessionScores()
    created_at: dt.datetime
    updated_at: dt.datetime
    transcript: str | None = Field(default=None, repr=False)
    analysis_json: str | None = Field(default=None, repr=False)


class MeasureDefinitionRecord(_Frozen):
    """An instrument defined as data; ``owner_id`` None for the built-in ones."""

    id: int
    key: str
    version: int
    body_json: str
    builtin: bool
    owner_id: int | None


class MeasureResponseRecord(_Frozen):
    """One completed questionnaire, dated as entered: a day, and a time of day if given."""

    id: int
    client_id: int
    definition_id: int
    measure_key: str
    session_id: int | None
    answered_on: dt.date
    answered_time: dt.time | None = None
    answers_json: str = Field(repr=False)
    total: float | None

    @property
    def answered(self) -> dt.date | dt.datetime:
        """The day, or the day and the time of day (no zone), as entered."""
        if self.answered_time is None:
            return self.answered_on
        return dt.datetime.combine(self.answered_on, self.answered_time)


class AlertRecord(_Frozen):
    """An alert about a client; open while ``resolved_at`` is None.

    ``history_json`` lists the entries (scores or sessions) that triggered it, oldest
    first; ``lapsed_at`` is set while the latest one no longer meets its rule.
    """

    id: int
    client_id: int
    kind: str
    measure_key: str | None = None
    reason: str = Field(repr=False)
    evidence_json: str = Field(repr=False)
    history_json: str = Field(default="[]", repr=False)
    created_at: dt.datetime
    updated_at: dt.datetime | None = None
    lapsed_at: dt.datetime | None = None
    resolved_at: dt.datetime | None
    resolved_by: int | None = None
    resolver: str | None = Field(default=None, description="Username of who reviewed it.")


class RiskFlagRecord(_Frozen):
    """A risk-flagged client turn of an analysed session; open until reviewed."""

    id: int
    client_id: int
    session_id: int
    session_number: int
    session_date: dt.date
    turn_index: int = Field(description="The utterance index, from 0.")
    created_at: dt.datetime
    reviewed_at: dt.datetime | None = None
    reviewed_by: int | None = None
    reviewer: str | None = Field(default=None, description="Username of who reviewed it.")

    @property
    def turn(self) -> int:
        """The turn as people number it, from 1."""
        return self.turn_index + 1


class TokenRecord(_Frozen):
    """A personal access token as its owner sees it: never the secret nor its hash."""

    id: int
    user_id: int
    name: str
    scope: TokenScope
    prefix: str = Field(description="The token's first characters, to tell tokens apart.")
    created_at: dt.datetime
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None

    def usable(self, at: dt.datetime) -> bool:
        """Whether the token opens the API at ``at``: not revoked and not expired."""
        return self.revoked_at is None and (self.expires_at is None or at < self.expires_at)


class AuditRecord(_Frozen):
    """One audit row: who, what, which record, when."""

    id: int
    at: dt.datetime
    user_id: int | None
    action: AuditAction
    record_type: RecordType
    record_id: int | None
    detail: str | None = None


class CaseloadRow(_Frozen):
    """One line of a clinician's caseload: the client and their latest figures."""

    client_id: int
    alias: str = Field(repr=False)
    owner_id: int
    shared: bool
    archived: bool
    session_count: int
    latest_session_id: int | None
    latest_session_date: dt.date | None
    latest_session_status: SessionStatus | None
    latest_optimal_stress: float | None
    latest_change_talk_share: float | None
    latest_totals: dict[str, float | None] = Field(
        default_factory=dict, description="Latest total per measure key asked for (absent: none)."
    )
    open_alerts: int
    open_risk_flags: int = 0
    safety_alerts: tuple[str, ...] = Field(
        default=(), repr=False, description="Reasons of the open safety-item alerts."
    )


class CaseloadPage(_Frozen):
    """One page of a caseload: its rows and where it sits in the whole list."""

    rows: tuple[CaseloadRow, ...]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        """How many pages the whole list fills (at least 1)."""
        return max(1, -(-self.total // self.per_page))


def analysis_outcome(analysis: SessionAnalysis) -> tuple[str, AnalysisVersions, SessionScores]:
    """The JSON, versions and headline scores of an analysis, ready for set_session_analysis."""
    scores = SessionScores(
        optimal_stress=analysis.scores.optimal_stress.value,
        change_talk_share=analysis.change_talk_share.value,
        support=analysis.scores.support.value,
        challenge=analysis.scores.challenge.value,
    )
    versions = AnalysisVersions(analyser=analysis.analyser, coder=analysis.coder)
    return analysis.model_dump_json(), versions, scores
