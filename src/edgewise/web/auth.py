"""Sign in and out: argon2 passwords, a fresh signed session cookie, a failed-login brake."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.web.deps import Csrf, Ctx, csrf_token
from edgewise.web.security import new_token, verify_password
from edgewise.web.templating import render

__all__ = ["LoginThrottle", "router", "safe_next"]

router = APIRouter()

#: Failed sign-ins allowed per username (and per address) within WINDOW seconds.
MAX_FAILURES = 10
WINDOW = 300.0


class LoginThrottle:
    """Counts recent failed sign-ins per key; too many answer 429 until they age out."""

    def __init__(self, limit: int = MAX_FAILURES, window: float = WINDOW) -> None:
        self._limit, self._window = limit, window
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def blocked(self, *keys: str) -> bool:
        """Whether any of ``keys`` has had too many recent failures."""
        with self._lock:
            return any(len(self._recent(key)) >= self._limit for key in keys)

    def failed(self, *keys: str) -> None:
        """Count one failure against each key."""
        with self._lock:
            for key in keys:
                self._recent(key).append(time.monotonic())

    def succeeded(self, key: str) -> None:
        """Forget the failures of ``key``."""
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        cutoff = time.monotonic() - self._window
        while times and times[0] < cutoff:
            times.popleft()
        return times


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
    address = request.client.host if request.client else "unknown"
    keys = (f"user:{username.lower()}", f"addr:{address}")
    if throttle.blocked(*keys):
        return _login_error(request, next, "Too many failed sign-ins. Wait a few minutes.", 429)
    user = ctx.store.get_user_by_name(username) if username else None
    if not verify_password(user.password_hash if user else None, password) or user is None:
        throttle.failed(*keys)
        return _login_error(request, next, "Wrong username or password.", 401)
    throttle.succeeded(keys[0])
    request.session.clear()  # a new session: nothing from before sign-in carries over
    request.session.update({"uid": user.id, "sid": new_token(), "csrf": new_token()})
    ctx.store.audit(user.id, "login", "user", user.id)
    return RedirectResponse(safe_next(next), status_code=303)


def _login_error(request: Request, next: str, message: str, status: int) -> Response:
    return render(
        request, "login.html", {"next": safe_next(next), "error": message}, status_code=status
    )


@router.post("/logout", include_in_schema=False, dependencies=[Csrf])
def logout(request: Request, ctx: Ctx) -> Response:
    """Forget the session (and refuse its cookie from now on, in this process)."""
    sid = request.session.get("sid")
    if isinstance(sid, str):
        with ctx.lock:
            ctx.revoked.add(sid)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)
