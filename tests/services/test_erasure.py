"""services.erasure: owner only, the tombstone's words, confirmation, retention's cutoff
and dry run."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from edgewise.errors import UsageError
from edgewise.services import erasure
from edgewise.services.actor import Actor
from edgewise.services.erasure import ErasureNotConfirmedError
from edgewise.store import NotFoundError, Store
from edgewise.store.tables import Client


def test_only_the_owner_erases(store: Store, ann: Actor, bob: Actor) -> None:
    client = store.add_client(ann.require_user(), "Shared one").id
    store.share_client(ann.require_user(), client, bob.require_user(), can_write=True)
    with pytest.raises(NotFoundError) as caught:
        erasure.erase_client(store, bob, client)
    assert caught.value.code == "E301"
    assert store.get_client(ann.require_user(), client) is not None
    counts = erasure.erase_client(store, ann, client)
    assert counts.shares == 1 and store.get_client(ann.require_user(), client) is None


def test_the_tombstone_names_the_way_in(store: Store, ann: Actor) -> None:
    client = store.add_client(ann.require_user(), "Via the API").id
    erasure.erase_client(store, Actor(ann.user_id, via="api token=3"), client)
    [tomb] = [a for a in store.list_audit(record_type="client") if a.action == "delete"]
    assert (tomb.user_id, tomb.record_id, tomb.detail) == (
        ann.user_id,
        client,
        "api token=3 erased",
    )


def test_confirmation_needs_the_alias(store: Store, ann: Actor, bob: Actor) -> None:
    client = store.add_client(ann.require_user(), "Mary Jo").id
    with pytest.raises(ErasureNotConfirmedError):
        erasure.check_confirmation(store, ann, client, "mary jo")
    erasure.check_confirmation(store, ann, client, " Mary   Jo ")
    with pytest.raises(NotFoundError):
        erasure.check_confirmation(store, bob, client, "Mary Jo")


def test_retention_cutoff() -> None:
    leap = dt.datetime(2028, 2, 29, 12, tzinfo=dt.UTC)
    assert erasure.retention_cutoff(7, leap) == dt.datetime(2021, 2, 28, 12, tzinfo=dt.UTC)
    assert erasure.retention_cutoff(1, leap) == dt.datetime(2027, 2, 28, 12, tzinfo=dt.UTC)
    for bad in (0, -1, 201):
        with pytest.raises(UsageError):
            erasure.retention_cutoff(bad)


def test_purge_dry_run_erases_nothing(store: Store, ann: Actor) -> None:
    owner = ann.require_user()
    old = store.add_client(owner, "Old").id
    fresh = store.add_client(owner, "Fresh").id
    store.archive_client(owner, fresh)
    with store.engine.begin() as conn:
        conn.execute(
            update(Client)
            .where(Client.id == old)
            .values(archived=True, created_at=dt.datetime(2012, 5, 1, tzinfo=dt.UTC))
        )
    listed = erasure.purge_archived(store, 10, dry_run=True)
    assert [c.client_id for c in listed] == [old]
    assert store.get_client(owner, old) is not None
    erased = erasure.purge_archived(store, 10)
    assert [c.client_id for c in erased] == [old]
    assert store.get_client(owner, old) is None and store.get_client(owner, fresh) is not None
    [tomb] = [a for a in store.list_audit(record_type="client") if a.action == "delete"]
    assert (tomb.user_id, tomb.record_id, tomb.detail) == (None, old, "erased retention")
