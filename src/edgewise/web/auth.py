"""Sign in and out: the forms, and a session cookie tied to the user's epoch.

Checking the password, the brake on failed sign-ins and the audit row of every attempt
are :func:`edgewise.services.accounts.sign_in`'s. Signing out moves the user's session
epoch on, which ends every session they have (each browser, each device), also across a
restart.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.services.accounts import sign_in, sign_out
from edgewise.services.actor import Actor
from edgewise.services.throttle import LoginThrottle
from edgewise.web.address import client_address
from edgewise.web.deps import Csrf, Ctx, csrf_token, session_user
from edgewise.web.security import new_token
from edgewise.web.templating import render

__all__ = ["router", "safe_next"]

router = APIRouter()


def safe_next(target: str | None) -> str:
    """``target`` if it is a path on this site, else the caseload."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/clients"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return "/clients"
    return target


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str | None = None) -> Response:
    """The sign-in form."""
    csrf_token(request)
    return render(request, "login.html", {"next": safe_next(next), "error": None})


@router.post("/login", include_in_schema=False, dependencies=[Csrf])
def login(
    request: Request,
    ctx: Ctx,
    username: Annotated[str, Form(max_length=150)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/clients",
) -> Response:
    """Check the password; on success start a new session and go on."""
    throttle: LoginThrottle = request.app.state.throttle
    address = client_address(request, ctx.trusted_proxies)
    result = sign_in(ctx.store, throttle, username, password, address)
    if result.refused == "paused":
        return _login_error(request, next, "Too many failed sign-ins. Wait a few minutes.", 429)
    user = result.user
    if user is None:
        return _login_error(request, next, "Wrong username or password.", 401)
    request.session.clear()  # a new session: nothing from before sign-in carries over
    request.session.update({"uid": user.id, "epoch": user.session_epoch, "csrf": new_token()})
    return RedirectResponse(safe_next(next), status_code=303)


def _login_error(request: Request, next: str, message: str, status: int) -> Response:
    return render(
        request, "login.html", {"next": safe_next(next), "error": message}, status_code=status
    )


@router.post("/logout", include_in_schema=False, dependencies=[Csrf])
def logout(request: Request, ctx: Ctx) -> Response:
    """Sign out everywhere: the user's epoch moves on, so no cookie of theirs opens a page."""
    user = session_user(request)
    if user is not None:
        sign_out(ctx.store, Actor(user.id, client_address(request, ctx.trusted_proxies)))
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
