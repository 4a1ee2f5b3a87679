"""Passwords (argon2), the session secret, CSRF tokens and the headers every response gets.

Nothing here sees clinical text; errors name what is wrong, never a value.
"""

from __future__ import annotations

import hmac
import logging
import os
import secrets
import stat
import traceback
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "ENV_SECRET_KEY",
    "SECRET_FILENAME",
    "ErrorScrubber",
    "SecurityHeaders",
    "csrf_matches",
    "hash_password",
    "load_or_create_secret",
    "new_token",
    "verify_password",
]

log = logging.getLogger("edgewise.web")

ENV_SECRET_KEY = "EDGEWISE_SECRET_KEY"
#: The session-signing secret, kept in the data dir (mode 0600) unless given by environment.
SECRET_FILENAME = "web-secret.key"
MIN_SECRET_CHARS = 32

_hasher = PasswordHasher()
#: Verified against when the username is unknown, so both paths cost one argon2 verify.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))

#: Content-Security-Policy of the app's own pages: scripts and styles from this server only.
APP_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password``."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches; an unknown user (None) costs the same and fails."""
    try:
        ok = _hasher.verify(password_hash or _DUMMY_HASH, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False
    return ok and password_hash is not None


def new_token() -> str:
    """A fresh random token (CSRF, session id)."""
    return secrets.token_urlsafe(32)


def csrf_matches(expected: object, given: object) -> bool:
    """Constant-time comparison of the session's CSRF token with the one submitted."""
    if not isinstance(expected, str) or not isinstance(given, str) or not expected:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def load_or_create_secret(data_dir: Path, env: dict[str, str] | None = None) -> str:
    """``$EDGEWISE_SECRET_KEY``, else the secret file in ``data_dir`` (created 0600 if missing)."""
    environ = os.environ if env is None else env
    given = environ.get(ENV_SECRET_KEY)
    if given:
        if len(given) < MIN_SECRET_CHARS:
            raise ValueError(f"{ENV_SECRET_KEY} must be at least {MIN_SECRET_CHARS} characters")
        return given
    path = data_dir / SECRET_FILENAME
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_secret(path)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(secrets.token_urlsafe(48))
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    """The secret in ``path``; refused when others may read it or it is too short."""
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise PermissionError(f"{path} is readable by others; chmod 600 it")
    text = path.read_text(encoding="ascii").strip()
    if len(text) < MIN_SECRET_CHARS:
        raise ValueError(f"{path} holds no usable secret; delete it to make a new one")
    return text


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
