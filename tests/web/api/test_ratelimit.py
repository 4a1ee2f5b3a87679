"""The per-token bucket: bursts, the steady rate, the wait it reports, keys apart."""

from __future__ import annotations

import pytest

from edgewise.web.api.ratelimit import RateLimiter


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_burst_then_steady_rate() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=3, per_second=2.0, clock=clock)
    assert [limiter.take(1) for _ in range(3)] == [0, 0, 0]
    assert limiter.take(1) == 1  # half a second to the next one, rounded up
    clock.now += 0.5
    assert limiter.take(1) == 0 and limiter.take(1) == 1
    assert limiter.take(2) == 0  # another token has its own bucket
    clock.now += 60
    assert [limiter.take(1) for _ in range(4)] == [0, 0, 0, 1]  # never more than the burst


def test_refused_requests_do_not_count() -> None:
    clock = Clock()
    limiter = RateLimiter(burst=1, per_second=0.25, clock=clock)
    assert limiter.take(1) == 0
    assert [limiter.take(1) for _ in range(5)] == [4, 4, 4, 4, 4]
    clock.now += 4
    assert limiter.take(1) == 0


def test_bad_settings_refused() -> None:
    with pytest.raises(ValueError):
        RateLimiter(burst=0)
    with pytest.raises(ValueError):
        RateLimiter(per_second=0)
