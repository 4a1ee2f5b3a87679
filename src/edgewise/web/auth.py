"""Sign in and out: the forms, and a session cookie tied to the user's epoch.

Checking the password, the brake on failed sign-ins and the audit row of every attempt
are :func:`edgewise.services.accounts.sign_in`'s. When the account has two-factor
sign-in on, a right password only starts a pending sign-in (the cookie names the user
and their epoch, for five minutes, and opens no page); ``/login/code`` then asks for a
code (:func:`edgewise.services.two_factor.sign_in_code`). Signing out moves the user's
session epoch on, which ends every session they have (each browser, each device), also
across a restart.
"""

from __future__ import annotations

import time
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.services.accounts import sign_in, sign_out, signed_in_user
from edgewise.services.actor import Actor
from edgewise.services.throttle import LoginThrottle
from edgewise.services.two_factor import sign_in_code
from edgewise.store import UserRecord
from edgewise.web.address import client_address
from edgewise.web.deps import Csrf, Ctx, WebContext, csrf_token, session_user
from edgewise.web.security import new_token
from edgewise.web.templating import render

__all__ = ["PENDING_SECONDS", "router", "safe_next"]

router = APIRouter()

#: How long a right password waits for its code before signing in starts again.
PENDING_SECONDS = 300
_PAUSED = "Too many failed sign-ins. Wait a few minutes."


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
        return _login_error(request, next, _PAUSED, 429)
    user = result.user
    if user is None:
        return _login_error(request, next, "Wrong username or password.", 401)
    request.session.clear()  # a new session: nothing from before sign-in carries over
    if result.needs_code:
        pending = {"uid": user.id, "epoch": user.session_epoch, "at": int(time.time())}
        request.session.update({"pending": pending, "next": safe_next(next), "csrf": new_token()})
        return RedirectResponse("/login/code", status_code=303)
    return _signed_in(request, user, next)


def _signed_in(request: Request, user: UserRecord, next: str) -> Response:
    """Start the user's session (a new one: nothing from before carries over)."""
    request.session.clear()
    request.session.update({"uid": user.id, "epoch": user.session_epoch, "csrf": new_token()})
    return RedirectResponse(safe_next(next), status_code=303)


def _pending_user(request: Request, ctx: WebContext) -> UserRecord | None:
    """The user whose password was right in this browser in the last five minutes, if
    their epoch has not moved on since (a sign-out or a new password ends it)."""
    pending = request.session.get("pending")
    if not isinstance(pending, dict):
        return None
    uid, epoch, at = pending.get("uid"), pending.get("epoch"), pending.get("at")
    if not all(isinstance(v, int) for v in (uid, epoch, at)):
        return None
    assert isinstance(uid, int) and isinstance(epoch, int) and isinstance(at, int)
    if not 0 <= time.time() - at <= PENDING_SECONDS:
        return None
    return signed_in_user(ctx.store, uid, epoch)


@router.get("/login/code", include_in_schema=False)
def code_page(request: Request, ctx: Ctx) -> Response:
    """The second step of signing in: the code from the authenticator app."""
    if _pending_user(request, ctx) is None:
        request.session.clear()
        return RedirectResponse("/login", status_code=303)
    csrf_token(request)
    return render(request, "login_code.html", {"error": None})


@router.post("/login/code", include_in_schema=False, dependencies=[Csrf])
def enter_code(
    request: Request, ctx: Ctx, code: Annotated[str, Form(max_length=64)] = ""
) -> Response:
    """Check the code; on success start the user's session and go on."""
    user = _pending_user(request, ctx)
    if user is None:
        request.session.clear()
        message = "That sign-in took too long or has ended. Sign in again."
        return _login_error(request, "/clients", message, 401)
    throttle: LoginThrottle = request.app.state.throttle
    address = client_address(request, ctx.trusted_proxies)
    result = sign_in_code(ctx.store, throttle, user, code, address)
    if result.refused is not None:
        paused = result.refused == "paused"
        message = _PAUSED if paused else "That code is wrong, expired or used already."
        context = {"error": message}
        return render(request, "login_code.html", context, status_code=429 if paused else 401)
    target = request.session.get("next")
    return _signed_in(request, user, target if isinstance(target, str) else "/clients")


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
