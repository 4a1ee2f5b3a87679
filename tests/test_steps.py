"""The pace of stepped jobs: when a step's time is up."""

from __future__ import annotations

import time

import pytest

from edgewise.steps import STEP_SECONDS, Pace, Steps, drain, drain_counting, paced


def test_pace_is_due_once_its_seconds_have_passed() -> None:
    pace = Pace(0.05)
    assert not pace.due()
    time.sleep(0.06)
    assert pace.due()
    pace.restart()
    assert not pace.due()


def test_no_seconds_is_never_due_and_zero_always() -> None:
    assert not Pace(None).due()
    assert Pace(0).due()
    assert 0 < STEP_SECONDS <= 2  # a step is short enough for a colleague's upload to pass


def test_drain_returns_the_result() -> None:
    def job() -> Steps[int]:
        yield
        yield
        return 42

    assert drain(job()) == 42


class _Clock:
    """A clock that moves only when a piece of work is done (one second a piece)."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _job(pieces: int, clock: _Clock) -> Steps[int]:
    for _ in range(pieces):
        clock.now += 1
        yield
    return pieces


def test_paced_keeps_only_the_pauses_its_time_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ten pieces of a second each: a pause after every piece with no time to spare, none
    with all the time in the world, one every three pieces given three seconds; the
    result is passed through."""
    clock = _Clock()
    monkeypatch.setattr(time, "monotonic", clock)
    assert drain_counting(paced(_job(10, clock), 0)) == (10, 10)
    assert drain_counting(paced(_job(10, clock), None)) == (10, 0)
    assert drain_counting(paced(_job(10, clock), 3)) == (10, 3)
