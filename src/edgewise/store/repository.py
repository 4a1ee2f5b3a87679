"""The store the web app calls: plain records in and out, every clinical read per user.

Access rule: a user sees a client, and everything recorded about it, when they own the
client or it is shared with them; only the owner shares or archives. A record the user
may not see reads exactly like one that does not exist (None, an empty list, or
:class:`NotFoundError`). Each method is one transaction; writes start with BEGIN
IMMEDIATE on SQLite (see :mod:`edgewise.store.engine`), so they never commit half.
Auditing is explicit: the web app calls :meth:`Store.audit` for what it shows or changes
(:meth:`Store.add_sessions` writes its ``create`` rows itself, in the upload's transaction).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from edgewise.store import convert
from edgewise.store.alerts import AlertsMixin
from edgewise.store.base import WITHOUT_TEXT, StoreBase, check_json, now
from edgewise.store.caseload import (
    caseload_markers,
    caseload_query,
    caseload_row,
    page_statements,
    search_pattern,
    visible_to,
)
from edgewise.store.errors import ConflictError, InvalidRecordError, NotFoundError
from edgewise.store.measures_alerts import MeasuresAlertsMixin
from edgewise.store.records import (
    AnalysisVersions,
    CaseloadPage,
    CaseloadRow,
    ClientRecord,
    SessionRecord,
    SessionScores,
    UserRecord,
)
from edgewise.store.risk import RiskMixin
from edgewise.store.tables import (
    Client,
    ClientShare,
    SessionRow,
    User,
)
from edgewise.store.tokens import TokensMixin
from edgewise.store.uploads import UploadsMixin

__all__ = ["DEFAULT_MEASURE_KEYS", "Store"]

#: Measures whose latest totals the caseload shows unless told otherwise.
DEFAULT_MEASURE_KEYS: tuple[str, ...] = ("phq9", "gad7")


class Store(UploadsMixin, MeasuresAlertsMixin, AlertsMixin, RiskMixin, TokensMixin, StoreBase):
    """Users, clients, sessions, measures, alerts, risk flags, API tokens and the audit log
    in one database."""

    # -- users ---------------------------------------------------------------------------

    def create_user(self, username: str, password_hash: str) -> UserRecord:
        """A new user; ConflictError when the username is taken."""
        try:
            with self._write() as s:
                key = username.casefold()
                if s.scalar(select(User.id).where(User.username_key == key)) is not None:
                    raise ConflictError("username is taken")
                row = User(
                    username=username,
                    username_key=key,
                    password_hash=password_hash,
                    created_at=now(),
                )
                s.add(row)
                s.flush()
                return convert.user_record(row)
        except IntegrityError:
            raise ConflictError("username is taken") from None

    def get_user_by_name(self, username: str) -> UserRecord | None:
        """The user called exactly ``username``, else the one whose name differs only by
        case (``Alice`` finds ``alice``), or None."""
        query = select(User).where(
            or_(User.username == username, User.username_key == username.casefold())
        )
        with self._read() as s:
            rows = list(s.scalars(query))  # at most two: both columns are unique
            exact = [row for row in rows if row.username == username]
            found = exact or rows
            return convert.user_record(found[0]) if found else None

    def get_user(self, user_id: int) -> UserRecord | None:
        """The user with this id, or None."""
        with self._read() as s:
            row = s.get(User, user_id)
            return None if row is None else convert.user_record(row)

    def end_sessions(self, user_id: int) -> int:
        """Move the user's session epoch on, so every sign-in cookie issued before is
        refused; the new epoch (NotFoundError: no such user)."""
        return self._next_epoch(user_id).session_epoch

    def set_password(self, user_id: int, password_hash: str) -> UserRecord:
        """Replace the user's password hash, end their sessions and revoke their API tokens,
        in one transaction: a new password is what an account others may know gets."""
        with self._write() as s:
            user = self._bump_epoch(s, user_id, password_hash=password_hash)
            self._revoke_all_tokens(s, user_id, "password_set")
            return user

    def _next_epoch(self, user_id: int) -> UserRecord:
        """Bump the session epoch in its own transaction."""
        with self._write() as s:
            return self._bump_epoch(s, user_id)

    @staticmethod
    def _bump_epoch(s: Session, user_id: int, **values: str) -> UserRecord:
        """Bump the session epoch (and set ``values``) in one UPDATE."""
        bump = (
            update(User)
            .where(User.id == user_id)
            .values(session_epoch=User.session_epoch + 1, **values)
            .returning(User)
        )
        row = s.scalar(bump)
        if row is None:
            raise NotFoundError(f"no user {user_id}")
        return convert.user_record(row)

    # -- clients ---------------------------------------------------------------------------

    def add_client(self, owner_id: int, alias: str) -> ClientRecord:
        """A new client owned by ``owner_id`` (NotFoundError: no such user)."""
        with self._write() as s:
            if s.get(User, owner_id) is None:
                raise NotFoundError(f"no user {owner_id}")
            row = Client(owner_id=owner_id, alias=alias, created_at=now(), archived=False)
            s.add(row)
            s.flush()
            return convert.client_record(row, owner_id)

    def get_client(self, user_id: int, client_id: int) -> ClientRecord | None:
        """The client, or None when it does not exist or ``user_id`` may not see it."""
        with self._read() as s:
            row = s.scalar(select(Client).where(Client.id == client_id, visible_to(user_id)))
            if row is None:
                return None
            read_only = not self._can_write(s, row, user_id)
            return convert.client_record(row, user_id, read_only=read_only)

    def list_clients(
        self, user_id: int, *, after: int = 0, limit: int = 100, include_archived: bool = False
    ) -> list[ClientRecord]:
        """The clients ``user_id`` owns or shares with an id above ``after``, by id, at most
        ``limit`` (a page that neither repeats nor skips a client added meanwhile)."""
        share = and_(ClientShare.client_id == Client.id, ClientShare.user_id == user_id)
        query = (
            select(Client, ClientShare.can_write)
            .outerjoin(ClientShare, share)
            .where(or_(Client.owner_id == user_id, ClientShare.user_id.is_not(None)))
            .where(Client.id > after)
            .order_by(Client.id)
            .limit(limit)
        )
        if not include_archived:
            query = query.where(Client.archived.is_(False))
        with self._read() as s:
            return [
                convert.client_record(row, user_id, read_only=row.owner_id != user_id and not can)
                for row, can in s.execute(query)
            ]

    def list_caseload(
        self,
        user_id: int,
        *,
        measure_keys: Sequence[str] = DEFAULT_MEASURE_KEYS,
        include_archived: bool = False,
    ) -> list[CaseloadRow]:
        """The clients ``user_id`` owns or shares, with their latest figures, in one query."""
        keys = tuple(measure_keys)
        query = caseload_query(user_id, keys, include_archived=include_archived)
        with self._read() as s:
            rows = list(s.execute(query))
            safety = caseload_markers(s, [r.id for r in rows if r.open_alerts])
            return [caseload_row(row, user_id, keys, safety.get(row.id, ())) for row in rows]

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
        """One page of :meth:`list_caseload`, in its order; ``search`` filters by alias."""
        if page < 1 or per_page < 1:
            raise InvalidRecordError("page and per_page start at 1")
        keys = tuple(measure_keys)
        query = page_statements(keys, include_archived=include_archived, searching=bool(search))
        params: dict[str, object] = {"user_id": user_id, "limit": per_page}
        params |= {"offset": (page - 1) * per_page, "pattern": search_pattern(search or "")}
        with self._read() as s:
            total = int(s.scalar(query.count, params) or 0)
            ids = list(s.scalars(query.ids, params))
            rows = []
            if ids:
                listed = list(s.execute(query.rows, {"user_id": user_id, "client_ids": ids}))
                safety = caseload_markers(s, [r.id for r in listed if r.open_alerts])
                found = {r.id: caseload_row(r, user_id, keys, safety.get(r.id, ())) for r in listed}
                rows = [found[i] for i in ids if i in found]
        return CaseloadPage(rows=tuple(rows), total=total, page=page, per_page=per_page)

    def share_client(
        self, owner_id: int, client_id: int, other_user_id: int, *, can_write: bool = True
    ) -> None:
        """Let ``other_user_id`` see the client, and add to it when ``can_write``; only its
        owner may. Sharing again sets the access."""
        with self._write() as s:
            self._owned(s, owner_id, client_id)
            if s.get(User, other_user_id) is None:
                raise NotFoundError(f"no user {other_user_id}")
            if other_user_id == owner_id:
                return
            share = s.get(ClientShare, (client_id, other_user_id))
            if share is None:
                s.add(ClientShare(client_id=client_id, user_id=other_user_id, can_write=can_write))
            else:
                share.can_write = can_write

    def unshare_client(self, owner_id: int, client_id: int, other_user_id: int) -> None:
        """Stop sharing the client with ``other_user_id`` (idempotent)."""
        with self._write() as s:
            self._owned(s, owner_id, client_id)
            share = s.get(ClientShare, (client_id, other_user_id))
            if share is not None:
                s.delete(share)

    def list_shares(self, owner_id: int, client_id: int) -> list[UserRecord]:
        """The users the client is shared with, by name; owner only."""
        with self._read() as s:
            self._owned(s, owner_id, client_id)
            query = (
                select(User)
                .join(ClientShare, ClientShare.user_id == User.id)
                .where(ClientShare.client_id == client_id)
                .order_by(User.username)
            )
            return [convert.user_record(row) for row in s.scalars(query)]

    def share_access(self, owner_id: int, client_id: int) -> dict[int, bool]:
        """Whether each user the client is shared with may add to it (user id -> can write)."""
        with self._read() as s:
            self._owned(s, owner_id, client_id)
            query = select(ClientShare).where(ClientShare.client_id == client_id)
            return {row.user_id: row.can_write for row in s.scalars(query)}

    def archive_client(self, owner_id: int, client_id: int, archived: bool = True) -> None:
        """Hide the client from the caseload (or bring it back); owner only."""
        with self._write() as s:
            self._owned(s, owner_id, client_id).archived = archived

    # -- sessions --------------------------------------------------------------------------

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
            self._drop_open_risk_flags(s, session_id)
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
            self._add_risk_flags(s, row, risk_turns)
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
