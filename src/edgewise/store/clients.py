"""Clients: the caseload, sharing and archiving (owner only), every read per user."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import and_, or_, select

from edgewise.store import convert
from edgewise.store.base import StoreBase, now
from edgewise.store.caseload import (
    caseload_markers,
    caseload_query,
    caseload_row,
    matches,
    order_key,
    page_statements,
    visible_to,
)
from edgewise.store.errors import InvalidRecordError, NotFoundError
from edgewise.store.records import (
    CaseloadPage,
    CaseloadRow,
    ClientRecord,
    UserRecord,
)
from edgewise.store.tables import (
    Client,
    ClientShare,
    User,
)

__all__ = ["DEFAULT_MEASURE_KEYS", "ClientRepository"]

#: Measures whose latest totals the caseload shows unless told otherwise.
DEFAULT_MEASURE_KEYS: tuple[str, ...] = ("phq9", "gad7")


class ClientRepository(StoreBase):
    """Clients a user owns or shares: added, listed a page at a time, shared, archived."""

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
            found = [caseload_row(row, user_id, keys, safety.get(row.id, ())) for row in rows]
        return sorted(found, key=order_key)

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
        query = page_statements(keys, include_archived=include_archived)
        with self._read() as s:
            every = s.execute(query.order, {"user_id": user_id})
            listed = sorted((r for r in every if matches(r.alias, search)), key=order_key)
            ids = [r.id for r in listed[(page - 1) * per_page : page * per_page]]
            rows = []
            if ids:
                got = list(s.execute(query.rows, {"user_id": user_id, "client_ids": ids}))
                safety = caseload_markers(s, [r.id for r in got if r.open_alerts])
                found = {r.id: caseload_row(r, user_id, keys, safety.get(r.id, ())) for r in got}
                rows = [found[i] for i in ids if i in found]
        total = len(listed)
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
