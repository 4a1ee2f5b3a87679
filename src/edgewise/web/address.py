"""The address a request comes from, for the sign-in brake.

The address is the connection's peer. ``X-Forwarded-For`` is believed only when that peer
is a proxy the operator named (``--trusted-proxy``, ``EDGEWISE_TRUSTED_PROXIES``; parsed by
:func:`edgewise.services.config.trusted_networks`), and then only its right-most address
that is not such a proxy: anyone can write the header, and only the proxy nearest to the
server knows who connected to it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

from starlette.requests import Request

from edgewise.services.config import Network

__all__ = ["client_address"]


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
