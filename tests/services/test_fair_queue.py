"""The fair queue: users take turns a step at a time, one job each at once."""

from __future__ import annotations

import threading
from typing import Any

from edgewise.services.fair_queue import FairQueue

# -- the fair queue, run by a fake job runner ------------------------------------------------


def _run(queue: FairQueue[list[str]], log: list[str]) -> None:
    """A worker: take a job (a list of step names), run its first step, hand it back."""
    while (taken := queue.take(timeout=0)) is not None:
        user, steps = taken
        log.append(steps.pop(0))
        if steps:
            queue.requeue(user, steps)
        else:
            queue.finish(user)


def test_users_take_turns_a_step_at_a_time() -> None:
    queue: FairQueue[list[str]] = FairQueue()
    queue.put(1, ["a1", "a2", "a3", "a4"])  # ann's long upload first
    queue.put(1, ["a'1"])  # then a short one of hers
    queue.put(2, ["b1"])  # bob's short upload
    queue.put(3, ["c1", "c2"])
    log: list[str] = []
    _run(queue, log)
    assert log == ["a1", "b1", "c1", "a2", "c2", "a3", "a4", "a'1"]
    assert queue.pending() == 0


def test_a_user_has_one_job_running_at_once() -> None:
    queue: FairQueue[str] = FairQueue()
    queue.put(1, "ann's first")
    queue.put(1, "ann's second")
    queue.put(2, "bob's")
    assert queue.take(timeout=0) == (1, "ann's first")
    assert queue.take(timeout=0) == (2, "bob's")  # a second worker does not take ann's second
    assert queue.take(timeout=0) is None
    queue.finish(1)
    assert queue.take(timeout=0) == (1, "ann's second")


def test_a_waiting_job_is_passed_over_until_woken() -> None:
    queue: FairQueue[str] = FairQueue()
    queue.put(1, "long")
    assert queue.take(timeout=0) == (1, "long")
    queue.requeue(1, "long", waiting=True)
    queue.put(2, "short")
    assert queue.take(timeout=0) == (2, "short")
    assert queue.take(timeout=0) is None
    queue.wake()
    assert queue.take(timeout=0) == (1, "long")


def test_take_returns_none_once_closed() -> None:
    queue: FairQueue[str] = FairQueue()
    got: list[Any] = []
    waiter = threading.Thread(target=lambda: got.append(queue.take()))
    waiter.start()
    queue.close()
    waiter.join(5)
    assert got == [None]
