"""store.supervision on SQLite and PostgreSQL: who starts, reads, answers and removes a
thread, on one session or across a client's; the words sealed at rest; gone with the
session, the client or the author."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from tests.journal_seed import seed_session, session_text

from edgewise.store import NotFoundError, Store
from edgewise.store.erase import ErasureRepository
from edgewise.store.supervision import NotSupervisorError, SupervisionError
from edgewise.store.supervision_tables import SupervisionComment

WORDS = "Here you held the challenge with real warmth; what did you notice in you?"


@pytest.fixture
def world(store: Store) -> dict[str, int]:
    """ann's client shared read-only with sue (supervisor) and to write with bob; carl sees
    nothing; one analysed session."""
    ids = {n: store.create_user(n, "x").id for n in ("ann", "sue", "bob", "carl")}
    client = store.add_client(ids["ann"], "Wren")
    store.share_client(ids["ann"], client.id, ids["sue"], can_write=False)
    store.share_client(ids["ann"], client.id, ids["bob"], can_write=True)
    session = seed_session(store, ids["ann"], client.id, session_text("pushed"))
    return ids | {"client": client.id, "session": session.id}


def test_a_thread_between_supervisor_and_clinician(store: Store, world: dict[str, int]) -> None:
    sup = store.supervision
    made = sup.start_thread(world["sue"], world["session"], 2, WORDS, moment_kind="rupture")
    assert (made.turn_index, made.moment_kind, made.thread_id, made.author) == (
        2,
        "rupture",
        None,
        "sue",
    )
    assert WORDS not in repr(made)
    reply = sup.answer(world["ann"], made.id, "I noticed my chest tighten.")
    again = sup.answer(world["sue"], reply.id, "Say more next time.")  # an answer's thread
    assert reply.thread_id == made.id and again.thread_id == made.id
    for reader in ("ann", "sue"):
        [thread] = sup.list_threads(world[reader], world["session"])
        assert thread.comment.body == WORDS
        assert [(a.author, a.body) for a in thread.answers] == [
            ("ann", "I noticed my chest tighten."),
            ("sue", "Say more next time."),
        ]
    assert sup.list_threads(world["bob"], world["session"]) == []  # another colleague
    with pytest.raises(NotFoundError):
        sup.get_comment(world["bob"], made.id)
    with pytest.raises(NotFoundError):
        sup.answer(world["bob"], made.id, "me too")
    with pytest.raises(NotFoundError):
        sup.list_threads(world["carl"], world["session"])


def test_who_may_start_and_remove(store: Store, world: dict[str, int]) -> None:
    sup = store.supervision
    with pytest.raises(NotSupervisorError):
        sup.start_thread(world["ann"], world["session"], 1, WORDS)  # the clinician answers
    with pytest.raises(NotFoundError):
        sup.start_thread(world["carl"], world["session"], 1, WORDS)
    for bad in ("   ", "x" * 4001):
        with pytest.raises(SupervisionError):
            sup.start_thread(world["sue"], world["session"], 1, bad)
    made = sup.start_thread(world["sue"], world["session"], 1, WORDS)
    reply = sup.answer(world["ann"], made.id, "Thank you.")
    with pytest.raises(NotSupervisorError):
        sup.delete_comment(world["ann"], made.id)
    sup.delete_comment(world["ann"], reply.id)
    assert sup.list_threads(world["ann"], world["session"])[0].answers == ()
    sup.answer(world["ann"], made.id, "Thank you again.")
    sup.delete_comment(world["sue"], made.id)  # the thread goes with its answers
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(SupervisionComment)) == 0


def test_sealed_at_rest(store: Store, world: dict[str, int]) -> None:
    store.supervision.start_thread(world["sue"], world["session"], 1, WORDS)
    with store.engine.connect() as conn:
        raw = conn.execute(text("SELECT body_text FROM supervision_comments")).scalar_one()
    assert WORDS not in raw and "warmth" not in raw


def test_kept_for_the_clinician_gone_with_the_client(store: Store, world: dict[str, int]) -> None:
    sup = store.supervision
    made = sup.start_thread(world["sue"], world["session"], 1, WORDS)
    store.remove_user(world["sue"])  # the share goes; the clinician keeps the thread
    [thread] = sup.list_threads(world["ann"], world["session"])
    assert thread.comment.author == f"removed-{world['sue']}"
    sup.answer(world["ann"], made.id, "Noted.")
    other = sup.start_thread(world["bob"], world["session"], 1, WORDS)
    sup.answer(world["ann"], other.id, "Yes.")
    erased = ErasureRepository(store.engine)
    erased.erase_client(world["client"], owner_id=world["ann"], by=world["ann"], detail="erased")
    with store.engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(SupervisionComment)) == 0


def test_a_clients_threads_across_its_sessions(store: Store, world: dict[str, int]) -> None:
    """``list_client_threads`` (exports): by session date, then turn; each reader their own
    threads, the clinician all; no one else."""
    sup = store.supervision
    later = seed_session(
        store, world["ann"], world["client"], session_text("met"), day=dt.date(2024, 6, 1)
    )
    on_later = sup.start_thread(world["sue"], later.id, 1, WORDS)
    on_first = sup.start_thread(world["sue"], world["session"], 3, WORDS)
    first_turn = sup.start_thread(world["sue"], world["session"], 0, WORDS)
    by_bob = sup.start_thread(world["bob"], later.id, 2, "Mine.")
    sup.answer(world["ann"], on_first.id, "Noted.")
    ids = [t.comment.id for t in sup.list_client_threads(world["ann"], world["client"])]
    assert ids == [first_turn.id, on_first.id, on_later.id, by_bob.id]
    mine = sup.list_client_threads(world["sue"], world["client"])
    assert [t.comment.id for t in mine] == [first_turn.id, on_first.id, on_later.id]
    assert [a.body for a in mine[1].answers] == ["Noted."]
    assert [t.comment.id for t in sup.list_client_threads(world["bob"], world["client"])] == [
        by_bob.id
    ]
    with pytest.raises(NotFoundError):
        sup.list_client_threads(world["carl"], world["client"])
