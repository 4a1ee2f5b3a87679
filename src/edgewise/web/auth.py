"""Sign in and out: argon2 passwords, a session cookie tied to the user's epoch, a brake
on failed sign-ins (:mod:`edgewise.web.throttle`) and every attempt in the audit log.

Signing out moves the user's session epoch on, which ends every session they have (each
browser, each device), also across a restart. Audit rows of sign-in use the action
``login`` on the record ``user`` (the account, or none when the name is unknown) with the
detail ``succeeded``, ``failed wrong_password``, ``failed unknown_user`` (either with
``paused`` when that failure paused sign-in) or ``signed_out``; never a password.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.store import UserRecord
from edgewise.web.deps import Csrf, Ctx, WebContext, csrf_token, session_user
from edgewise.web.security import new_token, verify_password
from edgewise.web.templating import render
from edgewise.web.throttle import LoginThrottle, client_address

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
    account = username.strip().casefold()
    address = client_address(request, ctx.trusted_proxies)
    if throttle.blocked(account, address):
        return _login_error(request, next, "Too many failed sign-ins. Wait a few minutes.", 429)
    user = ctx.store.get_user_by_name(username.strip()) if account else None
    if not verify_password(user.password_hash if user else None, password) or user is None:
        paused = throttle.failed(account, address)
        _audit_failure(ctx, user, paused=paused)
        return _login_error(request, next, "Wrong username or password.", 401)
    throttle.succeeded(account, address)
    request.session.clear()  # a new session: nothing from before sign-in carries over
    request.session.update({"uid": user.id, "epoch": user.session_epoch, "csrf": new_token()})
    ctx.store.audit(user.id, "login", "user", user.id, detail="succeeded")
    return RedirectResponse(safe_next(next), status_code=303)


def _audit_failure(ctx: WebContext, user: UserRecord | None, *, paused: bool) -> None:
    """One audit row per failed sign-in: the account if it exists, the reason, no secret."""
    detail = "failed wrong_password" if user else "failed unknown_user"
    user_id = user.id if user else None
    ctx.store.audit(
        user_id, "login", "user", user_id, detail=detail + (" paused" if paused else "")
    )


def _login_error(request: Request, next: str, message: str, status: int) -> Response:
    return render(
        request, "login.html", {"next": safe_next(next), "error": message}, status_code=status
    )


@router.post("/logout", include_in_schema=False, dependencies=[Csrf])
def logout(request: Request, ctx: Ctx) -> Response:
    """Sign out everywhere: the user's epoch moves on, so no cookie of theirs opens a page."""
    user = session_user(request)
    if user is not None:
        ctx.store.end_sessions(user.id)
        ctx.store.audit(user.id, "login", "user", user.id, detail="signed_out")
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
