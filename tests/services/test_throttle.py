"""The failed sign-in brake: per account and address, per address, forgetting, bounded."""

from __future__ import annotations

import pytest

from edgewise.services.throttle import LoginThrottle


def test_throttle_forgets_old_failures() -> None:
    throttle = LoginThrottle(limit=2, window=0.0)
    throttle.failed("a", "1.2.3.4")
    throttle.failed("a", "1.2.3.4")
    assert not throttle.blocked("a", "1.2.3.4")
    strict = LoginThrottle(limit=2, address_limit=3, window=60)
    assert not strict.failed("a", "1.2.3.4")
    assert strict.failed("a", "1.2.3.4")  # the second failure pauses a from 1.2.3.4
    assert strict.blocked("a", "1.2.3.4")
    assert not strict.blocked("b", "1.2.3.4") and not strict.blocked("a", "5.6.7.8")
    strict.succeeded("a", "1.2.3.4")
    assert not strict.blocked("a", "1.2.3.4")
    assert strict.failed("b", "1.2.3.4")  # the address's third failure pauses the address
    assert strict.blocked("c", "1.2.3.4") and not strict.blocked("c", "5.6.7.8")


def test_throttle_memory_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("edgewise.services.throttle.MAX_KEYS", 50)
    throttle = LoginThrottle()
    for n in range(500):
        throttle.failed(f"name{n}", f"10.0.{n // 200}.{n % 200}")
    assert len(throttle._failures) <= 50
