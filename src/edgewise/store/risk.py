"""Store methods for risk flags: client turns of analysed sessions flagged ``risk``.

Flags are written with the session's analysis (:meth:`Store.set_session_analysis`, one
transaction) and stay open until a clinician who may add to the client marks them
reviewed; reviewed flags are kept as history. A session sent back for analysis loses its
open flags (the new analysis brings its own) but keeps the reviewed ones.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, aliased

from edgewise.store import convert
from edgewise.store.base import WITHOUT_TEXT, StoreBase, now
from edgewise.store.caseload import visible_to
from edgewise.store.errors import InvalidRecordError, NotFoundError
from edgewise.store.records import RiskFlagRecord
from edgewise.store.tables import Client, RiskFlag, SessionRow, User

__all__ = ["RiskFlagRepository"]


class RiskFlagRepository(StoreBase):
    """Risk flags; mixed into :class:`edgewise.store.Store`."""

    def list_risk_flags(
        self, user_id: int, client_id: int, *, open_only: bool = False
    ) -> list[RiskFlagRecord]:
        """The client's risk flags by session (date, number) then turn; [] if not theirs."""
        reviewer = aliased(User)
        query = (
            select(RiskFlag, SessionRow, reviewer.username)
            .join(SessionRow, SessionRow.id == RiskFlag.session_id)
            .join(Client, Client.id == RiskFlag.client_id)
            .outerjoin(reviewer, reviewer.id == RiskFlag.reviewed_by)
            .where(RiskFlag.client_id == client_id, visible_to(user_id))
            .order_by(SessionRow.date, SessionRow.number, RiskFlag.turn_index)
            .options(*WITHOUT_TEXT)
        )
        if open_only:
            query = query.where(RiskFlag.reviewed_at.is_(None))
        with self._read() as s:
            return [convert.risk_flag_record(f, row, name) for f, row, name in s.execute(query)]

    def review_risk_flag(self, user_id: int, flag_id: int) -> RiskFlagRecord:
        """Mark a risk flag reviewed by ``user_id`` (idempotent: the first review stands).

        NotFoundError if ``user_id`` may not see it; ReadOnlyError if they may only read.
        """
        with self._write() as s:
            found = s.execute(
                select(RiskFlag, SessionRow)
                .join(SessionRow, SessionRow.id == RiskFlag.session_id)
                .join(Client, Client.id == RiskFlag.client_id)
                .where(RiskFlag.id == flag_id, visible_to(user_id))
            ).first()
            if found is None:
                raise NotFoundError(f"no risk flag {flag_id} for user {user_id}")
            flag, session = found[0], found[1]
            self._writable_client(s, user_id, flag.client_id)
            if flag.reviewed_at is None:
                flag.reviewed_at = now()
                flag.reviewed_by = user_id
            s.flush()
            reviewer = s.get(User, flag.reviewed_by) if flag.reviewed_by is not None else None
            name = None if reviewer is None else reviewer.username
            return convert.risk_flag_record(flag, session, name)

    @staticmethod
    def _add_risk_flags(s: Session, session: SessionRow, turns: Sequence[int]) -> None:
        """A flag for each turn index not flagged in this session yet (reviewed ones stay)."""
        if any(t < 0 for t in turns):
            raise InvalidRecordError("a turn index starts at 0")
        known = set(s.scalars(select(RiskFlag.turn_index).where(RiskFlag.session_id == session.id)))
        stamp = now()
        for turn in sorted(set(turns) - known):
            s.add(
                RiskFlag(
                    client_id=session.client_id,
                    session_id=session.id,
                    turn_index=turn,
                    created_at=stamp,
                )
            )

    @staticmethod
    def _drop_open_risk_flags(s: Session, session_id: int) -> None:
        """Remove the session's unreviewed flags (its analysis is being redone)."""
        s.execute(
            delete(RiskFlag).where(
                RiskFlag.session_id == session_id, RiskFlag.reviewed_at.is_(None)
            )
        )
