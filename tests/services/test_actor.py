"""The actor and its audit rows."""

from __future__ import annotations

import pytest

from edgewise.services.actor import OPERATOR, Actor, record
from edgewise.store import InvalidRecordError, Store, UserRecord

from .conftest import rows


def test_a_row_names_the_actor_and_starts_with_the_way_in(
    store: Store, users: dict[str, UserRecord]
) -> None:
    ann = users["ann"].id
    record(store, Actor(ann, "192.0.2.1"), "view", "client", 7)
    record(store, Actor(ann, via="api token=3"), "view", "client", 7)
    record(store, Actor(ann, via="api token=3"), "update", "alert", 2, detail="reviewed x=1")
    record(store, OPERATOR, "update", "user", ann, detail="password_set")
    assert rows(store) == [
        (ann, "view", "client", 7, None),
        (ann, "view", "client", 7, "api token=3"),
        (ann, "update", "alert", 2, "api token=3 reviewed x=1"),
        (None, "update", "user", ann, "password_set"),
    ]


def test_a_way_in_that_is_not_words_is_refused(store: Store) -> None:
    with pytest.raises(InvalidRecordError):
        record(store, Actor(1, via="api: <script>"), "view", "caseload")
    assert rows(store) == []
