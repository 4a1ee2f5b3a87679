"""Who an API call is from: ``Authorization: Bearer ew_...``, its scope and its rate.

Every API route depends on :func:`caller`. No token, or one that opens nothing, is 401
(E350, with ``WWW-Authenticate: Bearer``); a token over its rate is 429 (E352, with
``Retry-After``); a read token asking to change anything (any method but GET and HEAD)
is 403 (E351). Sign-in cookies open no API route: a browser's session cannot be
borrowed by another site's script (so the API needs no CSRF token).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from edgewise.services.tokens import Authenticated, authenticate
from edgewise.web.api.errors import RateLimitedError, TokenError, TokenScopeError
from edgewise.web.api.ratelimit import RateLimiter
from edgewise.web.deps import WebContext

__all__ = ["READ_METHODS", "Caller", "bearer", "caller", "context"]

#: Methods a read token may use.
READ_METHODS = frozenset({"GET", "HEAD"})

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="token",
    bearerFormat="ew_...",
    description="A personal access token (API tokens page, or `edgewise token create`).",
)


def context(request: Request) -> WebContext:
    """The web app's shared context (the API app holds the same one)."""
    ctx: WebContext = request.app.state.ctx
    return ctx


def caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Authenticated:
    """The user and token of the call, checked for validity, rate and scope."""
    if credentials is None:
        raise TokenError("no API token was sent")
    found = authenticate(context(request).store, credentials.credentials)
    if found is None:
        raise TokenError("the API token is unknown, revoked or expired")
    limiter: RateLimiter = request.app.state.limiter
    wait = limiter.take(found.token.id)
    if wait:
        raise RateLimitedError(wait)
    if request.method not in READ_METHODS and not found.can_write:
        raise TokenScopeError(method=request.method)
    request.state.user = found.user
    return found


Caller = Annotated[Authenticated, Depends(caller)]
