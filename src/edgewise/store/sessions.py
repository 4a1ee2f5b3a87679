"""Sessions: added, their status and progress, their analysis stored with its risk flags."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from edgewise.store import convert
from edgewise.store.base import WITHOUT_TEXT, StoreBase, check_json, now
from edgewise.store.caseload import (
    visible_to,
)
from edgewise.store.errors import ConflictError, InvalidRecordError, NotFoundError
from edgewise.store.records import (
    AnalysisVersions,
    SessionRecord,
    SessionScores,
)
from edgewise.store.risk import RiskFlagRepository
from edgewise.store.tables import (
    Client,
    SessionRow,
)

__all__ = ["SessionRepository"]


class SessionRepository(StoreBase):
    """Sessions of the clients a user may see; status, progress and analysis."""

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
        """A new pending session; ``number`` defaults to the client's next one."""
        try:
            with self._write() as s:
                # The client row lock serialises numbering on PostgreSQL (SQLite: BEGIN IMMEDIATE).
                self._writable_client(s, user_id, client_id, lock=True)
                if number is None:
                    last = s.scalar(
                        select(func.max(SessionRow.number)).where(SessionRow.client_id == client_id)
                    )
                    number = (last or 0) + 1
                stamp = now()
                row = SessionRow(
                    client_id=client_id,
                    number=number,
                    date=date,
                    source_name=source_name,
                    transcript=transcript,
                    status="pending",
                    analysis_progress=0,
                    created_at=stamp,
                    updated_at=stamp,
                )
                s.add(row)
                s.flush()
                return convert.session_record(row)
        except IntegrityError:
            raise ConflictError(f"client {client_id} already has session {number}") from None

    def set_session_status(
        self,
        session_id: int,
        status: Literal["pending", "analysing", "failed"],
        *,
        progress: int | None = None,
    ) -> SessionRecord:
        """Move a session to pending/analysing/failed; any stored analysis is removed (and
        its unreviewed risk flags with it)."""
        if status not in ("pending", "analysing", "failed"):
            raise InvalidRecordError(f"status {status!r} cannot be set without an analysis")
        with self._write() as s:
            row = self._session_for_update(s, session_id)
            RiskFlagRepository._drop_open_risk_flags(s, session_id)
            row.status = status
            row.analysis = row.analyser_version = row.coder_version = None
            row.optimal_stress = row.change_talk_share = row.support = row.challenge = None
            row.analysis_progress = self._progress(progress if progress is not None else 0)
            row.updated_at = now()
            s.flush()
            return convert.session_record(row)

    def set_session_progress(self, session_id: int, percent: int) -> None:
        """Record how far the upload/analysis of a session has got (0-100)."""
        with self._write() as s:
            row = self._session_for_update(s, session_id)
            row.analysis_progress = self._progress(percent)
            row.updated_at = now()

    def set_session_analysis(
        self,
        session_id: int,
        analysis_json: str,
        versions: AnalysisVersions,
        scores: SessionScores,
        *,
        risk_turns: Sequence[int] = (),
    ) -> SessionRecord:
        """Store the analysis, its figures and a risk flag per index in ``risk_turns`` (the
        client turns flagged ``risk``, from 0) and mark the session done, all or nothing."""
        check_json(analysis_json, "analysis")
        with self._write() as s:
            row = self._session_for_update(s, session_id)
            RiskFlagRepository._add_risk_flags(s, row, risk_turns)
            row.analysis = analysis_json
            row.analyser_version = versions.analyser
            row.coder_version = versions.coder
            row.optimal_stress = scores.optimal_stress
            row.change_talk_share = scores.change_talk_share
            row.support = scores.support
            row.challenge = scores.challenge
            row.status = "done"
            row.analysis_progress = 100
            row.updated_at = now()
            s.flush()
            return convert.session_record(row)

    @staticmethod
    def _progress(percent: int) -> int:
        if not 0 <= percent <= 100:
            raise InvalidRecordError(f"progress {percent} is not between 0 and 100")
        return percent

    def _session_for_update(self, s: Session, session_id: int) -> SessionRow:
        row = s.scalar(select(SessionRow).where(SessionRow.id == session_id).with_for_update())
        if row is None:
            raise NotFoundError(f"no session {session_id}")
        return row

    def list_sessions(self, user_id: int, client_id: int) -> list[SessionRecord]:
        """The client's sessions, oldest first, without transcript or analysis ([]: not theirs)."""
        query = (
            select(SessionRow)
            .join(Client, Client.id == SessionRow.client_id)
            .where(SessionRow.client_id == client_id, visible_to(user_id))
            .order_by(SessionRow.date, SessionRow.number)
            .options(*WITHOUT_TEXT)
        )
        with self._read() as s:
            return [convert.session_record(row) for row in s.scalars(query)]

    def get_session(
        self, user_id: int, session_id: int, *, with_transcript: bool = False
    ) -> SessionRecord | None:
        """The session with its analysis JSON (and transcript if asked), or None."""
        query = (
            select(SessionRow)
            .join(Client, Client.id == SessionRow.client_id)
            .where(SessionRow.id == session_id, visible_to(user_id))
        )
        with self._read() as s:
            row = s.scalar(query)
            if row is None:
                return None
            return convert.session_record(row, with_transcript=with_transcript, with_analysis=True)

    def unfinished_sessions(self) -> list[SessionRecord]:
        """Sessions left pending or analysing (e.g. by a restart), oldest first; maintenance only.

        Not filtered by user: the web app calls it once at start-up to mark them failed.
        """
        query = (
            select(SessionRow)
            .where(SessionRow.status.in_(("pending", "analysing")))
            .order_by(SessionRow.id)
        )
        with self._read() as s:
            return [convert.session_record(row) for row in s.scalars(query)]
