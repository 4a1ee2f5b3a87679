"""store.journal on SQLite and PostgreSQL: who reads an entry, sharing, answers and own
definitions, and that erasing the client leaves nothing of its journal behind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from tests.journal_seed import seed_session, session_text

from edgewise.store import ConflictError, NotFoundError, Store
from edgewise.store.erase import ErasureRepository
from edgewise.store.journal import NewEntry
from edgewise.store.journal_tables import ExerciseAnswer, JournalEntry

NOTE = "the urge to smooth it over"


@pytest.fixture
def world(store: Store) -> dict[str, int]:
    """ann's client shared with bob; carl sees nothing; one analysed session."""
    ids = {n: store.create_user(n, "x").id for n in ("ann", "bob", "carl")}
    client = store.add_client(ids["ann"], "Wren")
    store.share_client(ids["ann"], client.id, ids["bob"], can_write=False)
    session = seed_session(store, ids["ann"], client.id, session_text("met"))
    return ids | {"client": client.id, "session": session.id}


def test_who_reads_an_entry(store: Store, world: dict[str, int]) -> None:
    entry = store.journal.add_entry(
        world["ann"], world["session"], NewEntry("urge", "reassure", 1, 2, turn_index=4, note=NOTE)
    )
    assert store.journal.get_entry(world["ann"], entry.id) == entry
    for other in ("bob", "carl"):
        assert store.journal.get_entry(world[other], entry.id) is None
        assert store.journal.list_entries(world[other], session_id=world["session"]) == []
        with pytest.raises(NotFoundError):
            store.journal.set_shared(world[other], entry.id, True)
    store.journal.set_shared(world["ann"], entry.id, True)
    seen = store.journal.get_entry(world["bob"], entry.id)
    assert seen is not None and seen.note == NOTE and seen.author == "ann"
    assert store.journal.get_entry(world["carl"], entry.id) is None  # cannot see the client
    assert store.journal.list_entries(world["bob"], own_only=True) == []
    with pytest.raises(NotFoundError):
        store.journal.add_entry(world["carl"], world["session"], NewEntry("urge", "fix", 1, 3))


def test_answers_and_definitions(store: Store, world: dict[str, int]) -> None:
    mine = store.journal.add_answer(world["ann"], world["client"], ("readiness", 1), "notice", "a")
    store.journal.add_answer(world["ann"], None, ("readiness", 1), "notice", "b")
    assert store.journal.list_answers(world["ann"], "readiness", world["client"]) == [mine]
    assert [a.text for a in store.journal.list_answers(world["ann"], "readiness", None)] == ["b"]
    assert store.journal.list_answers(world["bob"], "readiness", world["client"]) == []
    with pytest.raises(NotFoundError):
        store.journal.add_answer(world["carl"], world["client"], ("readiness", 1), "notice", "c")
    store.journal.add_definition(world["ann"], "exercise", "mine", 1, "{}")
    with pytest.raises(ConflictError):
        store.journal.add_definition(world["ann"], "exercise", "mine", 1, "{}")
    assert store.journal.list_definitions(world["bob"], "exercise") == []


def test_erasing_the_client_removes_its_journal(store: Store, world: dict[str, int]) -> None:
    store.journal.add_entry(world["bob"], world["session"], NewEntry("urge", "fix", 1, 3))
    store.journal.add_answer(world["ann"], world["client"], ("readiness", 1), "notice", "a")
    general = store.journal.add_answer(world["ann"], None, ("readiness", 1), "notice", "b")
    ErasureRepository(store.engine).erase_client(
        world["client"], owner_id=world["ann"], by=world["ann"], detail="erased", compact=False
    )
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(JournalEntry)) == 0
        left = conn.execute(select(ExerciseAnswer.id)).scalars().all()
    assert left == [general.id]  # an answer in general is not the client's
