"""The pace of stepped jobs: when a step's time is up."""

from __future__ import annotations

import time

from edgewise.steps import STEP_SECONDS, Pace, Steps, drain


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
