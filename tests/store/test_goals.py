"""store.goals on SQLite and PostgreSQL: the record's rules (who reads, who changes),
proposals from a session (a re-analysis proposes nothing twice), follow-through proposed
then reviewed, the words sealed at rest, and erasure leaving nothing behind."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, text
from tests.journal_seed import seed_session, session_text

from edgewise.store import NotFoundError, ReadOnlyError, Store
from edgewise.store.erase import ErasureRepository
from edgewise.store.goal_records import GoalError, NewStep
from edgewise.store.goal_tables import ActionStep, FollowThroughRow, Goal
from edgewise.store.goals import KEEP

WALK = "walk to work three mornings this week"


@pytest.fixture
def world(store: Store) -> dict[str, int]:
    """ann's client shared read-only with bob; carl sees nothing; two analysed sessions."""
    ids = {n: store.create_user(n, "x").id for n in ("ann", "bob", "carl")}
    client = store.add_client(ids["ann"], "Wren")
    store.share_client(ids["ann"], client.id, ids["bob"], can_write=False)
    first = seed_session(store, ids["ann"], client.id, session_text("met"))
    second = seed_session(store, ids["ann"], client.id, session_text("pushed"))
    return ids | {"client": client.id, "first": first.id, "second": second.id}


def _propose(store: Store, world: dict[str, int]) -> list[int]:
    made = store.goals.propose_steps(
        world["client"],
        world["first"],
        [
            NewStep(5, WALK, "this week", ("commitment",)),
            NewStep(7, "ring my sister", None, ("commitment", "activation")),
        ],
    )
    return [m.id for m in made]


def test_proposals_once_per_turn(store: Store, world: dict[str, int]) -> None:
    ids = _propose(store, world)
    assert len(ids) == 2
    assert _propose(store, world) == []  # a re-analysis proposes nothing again
    steps = store.goals.list_steps(world["bob"], world["client"])
    assert [(s.status, s.session_number, s.turn_index) for s in steps] == [
        ("proposed", 1, 5),
        ("proposed", 1, 7),
    ]
    assert steps[1].labels == ("commitment", "activation")
    assert steps[0].when == "this week" and not steps[0].edited
    with pytest.raises(NotFoundError):
        store.goals.list_steps(world["carl"], world["client"])
    assert "walk" not in repr(steps[0])


def test_decide_edit_and_group(store: Store, world: dict[str, int]) -> None:
    walk, sister = _propose(store, world)
    goal = store.goals.add_goal(
        world["ann"], world["client"], title="Feel like myself again", value="my daughter"
    )
    edited = store.goals.update_step(
        world["ann"],
        walk,
        what="walk to work on Mon, Wed and Fri",
        status="accepted",
        goal_id=goal.id,
        due_on=dt.date(2024, 5, 10),
    )
    assert edited.status == "accepted" and edited.edited and edited.proposed == WALK
    assert edited.decided_by == "ann" and edited.goal_id == goal.id
    assert store.goals.update_step(world["ann"], sister, status="dismissed").status == "dismissed"
    with pytest.raises(GoalError):
        store.goals.update_step(world["ann"], sister, status="proposed")
    with pytest.raises(GoalError):
        store.goals.update_step(world["ann"], walk, what="   ")
    with pytest.raises(ReadOnlyError):
        store.goals.update_step(world["bob"], walk, status="done")
    with pytest.raises(NotFoundError):
        store.goals.update_step(world["carl"], walk, status="done")
    with pytest.raises(ReadOnlyError):
        store.goals.add_goal(world["bob"], world["client"], title="x")
    kept = store.goals.update_step(world["ann"], walk, when=None, due_on=KEEP)
    assert kept.when is None and kept.due_on == dt.date(2024, 5, 10)
    written = store.goals.add_step(world["ann"], world["client"], what="book the GP")
    assert written.status == "accepted" and written.after_number == 2 and written.proposed is None
    other = store.add_client(world["ann"], "Other")
    with pytest.raises(GoalError):
        store.goals.add_step(world["ann"], other.id, what="x", goal_id=goal.id)
    updated = store.goals.update_goal(world["ann"], goal.id, status="achieved", value=None)
    assert updated.status == "achieved" and updated.value is None


def test_follow_through_proposed_then_reviewed(store: Store, world: dict[str, int]) -> None:
    walk, _ = _propose(store, world)
    store.goals.update_step(world["ann"], walk, status="accepted")
    entry = store.goals.record_follow_through(walk, world["second"], "done", [3, 5], 0.86)
    assert (entry.final, entry.session_number, entry.evidence) == ("done", 2, (3, 5))
    with pytest.raises(ReadOnlyError):
        store.goals.review_follow_through(world["bob"], entry.id, "partly")
    reviewed = store.goals.review_follow_through(world["ann"], entry.id, "partly")
    assert reviewed.corrected and reviewed.final == "partly" and reviewed.reviewed_by == "ann"
    again = store.goals.record_follow_through(walk, world["second"], "not_done", [], 0.2)
    assert again.id == entry.id and again.proposed == "not_done" and again.outcome == "partly"
    assert [f.id for f in store.goals.list_follow_throughs(world["bob"], world["client"])] == [
        entry.id
    ]
    with pytest.raises(GoalError):
        store.goals.review_follow_through(world["ann"], entry.id, "maybe")


def test_words_sealed_and_erased(store: Store, world: dict[str, int]) -> None:
    walk, _ = _propose(store, world)
    store.goals.add_goal(world["ann"], world["client"], title="Feel like myself", value="family")
    store.goals.record_follow_through(walk, world["second"], "done", [3], 0.9)
    with store.engine.connect() as conn:
        raw = conn.execute(text("SELECT what_text, proposed_text, when_text FROM action_steps"))
        values = [v for row in raw for v in row if v is not None]
        raw_goal = conn.execute(text("SELECT title_text, value_text FROM goals")).one()
    assert values and all(v.startswith("ew1:") for v in values)
    assert all(v.startswith("ew1:") for v in raw_goal)
    ErasureRepository(store.engine).erase_client(
        world["client"], owner_id=world["ann"], by=world["ann"], detail="erased", compact=False
    )
    with store.engine.connect() as conn:
        for table in (Goal, ActionStep, FollowThroughRow):
            assert conn.scalar(select(func.count()).select_from(table)) == 0
