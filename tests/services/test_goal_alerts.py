"""The goals record's gentle alerts stay one per step (and per goal), never piling up: a
step unmentioned session after session keeps one open alert, updated with each session;
once the clinician has reviewed it, the same quiet run raises no new alert, however often
the rules run again (a review of another step runs them) or however long the run goes
on; only a new run, after the step was mentioned, does. The same for a goal whose steps
keep not happening."""

from __future__ import annotations

import json

from tests.journal_seed import seed_session, session_text

from edgewise.services import goals
from edgewise.services.actor import Actor
from edgewise.services.goal_flow import GOAL_ALERT, STEP_ALERT, refresh_goal_alerts
from edgewise.store import AlertRecord, Store, UserRecord


class Record:
    """ann's client, two accepted steps and the sessions after them, one at a time."""

    def __init__(self, store: Store, user: UserRecord, ann: Actor) -> None:
        self.store, self.user_id, self.ann = store, user.id, ann
        self.client_id = store.add_client(user.id, "Wren").id
        seed_session(store, user.id, self.client_id, session_text("met"))  # the steps' session
        self.goal = goals.add_goal(store, ann, self.client_id, "feel like me")
        self.quiet = goals.add_step(store, ann, self.client_id, "book the GP")
        self.other = goals.add_step(store, ann, self.client_id, "walk", goal_id=self.goal.id)
        self.sessions: list[int] = []

    def session(self, quiet: str, other: str = "done") -> int:
        """A later session, with what it said about each step (stored as the analysis
        job stores it), and the rules run; the other step's follow-through id."""
        row = seed_session(self.store, self.user_id, self.client_id, session_text("met"))
        self.sessions.append(row.id)
        self.store.goals.record_follow_through(self.quiet.id, row.id, quiet, [], 0.1)
        found = self.store.goals.record_follow_through(self.other.id, row.id, other, [1], 0.9)
        refresh_goal_alerts(self.store, self.user_id, self.client_id)
        return found.id

    def alerts(self, key: str) -> list[AlertRecord]:
        every = self.store.list_alerts(self.user_id, self.client_id)
        return [a for a in every if a.measure_key == key]

    def open(self, key: str) -> list[AlertRecord]:
        return [a for a in self.alerts(key) if a.resolved_at is None]


def test_one_alert_per_step_however_long_it_goes_unmentioned(
    store: Store, users: dict[str, UserRecord], ann: Actor
) -> None:
    r = Record(store, users["ann"], ann)
    key = f"step:{r.quiet.id}"
    r.session("not_mentioned")
    assert r.alerts(key) == []  # one session is not yet a run
    r.session("not_mentioned")
    [first] = r.open(key)
    assert first.kind == STEP_ALERT and "last 2 sessions" in first.reason
    for _ in range(3):
        follow = r.session("not_mentioned")
        refresh_goal_alerts(store, users["ann"].id, r.client_id)  # the rules run again
        [alert] = r.alerts(key)
        assert alert.id == first.id and alert.resolved_at is None
    assert "last 5 sessions" in alert.reason and "book" not in alert.reason
    history = [e["ref"] for e in json.loads(alert.history_json)]
    assert history == [f"session:{s}" for s in r.sessions[1:]]  # one entry a session, once

    store.resolve_alert(users["ann"].id, alert.id)  # the clinician has seen it
    goals.review_follow_through(store, ann, follow, "partly")  # runs the rules again
    goals.update_step(store, ann, r.other.id, when="mornings")
    refresh_goal_alerts(store, users["ann"].id, r.client_id)
    r.session("not_mentioned")  # the same run goes on
    assert r.open(key) == [] and len(r.alerts(key)) == 1

    r.session("done")  # mentioned: the run is broken
    r.session("not_mentioned")
    assert r.open(key) == []
    r.session("not_mentioned")  # a new run of two: a new alert, the only open one
    [again] = r.open(key)
    assert again.id != first.id and len(r.alerts(key)) == 2
    assert "last 2 sessions" in again.reason


def test_one_alert_per_goal_whose_steps_keep_not_happening(
    store: Store, users: dict[str, UserRecord], ann: Actor
) -> None:
    r = Record(store, users["ann"], ann)
    key = f"goal:{r.goal.id}"
    r.session("done", other="not_done")
    r.session("done", other="not_done")
    [first] = r.open(key)
    assert first.kind == GOAL_ALERT
    r.session("done", other="not_mentioned")  # passed over: the run goes on
    r.session("done", other="not_done")
    assert [a.id for a in r.alerts(key)] == [first.id]
    store.resolve_alert(users["ann"].id, first.id)
    r.session("done", other="not_done")
    refresh_goal_alerts(store, users["ann"].id, r.client_id)
    assert r.open(key) == [] and len(r.alerts(key)) == 1
    r.session("done", other="done")  # a step of the goal done: a new run may start
    r.session("done", other="not_done")
    r.session("done", other="not_done")
    [again] = r.open(key)
    assert again.id != first.id
