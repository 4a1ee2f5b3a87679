"""The failed sign-in brake.

Failures are counted per (account, address) and per address. Ten failures for one account
from one address within five minutes pause sign-in to that account from that address only:
the same person signs in to another account, and the account from another address. An
address whose failures reach a hundred (at least ten accounts) is paused as a whole.

The address is the one the interface believes (for the web app:
:func:`edgewise.web.address.client_address`).
"""

from __future__ import annotations

import threading
import time
from collections import deque

__all__ = ["LoginThrottle"]

#: Failed sign-ins allowed for one account from one address within WINDOW seconds.
MAX_FAILURES = 10
#: Failed sign-ins allowed from one address, all accounts together, within WINDOW seconds.
MAX_ADDRESS_FAILURES = 100
WINDOW = 300.0
#: Keys kept before the expired ones are swept (bounds memory under a flood of names).
MAX_KEYS = 10_000


class LoginThrottle:
    """Counts recent failed sign-ins per (account, address) and per address."""

    def __init__(
        self,
        limit: int = MAX_FAILURES,
        address_limit: int = MAX_ADDRESS_FAILURES,
        window: float = WINDOW,
    ) -> None:
        self._limit, self._address_limit, self._window = limit, address_limit, window
        self._failures: dict[tuple[str, ...], deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, account: str, address: str) -> bool:
        """Whether sign-in to ``account`` from ``address`` is paused."""
        with self._lock:
            return any(
                len(self._recent(key)) >= limit for key, limit in self._keys(account, address)
            )

    def failed(self, account: str, address: str) -> bool:
        """Count one failure; whether it paused ``account`` from ``address`` (or the address)."""
        stamp = time.monotonic()
        with self._lock:
            if len(self._failures) > MAX_KEYS - 2:
                self._sweep()
            paused = False
            for key, limit in self._keys(account, address):
                times = self._recent(key)
                times.append(stamp)
                paused = paused or len(times) == limit
            return paused

    def succeeded(self, account: str, address: str) -> None:
        """Forget the failures for ``account`` from ``address`` (the address keeps its count)."""
        with self._lock:
            self._failures.pop(("account", account, address), None)

    def _keys(self, account: str, address: str) -> list[tuple[tuple[str, ...], int]]:
        return [
            (("account", account, address), self._limit),
            (("address", address), self._address_limit),
        ]

    def _recent(self, key: tuple[str, ...]) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        cutoff = time.monotonic() - self._window
        while times and times[0] < cutoff:
            times.popleft()
        return times

    def _sweep(self) -> None:
        """Drop keys with no recent failure; if still too many, the oldest made, leaving
        room for the two keys of one failure."""
        for key in [k for k in self._failures if not self._recent(k)]:
            del self._failures[key]
        while len(self._failures) > MAX_KEYS - 2:
            del self._failures[next(iter(self._failures))]
