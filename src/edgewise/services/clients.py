"""Clients: the caseload, a client's whole record, adding, sharing and archiving, audited.

A client the actor may not see is a NotFoundError (E301), exactly like one that does not
exist; a change asked of a client shared read-only is a ReadOnlyError (E304); sharing and
archiving are the owner's alone (NotFoundError for anyone else). Audit rows: ``view`` of
the ``caseload``, ``view``/``export`` of a ``client`` (its record read), ``create`` and
``update`` (shared, unshared, archived, restored) of a ``client``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from edgewise.errors import InputError
from edgewise.services.actor import Actor, record
from edgewise.services.measures import Defined, Scored, definitions, scored_history
from edgewise.store import (
    AlertRecord,
    CaseloadPage,
    ClientRecord,
    NotFoundError,
    ReadOnlyError,
    RiskFlagRecord,
    SessionRecord,
    Store,
    UserRecord,
)

__all__ = [
    "MAX_ALIAS",
    "ClientFile",
    "UnknownColleagueError",
    "add_client",
    "archive_client",
    "export_client",
    "find_client",
    "list_clients",
    "share_client",
    "view_caseload",
    "view_client",
    "writable_client",
]

MAX_ALIAS = 200


class UnknownColleagueError(InputError):
    """The username to share a client with names no other clinician."""


@dataclass(frozen=True)
class ClientFile:
    """Everything recorded about one client that the actor may see.

    ``shares`` and ``share_access`` (user id -> may add) are the owner's to see; empty
    for a colleague the client is shared with.
    """

    client: ClientRecord
    sessions: list[SessionRecord]
    definitions: dict[str, Defined]
    history: dict[str, list[Scored]]
    alerts: list[AlertRecord]
    risk_flags: list[RiskFlagRecord]
    shares: list[UserRecord] = field(default_factory=list)
    share_access: dict[int, bool] = field(default_factory=dict)


def find_client(store: Store, actor: Actor, client_id: int) -> ClientRecord:
    """The client if the actor may see it (its alias and access only; not audited)."""
    client = store.get_client(actor.require_user(), client_id)
    if client is None:
        raise NotFoundError(f"no client {client_id}")
    return client


def writable_client(store: Store, actor: Actor, client_id: int) -> ClientRecord:
    """The client if the actor may add to it: NotFoundError if they may not see it,
    ReadOnlyError if it is shared with them to read only."""
    client = find_client(store, actor, client_id)
    if client.read_only:
        raise ReadOnlyError(f"client {client_id} is shared with you to read only")
    return client


def _owned(store: Store, actor: Actor, client_id: int) -> ClientRecord:
    client = find_client(store, actor, client_id)
    if client.shared:  # only the owner shares or archives; to others it is not there
        raise NotFoundError(f"no client {client_id}")
    return client


def view_caseload(
    store: Store,
    actor: Actor,
    *,
    page: int = 1,
    per_page: int = 100,
    search: str = "",
    measure_keys: Sequence[str] = (),
    include_archived: bool = False,
) -> CaseloadPage:
    """One page of the clients the actor owns or shares, with their latest figures."""
    listing = store.caseload_page(
        actor.require_user(),
        page=page,
        per_page=per_page,
        search=search,
        measure_keys=list(measure_keys),
        include_archived=include_archived,
    )
    record(store, actor, "view", "caseload")
    return listing


def list_clients(
    store: Store,
    actor: Actor,
    *,
    after: int = 0,
    limit: int = 100,
    include_archived: bool = False,
) -> list[ClientRecord]:
    """The clients the actor owns or shares with an id above ``after``, by id, at most
    ``limit`` (cursor paging that neither repeats nor skips a client added meanwhile)."""
    clients = store.list_clients(
        actor.require_user(), after=after, limit=limit, include_archived=include_archived
    )
    record(store, actor, "view", "caseload")
    return clients


def add_client(store: Store, actor: Actor, alias: str) -> ClientRecord:
    """A new client of the actor's, known by ``alias`` (spaces folded; 1 to 200 characters)."""
    alias = " ".join(alias.split())
    if not alias or len(alias) > MAX_ALIAS:
        raise InputError(f"a client's alias is 1 to {MAX_ALIAS} characters")
    client = store.add_client(actor.require_user(), alias)
    record(store, actor, "create", "client", client.id)
    return client


def _client_file(store: Store, actor: Actor, client: ClientRecord) -> ClientFile:
    user_id = actor.require_user()
    sessions = store.list_sessions(user_id, client.id)
    defined = definitions(store, user_id)
    history = scored_history(store, user_id, client.id, client.alias, defined, sessions)
    owner = not client.shared
    return ClientFile(
        client=client,
        sessions=sessions,
        definitions=defined,
        history=history,
        alerts=store.list_alerts(user_id, client.id),
        risk_flags=store.list_risk_flags(user_id, client.id),
        shares=store.list_shares(user_id, client.id) if owner else [],
        share_access=store.share_access(user_id, client.id) if owner else {},
    )


def view_client(store: Store, actor: Actor, client_id: int) -> ClientFile:
    """The client's whole record, to be shown (audited as a ``view``)."""
    found = _client_file(store, actor, find_client(store, actor, client_id))
    record(store, actor, "view", "client", client_id)
    return found


def export_client(store: Store, actor: Actor, client_id: int) -> ClientFile:
    """The client's whole record, to be exported (audited as an ``export``)."""
    found = _client_file(store, actor, find_client(store, actor, client_id))
    record(store, actor, "export", "client", client_id)
    return found


def share_client(
    store: Store,
    actor: Actor,
    client_id: int,
    username: str,
    *,
    can_write: bool = True,
    stop: bool = False,
) -> ClientRecord:
    """Share the actor's client with the colleague ``username`` (to add to it when
    ``can_write``), or ``stop`` sharing it; UnknownColleagueError for a name that is no
    other clinician's."""
    client = _owned(store, actor, client_id)
    owner = actor.require_user()
    other = store.get_user_by_name(username.strip())
    if other is None or other.id == owner:
        raise UnknownColleagueError("no other clinician has that username")
    if stop:
        store.unshare_client(owner, client.id, other.id)
    else:
        store.share_client(owner, client.id, other.id, can_write=can_write)
    record(store, actor, "update", "client", client.id)
    return client


def archive_client(
    store: Store, actor: Actor, client_id: int, *, archived: bool = True
) -> ClientRecord:
    """Take the actor's client off the caseload (or put them back, ``archived=False``).
    Nothing is deleted: an archived client's record stays."""
    client = _owned(store, actor, client_id)
    store.archive_client(actor.require_user(), client.id, archived=archived)
    record(store, actor, "update", "client", client.id)
    return client
