"""Preparing the next session: the view's parts, the viewer's own signals only, measure
trends and saved language; audited with ids and counts, never the words."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.journal_seed import seed_session, session_text
from tests.services.conftest import rows

from edgewise.measures import Answer
from edgewise.services import journal, language
from edgewise.services.actor import Actor
from edgewise.services.measures import sync_shipped
from edgewise.services.prepare import prepare_next_session
from edgewise.services.responses import record_response
from edgewise.store import NotFoundError, Store, UserRecord

NOTE = "my jaw clenched when she said no"
MINE = "Part of you wants the walks, and part of you can't see them working."


@pytest.fixture
def client_id(store: Store, users: dict[str, UserRecord], ann: Actor) -> int:
    """ann's client, shared read-only with bob: two analysed sessions, PHQ-9 twice, a
    signal noted in each session (one shared), saved language."""
    client = store.add_client(users["ann"].id, "Wren")
    store.share_client(users["ann"].id, client.id, users["bob"].id, can_write=False)
    first = seed_session(store, ann.require_user(), client.id, session_text("met"))
    second = seed_session(
        store, ann.require_user(), client.id, session_text("pushed"), day=dt.date(2024, 5, 8)
    )
    journal.add_entry(store, ann, first.id, "urge", "fix", 2)
    journal.add_entry(store, ann, second.id, "urge", "push", 4, turn=2)
    shared = journal.add_entry(store, ann, second.id, "emotion", "nervous", 3, note=NOTE)
    journal.set_shared(store, ann, shared.id, True)
    sync_shipped(store)
    for day, value in ((dt.date(2024, 5, 1), 2), (dt.date(2024, 5, 8), 1)):
        answers = tuple(Answer(item_id=str(i), value=value) for i in range(1, 10))
        record_response(store, ann, client.id, "phq9", answers, answered_on=day)
    language.save_language(store, ann, client.id, MINE, kind="double_sided", session_id=second.id)
    return client.id


def test_the_clinicians_view(store: Store, ann: Actor, client_id: int) -> None:
    found = prepare_next_session(store, ann, client_id)
    assert (found.alias, found.viewer, found.read_only, found.sessions) == ("Wren", "ann", False, 2)
    edge = found.growing_edge
    assert edge is not None and edge.session_number == 2 and edge.sessions_analysed == 2
    [theme] = edge.themes
    assert [q.turn for q in theme.ready] == [2, 6]
    assert [q.turn for q in theme.holding_back] == [4, 8]
    assert theme.ready[0].text == "Work has been rough and I want to sleep better."
    assert {d.kind for d in edge.drafts} >= {"double_sided", "feeling_torn", "conjecture"}
    assert all(len(d.turns) >= 2 and min(d.turns) >= 1 for d in edge.drafts)
    assert [(s.label, s.turn, s.intensity) for s in found.signals] == [
        ("Urge: To push", 3, 4),
        ("Emotion: Nervous", None, 3),
    ]
    assert found.signals_session_number == 2 and found.signals[1].note == NOTE
    last = found.last_session
    assert last is not None and last.number == 2 and last.moments
    assert all(m.turn >= 1 and m.label for m in last.moments)
    [phq9] = found.measures
    assert [p.total for p in phq9.points] == [18, 9] and phq9.change == "reliably improved"
    assert phq9.tone == "good"
    [saved] = found.language
    assert (saved.text, saved.mine, saved.kind_label) == (MINE, True, "Double-sided reflection")
    assert NOTE not in repr(found) and MINE not in repr(found) and "Wren" not in repr(found)


def test_a_colleague_sees_none_of_the_authors_entries(
    store: Store, bob: Actor, client_id: int
) -> None:
    found = prepare_next_session(store, bob, client_id)
    assert found.read_only and found.viewer == "bob"
    assert found.signals == () and found.signals_session_number is None  # not even shared ones
    assert NOTE not in found.model_dump_json()
    assert found.growing_edge is not None and found.measures
    assert found.language == ()  # ann's saved language is private until she shares it


def test_a_stranger_gets_not_found(store: Store, users: dict[str, UserRecord]) -> None:
    carl = Actor(store.create_user("carl", "x").id)
    client = store.add_client(users["ann"].id, "Wren")
    with pytest.raises(NotFoundError):
        prepare_next_session(store, carl, client.id)


def test_audited_with_ids_only(store: Store, ann: Actor, client_id: int) -> None:
    before = len(rows(store))
    prepare_next_session(store, ann, client_id)
    new = rows(store)[before:]
    assert (ann.user_id, "view", "client", client_id, "prepare") in new
    assert [r[2] for r in new].count("session") == 2
    assert (ann.user_id, "view", "journal_entry", None, f"client={client_id} n=3") in new
    assert (ann.user_id, "view", "saved_language", None, f"client={client_id}") in new
    assert all(NOTE not in str(r) and MINE not in str(r) for r in rows(store))


def test_a_client_with_nothing_yet(store: Store, ann: Actor, users: dict[str, UserRecord]) -> None:
    client = store.add_client(users["ann"].id, "New")
    found = prepare_next_session(store, ann, client.id)
    assert found.growing_edge is None and found.last_session is None
    assert (found.signals, found.measures, found.language, found.sessions) == ((), (), (), 0)
