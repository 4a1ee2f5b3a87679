"""The goals record through the services, with the shipped coder: a session's commitments
become proposed steps; the clinician accepts, edits, dismisses and groups them; a later
session proposes follow-through, which the clinician corrects; a step unmentioned in two
sessions raises one alert (never two), which lapses once the step is dismissed. Audited
with ids and fixed words only."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import edgewise
from edgewise.coding.coder import Coder
from edgewise.services import goals
from edgewise.services.actor import Actor
from edgewise.services.goal_flow import STEP_ALERT, refresh_goal_alerts
from edgewise.services.stored import dump_transcript
from edgewise.services.worker import AnalysisWorker, Job
from edgewise.store import NotFoundError, ReadOnlyError, Store, UserRecord

from .conftest import rows

DATA = Path(__file__).resolve().parents[1] / "data" / "goals"


def _upload(store: Store, coder: Coder, user: UserRecord, client_id: int, n: int) -> int:
    path = DATA / f"session-{n}.txt"
    session = edgewise.read(path)[0]
    row = store.add_session(
        user.id, client_id, date=dt.date(2024, 5, n), transcript=dump_transcript(session)
    )
    AnalysisWorker(store, inline=True, coder_factory=lambda: coder).submit(Job(row.id, user.id))
    done = store.get_session(user.id, row.id)
    assert done is not None and done.status == "done"
    return row.id


@pytest.fixture
def client_id(store: Store, users: dict[str, UserRecord]) -> int:
    client = store.add_client(users["ann"].id, "Wren")
    store.share_client(users["ann"].id, client.id, users["bob"].id, can_write=False)
    return client.id


def test_from_commitment_to_follow_through(
    store: Store, users: dict[str, UserRecord], ann: Actor, bob: Actor, coder: Coder, client_id: int
) -> None:
    _upload(store, coder, users["ann"], client_id, 1)
    found = goals.view_goals(store, ann, client_id)
    assert [s.status for s in found.steps] == ["proposed"] * 4
    assert [s.turn_index for s in found.steps] == [9, 11, 13, 15]
    walk, sister, pottery, wine = found.steps
    assert "walk to work" in walk.what and walk.when == "this week"

    goal = goals.add_goal(store, ann, client_id, "Feel like myself again", "be there for my girl")
    goals.update_step(
        store, ann, walk.id, what="walk to work Monday, Wednesday and Friday", status="accepted"
    )
    for step in (pottery, wine):
        goals.update_step(store, ann, step.id, status="accepted", goal_id=goal.id)
    goals.update_step(store, ann, sister.id, status="dismissed")
    with pytest.raises(ReadOnlyError):
        goals.update_step(store, bob, walk.id, status="done")

    second = _upload(store, coder, users["ann"], client_id, 2)
    found = goals.view_goals(store, bob, client_id)
    entries = {f.step_id: f for f in found.follow}
    assert set(entries) == {walk.id, pottery.id, wine.id}  # the dismissed step is not followed
    assert all(f.session_id == second for f in entries.values())
    assert entries[pottery.id].proposed == "not_mentioned"  # the wine answer is not its own
    # the wine answer is found; what it says is the reader's proposal, which the reader
    # gets wrong here ("I didn't buy any" read as not done: docs/commitments.md)
    assert 7 in entries[wine.id].evidence and entries[wine.id].proposed != "not_mentioned"
    new = [s for s in found.steps if s.session_number == 2]
    # the new step, none repeated (the reader may also propose a turn it misreads as
    # readiness; the clinician dismisses it)
    assert [s for s in new if "Tuesday" in s.what] and len(new) <= 2
    assert found.rate and found.rate[0].total == 3

    corrected = goals.review_follow_through(store, ann, entries[walk.id].id, "partly")
    assert corrected.final == "partly" and corrected.reviewed_by == "ann"
    assert not goals.view_goals(store, ann, client_id).alerts

    _upload(store, coder, users["ann"], client_id, 3)
    found = goals.view_goals(store, ann, client_id)
    alert = found.alert_of(f"step:{pottery.id}")
    assert alert is not None and alert.kind == STEP_ALERT
    assert "pottery" not in alert.reason and "2, 3" in alert.reason
    refresh_goal_alerts(store, users["ann"].id, client_id)
    open_ones = [a for a in store.list_alerts(users["ann"].id, client_id, open_only=True)]
    assert [a.measure_key for a in open_ones if a.kind == STEP_ALERT].count(
        f"step:{pottery.id}"
    ) == 1
    goals.update_step(store, ann, pottery.id, status="dismissed")
    lapsed = store.list_alerts(users["ann"].id, client_id, open_only=True)
    assert all(a.lapsed_at is not None for a in lapsed if a.measure_key == f"step:{pottery.id}")

    words = ("walk", "pottery", "wine", "sister", "myself")
    for _, _, _, _, detail in rows(store):
        assert not any(w in (detail or "").lower() for w in words)
    audited = {(action, kind) for _, action, kind, _, _ in rows(store)}
    assert {("view", "goal"), ("update", "action_step"), ("update", "follow_through")} <= audited


def test_only_those_who_see_the_client(
    store: Store, users: dict[str, UserRecord], ann: Actor, client_id: int
) -> None:
    carl = Actor(store.create_user("carl", "x").id)
    with pytest.raises(NotFoundError):
        goals.view_goals(store, carl, client_id)
    with pytest.raises(NotFoundError):
        goals.add_goal(store, carl, client_id, "anything")
    step = goals.add_step(store, ann, client_id, "book the GP", due_on=dt.date(2024, 6, 1))
    with pytest.raises(NotFoundError):
        goals.get_step(store, carl, step.id)
    assert goals.get_step(store, ann, step.id).status == "accepted"
