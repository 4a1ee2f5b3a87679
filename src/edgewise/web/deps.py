"""Request dependencies: the app's context, the signed-in user and the actor the services
act for, the CSRF check, 404s.

Pages without a signed-in user redirect to ``/login``; API and export routes answer 401.
A record the user may not see is a 404, exactly like one that does not exist
(:func:`record_errors` turns the services' NotFoundError and ReadOnlyError into 404/403).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Annotated, NoReturn

from fastapi import Depends, Form, HTTPException, Request

from edgewise.error_codes import error_code
from edgewise.services import clients, sessions
from edgewise.services.accounts import signed_in_user
from edgewise.services.actor import Actor
from edgewise.services.config import Network
from edgewise.services.worker import AnalysisWorker
from edgewise.store import (
    ClientRecord,
    NotFoundError,
    ReadOnlyError,
    SessionRecord,
    Store,
    UserRecord,
)
from edgewise.web.address import client_address
from edgewise.web.security import csrf_matches, new_token

__all__ = [
    "ApiUser",
    "Auth",
    "PageActor",
    "Csrf",
    "Ctx",
    "FormFields",
    "LoginRequired",
    "PageUser",
    "WebContext",
    "api_user",
    "check_csrf",
    "client_or_404",
    "context",
    "csrf_token",
    "form_fields",
    "not_found",
    "page_actor",
    "page_user",
    "READ_ONLY",
    "read_only",
    "record_errors",
    "session_or_404",
    "session_user",
    "writable_client",
]


@dataclass
class WebContext:
    """What every request shares: the store, the analysis worker, the sign-in settings.

    ``trusted_proxies``: the proxies whose ``X-Forwarded-For`` names the client
    (see :mod:`edgewise.web.address`); none by default.
    """

    store: Store
    worker: AnalysisWorker
    secure_cookies: bool = False
    trusted_proxies: tuple[Network, ...] = ()


class LoginRequired(Exception):
    """No signed-in user: a page redirects to /login, an API route answers 401."""

    def __init__(self, *, api: bool) -> None:
        super().__init__("login required")
        self.api = api


def context(request: Request) -> WebContext:
    """The app's shared context."""
    ctx: WebContext = request.app.state.ctx
    return ctx


Ctx = Annotated[WebContext, Depends(context)]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, made on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str) or not token:
        token = new_token()
        request.session["csrf"] = token
    return token


def session_user(request: Request) -> UserRecord | None:
    """The user the session cookie names, if it was issued under their current epoch.

    Signing out or a new password moves the epoch on (in the database), so every cookie
    issued before is refused, also after a restart. The user row is read once per request.
    """
    uid, epoch = request.session.get("uid"), request.session.get("epoch")
    if not isinstance(uid, int) or not isinstance(epoch, int):
        return None
    return signed_in_user(context(request).store, uid, epoch)


def _signed_in(request: Request, *, api: bool) -> UserRecord:
    user = session_user(request)
    if user is None:
        request.session.clear()
        raise LoginRequired(api=api)
    request.state.user = user
    return user


def page_user(request: Request) -> UserRecord:
    """The signed-in user of a page (else a redirect to /login)."""
    return _signed_in(request, api=False)


def api_user(request: Request) -> UserRecord:
    """The signed-in user of an API or export route (else 401)."""
    return _signed_in(request, api=True)


PageUser = Annotated[UserRecord, Depends(page_user)]


def page_actor(request: Request, user: PageUser) -> Actor:
    """Who the services act for on a page: the signed-in user, and where they are."""
    return Actor(user.id, client_address(request, context(request).trusted_proxies))


PageActor = Annotated[Actor, Depends(page_actor)]
#: For a route's ``dependencies=[...]``: sign-in checked before the CSRF token.
Auth = Depends(page_user)
ApiUser = Annotated[UserRecord, Depends(api_user)]


def check_csrf(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """403 unless the form carries this session's CSRF token."""
    if not csrf_matches(request.session.get("csrf"), csrf_token):
        raise HTTPException(status_code=403, detail="Missing or wrong form token; reload the page.")


Csrf = Depends(check_csrf)


async def form_fields(request: Request) -> dict[str, str]:
    """The submitted form's text fields (files left out)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormFields = Annotated[dict[str, str], Depends(form_fields)]


def not_found() -> NoReturn:
    """The one answer for a record that is missing or not the user's (E301's status)."""
    raise HTTPException(status_code=error_code(NotFoundError.code).http_status, detail="Not found.")


@contextmanager
def record_errors() -> Iterator[None]:
    """A record the user may not see (or that is gone) is a 404; a change asked of a
    client shared read-only is a 403."""
    try:
        yield
    except NotFoundError:
        not_found()
    except ReadOnlyError:
        read_only()


def client_or_404(ctx: WebContext, user: UserRecord, client_id: int) -> ClientRecord:
    """The client if ``user`` may see it, else 404."""
    with record_errors():
        return clients.find_client(ctx.store, Actor(user.id), client_id)


def writable_client(ctx: WebContext, user: UserRecord, client_id: int) -> ClientRecord:
    """The client if ``user`` may add to it; 404 if they may not see it, 403 if read-only."""
    with record_errors():
        return clients.writable_client(ctx.store, Actor(user.id), client_id)


def read_only() -> NoReturn:
    """The answer to a change asked of a client shared read-only (E304's status)."""
    raise HTTPException(status_code=error_code(ReadOnlyError.code).http_status, detail=READ_ONLY)


#: What a read-only colleague is told when they try to add or change something.
READ_ONLY = "This client is shared with you to read only; ask their clinician for more."


def session_or_404(
    ctx: WebContext, user: UserRecord, session_id: int, *, with_transcript: bool = False
) -> SessionRecord:
    """The session if ``user`` may see it, else 404."""
    with record_errors():
        return sessions.find_session(
            ctx.store, Actor(user.id), session_id, with_transcript=with_transcript
        )
