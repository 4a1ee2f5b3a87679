"""The goals record's rules: proposals from commitments (deduplicated), unmentioned runs,
goals whose steps keep failing, and the follow-through rate."""

from __future__ import annotations

import numpy as np

from edgewise.analysis.results import Commitment
from edgewise.goals import (
    Entry,
    GoalRules,
    failing_sessions,
    proposals,
    rate_points,
    same_step,
    unmentioned_run,
)


def _c(index: int, step: str, *labels: str, when: str | None = None) -> Commitment:
    labels = labels or ("commitment",)
    return Commitment(
        index=index,
        labels=labels,  # type: ignore[arg-type]
        scores=dict.fromkeys(labels, 0.9),
        step=step,
        when=when,
        evidence=(index,),
    )


def test_proposals_skip_steps_taken_and_repeats() -> None:
    found = [
        _c(3, "walk to work three mornings", when="this week"),
        _c(5, "started walking to work", "taking_steps"),
        _c(7, "ring my sister on Sunday"),
        _c(9, "walking to work three mornings"),  # the same as turn 3's
        _c(11, "try the pottery class", "activation"),
    ]
    chosen = proposals(found, ["Ring my sister on Sunday evening"])
    assert [(p.turn_index, p.when) for p in chosen] == [(3, "this week"), (11, None)]
    assert "pottery" not in repr(chosen[1])


def test_same_step_by_meaning_when_words_differ() -> None:
    a = np.array([1.0, 0.0], dtype=np.float32)
    b = np.array([0.9, 0.43589], dtype=np.float32)
    assert not same_step("phone Sam", "call my brother")
    assert same_step("phone Sam", "call my brother", a, b)
    assert not same_step("phone Sam", "call my brother", a, b, GoalRules(same_cosine=0.95))
    vectors = np.stack([a, b])
    chosen = proposals([_c(1, "phone Sam"), _c(2, "call my brother")], [], vectors=vectors)
    assert [p.turn_index for p in chosen] == [1]


def test_unmentioned_run_counts_the_latest_in_a_row() -> None:
    assert unmentioned_run([]) == 0
    assert unmentioned_run(["not_mentioned", "done", "not_mentioned"]) == 1
    assert unmentioned_run(["done", "not_mentioned", "not_mentioned"]) == 2


def test_failing_sessions_pass_over_silence() -> None:
    entries = [
        Entry(1, 2, "done"),
        Entry(1, 3, "not_done"),
        Entry(2, 3, "not_mentioned"),
        Entry(1, 4, "not_mentioned"),
        Entry(1, 5, "not_done"),
        Entry(2, 5, "partly"),
    ]
    assert failing_sessions(entries) == [3, 5]
    assert failing_sessions([*entries, Entry(2, 6, "done")]) == []
    assert failing_sessions([Entry(1, 2, "not_done"), Entry(2, 2, "done")]) == []


def test_rate_per_session() -> None:
    entries = [Entry(1, 2, "done"), Entry(2, 2, "partly"), Entry(3, 2, "not_mentioned")]
    entries += [Entry(1, 3, "not_done")]
    points = rate_points(entries, {2: 20, 3: 30})
    assert [(p.session_id, p.total, round(p.rate, 3)) for p in points] == [
        (20, 3, 0.5),
        (30, 1, 0.0),
    ]
    assert points[0].counts == {"done": 1, "partly": 1, "not_done": 0, "not_mentioned": 1}
