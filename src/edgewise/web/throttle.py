"""The failed sign-in brake, and the address a request comes from.

Failures are counted per (account, address) and per address. Ten failures for one account
from one address within five minutes pause sign-in to that account from that address only:
the same person signs in to another account, and the account from another address. An
address whose failures reach a hundred (at least ten accounts) is paused as a whole.

The address is the connection's peer. ``X-Forwarded-For`` is believed only when that peer
is a proxy the operator named (``--trusted-proxy``, ``EDGEWISE_TRUSTED_PROXIES``), and then
only its right-most address that is not such a proxy: anyone can write the header, and
only the proxy nearest to the server knows who connected to it.
"""

from __future__ import annotations

import ipaddress
import re
import threading
import time
from collections import deque
from collections.abc import Iterable, Sequence

from starlette.requests import Request

from edgewise.errors import UsageError

__all__ = [
    "ENV_TRUSTED_PROXIES",
    "LoginThrottle",
    "Network",
    "client_address",
    "trusted_networks",
]

ENV_TRUSTED_PROXIES = "EDGEWISE_TRUSTED_PROXIES"
#: Failed sign-ins allowed for one account from one address within WINDOW seconds.
MAX_FAILURES = 10
#: Failed sign-ins allowed from one address, all accounts together, within WINDOW seconds.
MAX_ADDRESS_FAILURES = 100
WINDOW = 300.0
#: Keys kept before the expired ones are swept (bounds memory under a flood of names).
MAX_KEYS = 10_000

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


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


def trusted_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """The proxies named by ``values`` (addresses or networks, also comma-separated)."""
    found: list[Network] = []
    for value in values:
        for item in filter(None, re.split(r"[,\s]+", value)):
            try:
                found.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise UsageError(
                    f"{item!r} is not an IP address or network; pass --trusted-proxy "
                    f"(or {ENV_TRUSTED_PROXIES}) the address of the proxy in front of edgewise"
                ) from None
    return tuple(found)


def client_address(request: Request, trusted: Sequence[Network] = ()) -> str:
    """The address the request comes from: the peer, or what a trusted proxy says."""
    peer = request.client.host if request.client else "unknown"
    if not trusted or not _is_trusted(peer, trusted):
        return peer
    values = request.headers.getlist("x-forwarded-for")
    hops = [hop.strip() for value in values for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, trusted):
            return hop
    return peer


def _is_trusted(host: str, trusted: Sequence[Network]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:  # not an address (e.g. "unknown", a garbled header): never a proxy
        return False
    return any(address in network for network in trusted)
