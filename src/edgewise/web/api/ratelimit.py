"""A token bucket per API token, in memory: bursts allowed, a steady rate kept.

Each API token has a bucket of :data:`BURST` requests, refilled at :data:`PER_SECOND`
a second; a request finds its bucket empty and is answered 429 with ``Retry-After``
(whole seconds until one request is allowed again). The buckets live in the server
process: a restart fills them all, and two server processes would each allow the rate.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

__all__ = ["BURST", "PER_SECOND", "RateLimiter"]

#: Requests one token may make at once, after a quiet spell.
BURST = 60
#: Requests a second one token may keep making.
PER_SECOND = 5.0
#: Buckets kept before the full ones are dropped (a full bucket is the same as none).
MAX_BUCKETS = 10_000


class RateLimiter:
    """Token buckets by key (the API token's id); thread-safe."""

    def __init__(
        self,
        burst: int = BURST,
        per_second: float = PER_SECOND,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if burst < 1 or per_second <= 0:
            raise ValueError("a rate limit needs a burst of 1 or more and a positive rate")
        self.burst, self.per_second, self._clock = burst, per_second, clock
        self._buckets: dict[int, tuple[float, float]] = {}  # key -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, key: int) -> int:
        """Take one request from ``key``'s bucket: 0 if allowed, else the whole seconds to
        wait before one is (the request is then not counted)."""
        with self._lock:
            now = self._clock()
            tokens, when = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - when) * self.per_second)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return max(1, math.ceil((1.0 - tokens) / self.per_second))
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > MAX_BUCKETS:
                self._drop_full(now)
            return 0

    def _drop_full(self, now: float) -> None:
        for key, (tokens, when) in list(self._buckets.items()):
            if tokens + (now - when) * self.per_second >= self.burst:
                del self._buckets[key]
