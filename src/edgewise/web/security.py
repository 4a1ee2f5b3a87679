"""CSRF tokens, the headers every response gets and the scrubbing of unexpected errors.

Passwords are :mod:`edgewise.services.accounts`'s, the session secret
:mod:`edgewise.services.config`'s. Nothing here sees clinical text.
"""

from __future__ import annotations

import hmac
import logging
import secrets
import traceback
from pathlib import Path

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["APP_CSP", "ErrorScrubber", "SecurityHeaders", "csrf_matches", "new_token"]

log = logging.getLogger("edgewise.web")

#: Content-Security-Policy of the app's own pages: scripts and styles from this server only.
APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def new_token() -> str:
    """A fresh random token (CSRF, session id)."""
    return secrets.token_urlsafe(32)


def csrf_matches(expected: object, given: object) -> bool:
    """Constant-time comparison of the session's CSRF token with the one submitted."""
    if not isinstance(expected, str) or not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


class SecurityHeaders:
    """ASGI middleware: CSP, no framing, no sniffing, no referrer, no caching of pages."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_static = str(scope.get("path", "")).startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", APP_CSP)
                headers.setdefault("X-Frame-Options", "DENY")
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                if not is_static:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ErrorScrubber:
    """ASGI middleware: an unexpected exception becomes a bare 500, logged by type and place.

    The exception's message (which could quote clinical text, e.g. a validation error) is
    never logged nor re-raised to the server, which would print it with the traceback.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            log.error("internal error %s at %s", type(exc).__name__, _where(exc))
            if not started:
                await _plain_500(send)


def _where(exc: BaseException) -> str:
    """``file:line`` of the innermost frame: enough to find the bug, no values."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown place"
    last = frames[-1]
    return f"{Path(last.filename).name}:{last.lineno}"


async def _plain_500(send: Send) -> None:
    body = b"Internal error. It has been logged without any clinical text."
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
