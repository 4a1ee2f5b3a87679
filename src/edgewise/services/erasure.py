"""Erasure on request and retention: a client's record removed, a tombstone audited.

:func:`erase_client` is the owner's alone: a colleague the client is shared with, or
anyone who cannot see it, gets NotFoundError (E301), as for sharing and archiving.
Everything about the client goes in one transaction with its tombstone (a ``delete``
audit row of the ``client``, detail ``erased``); see :mod:`edgewise.store.erase`.
Nothing else on disk is derived from a client: the web app's upload folders are per
request and removed when it ends, and reports are rendered on request, never stored.

:func:`purge_archived` erases archived clients not changed for ``years`` years, each
with its own tombstone (detail ``erased retention``), acting as the operator.
"""

from __future__ import annotations

import datetime as dt

from edgewise.errors import InputError, UsageError
from edgewise.services.actor import Actor
from edgewise.services.clients import find_client
from edgewise.store import NotFoundError, Store
from edgewise.store.erase import ArchivedClient, ErasedCounts, ErasureRepository

__all__ = [
    "ErasureNotConfirmedError",
    "check_confirmation",
    "erase_client",
    "purge_archived",
    "retention_cutoff",
]


class ErasureNotConfirmedError(InputError):
    """The alias typed to confirm an erasure does not match the client's."""

    code = "E430"


def check_confirmation(store: Store, actor: Actor, client_id: int, typed: str) -> None:
    """ErasureNotConfirmedError unless ``typed`` is the client's alias (spaces folded)."""
    client = find_client(store, actor, client_id)
    if " ".join(typed.split()) != client.alias:
        raise ErasureNotConfirmedError(
            "the alias typed does not match the client's; nothing was erased"
        )


def erase_client(store: Store, actor: Actor, client_id: int) -> ErasedCounts:
    """Erase the actor's client: every session, transcript, analysis, risk flag, measure
    response, alert and share, and the client; the audit log keeps a tombstone."""
    owner = actor.require_user()
    client = find_client(store, actor, client_id)
    if client.shared:
        raise NotFoundError(f"no client {client_id} of yours to erase (only its owner may)")
    detail = " ".join(w for w in (actor.via, "erased") if w)
    return ErasureRepository(store.engine).erase_client(
        client_id, owner_id=owner, by=owner, detail=detail
    )


def retention_cutoff(years: int, today: dt.datetime | None = None) -> dt.datetime:
    """The time ``years`` years before ``today`` (29 February becomes 28 February)."""
    if years < 1 or years > 200:
        raise UsageError("--archived-older-than takes a whole number of years from 1 to 200")
    now = today or dt.datetime.now(dt.UTC)
    try:
        return now.replace(year=now.year - years)
    except ValueError:
        return now.replace(year=now.year - years, day=28)


def purge_archived(
    store: Store, years: int, *, dry_run: bool = False, today: dt.datetime | None = None
) -> list[ErasedCounts]:
    """Erase (or, ``dry_run``, count) archived clients unchanged for ``years`` years."""
    repo = ErasureRepository(store.engine)
    due: list[ArchivedClient] = repo.archived_clients(retention_cutoff(years, today))
    if dry_run:
        return [repo.count_client(c.client_id, owner_id=None) for c in due]
    erased = [
        repo.erase_client(
            c.client_id, owner_id=None, by=None, detail="erased retention", compact=False
        )
        for c in due
    ]
    if erased:
        repo.compact()
    return erased
