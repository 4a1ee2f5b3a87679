"""Clients through the services: who may see and change what, and the audit row of each."""

from __future__ import annotations

import pytest

from edgewise.errors import InputError
from edgewise.services import clients
from edgewise.services.actor import Actor
from edgewise.services.clients import UnknownColleagueError
from edgewise.store import NotFoundError, ReadOnlyError, Store

from .conftest import rows


def test_adding_a_client_folds_spaces_and_is_audited(store: Store, ann: Actor) -> None:
    client = clients.add_client(store, ann, "  Walter   W. ")
    assert client.alias == "Walter W."
    assert rows(store) == [(ann.user_id, "create", "client", client.id, None)]


@pytest.mark.parametrize("alias", ["", "   ", "x" * 201])
def test_an_alias_out_of_bounds_is_refused_and_nothing_stored(
    store: Store, ann: Actor, alias: str
) -> None:
    with pytest.raises(InputError, match="1 to 200 characters"):
        clients.add_client(store, ann, alias)
    assert rows(store) == []
    assert clients.view_caseload(store, ann).total == 0


def test_views_and_exports_are_audited_as_such(store: Store, ann: Actor) -> None:
    client = clients.add_client(store, ann, "Ada")
    listing = clients.view_caseload(store, ann, search="ad")
    assert [r.client_id for r in listing.rows] == [client.id]
    found = clients.view_client(store, ann, client.id)
    assert found.client == client and found.sessions == [] and found.shares == []
    clients.export_client(store, ann, client.id)
    assert [r[1:4] for r in rows(store)][1:] == [
        ("view", "caseload", None),
        ("view", "client", client.id),
        ("export", "client", client.id),
    ]


def test_another_clinicians_client_is_not_found_and_nothing_is_audited(
    store: Store, ann: Actor, bob: Actor
) -> None:
    client = clients.add_client(store, ann, "Private")
    before = rows(store)
    for call in (
        lambda: clients.find_client(store, bob, client.id),
        lambda: clients.view_client(store, bob, client.id),
        lambda: clients.export_client(store, bob, client.id),
        lambda: clients.archive_client(store, bob, client.id),
        lambda: clients.share_client(store, bob, client.id, "bob"),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert rows(store) == before


def test_sharing_opens_the_record_and_read_only_refuses_changes(
    store: Store, ann: Actor, bob: Actor
) -> None:
    client = clients.add_client(store, ann, "Shared")
    clients.share_client(store, ann, client.id, " BOB ", can_write=False)
    seen = clients.view_client(store, bob, client.id)
    assert seen.client.read_only and seen.shares == [] and seen.share_access == {}
    assert clients.view_client(store, ann, client.id).share_access == {bob.user_id: False}
    with pytest.raises(ReadOnlyError):
        clients.writable_client(store, bob, client.id)
    with pytest.raises(NotFoundError):  # only the owner shares
        clients.share_client(store, bob, client.id, "ann")
    clients.share_client(store, ann, client.id, "bob", stop=True)
    with pytest.raises(NotFoundError):
        clients.find_client(store, bob, client.id)
    updates = [r for r in rows(store) if r[1] == "update"]
    assert updates == [(ann.user_id, "update", "client", client.id, None)] * 2


@pytest.mark.parametrize("name", ["nobody", "ann", ""])
def test_sharing_with_no_other_clinician_is_refused(store: Store, ann: Actor, name: str) -> None:
    client = clients.add_client(store, ann, "Alone")
    with pytest.raises(UnknownColleagueError):
        clients.share_client(store, ann, client.id, name)
    assert [r[1] for r in rows(store)] == ["create"]


def test_archiving_hides_and_restoring_brings_back(store: Store, ann: Actor) -> None:
    client = clients.add_client(store, ann, "Resting")
    clients.archive_client(store, ann, client.id)
    assert clients.view_caseload(store, ann).total == 0
    assert clients.view_caseload(store, ann, include_archived=True).total == 1
    clients.archive_client(store, ann, client.id, archived=False)
    assert clients.view_caseload(store, ann).total == 1
    assert [r[1:4] for r in rows(store)].count(("update", "client", client.id)) == 2


def test_the_operator_has_no_caseload(store: Store) -> None:
    with pytest.raises(ValueError, match="signed-in clinician"):
        clients.view_caseload(store, Actor(None))


def test_clients_come_a_page_at_a_time_by_id(store: Store, ann: Actor, bob: Actor) -> None:
    made = [clients.add_client(store, ann, f"C{n}") for n in range(3)]
    clients.add_client(store, bob, "Not ann's")
    first = clients.list_clients(store, ann, limit=2)
    rest = clients.list_clients(store, ann, after=first[-1].id, limit=2)
    assert [c.id for c in first + rest] == [c.id for c in made]
    assert [r[1:3] for r in rows(store)][-2:] == [("view", "caseload")] * 2
