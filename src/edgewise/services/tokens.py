"""Personal access tokens: made, shown once, kept as a hash, checked on every API call.

A token reads ``ew_`` followed by 43 URL-safe characters (256 random bits). Only its
SHA-256 is stored: a fast hash is enough for a secret of that strength (nobody can
guess one to match), and it lets a token be found by its hash with one indexed read.
The first ten characters (``ew_`` and seven more) are kept to tell tokens apart.

A token opens the API for its user while it is not revoked and not expired. Signing out
does not revoke tokens (they belong to scripts, not to a browser); a new password
revokes them all (:meth:`edgewise.store.Store.set_password`), and a deleted user's
tokens are deleted with them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import cast

from edgewise.errors import UsageError
from edgewise.services.actor import Actor
from edgewise.store import Store, TokenRecord, TokenScope, UserRecord
from edgewise.store.tokens import MAX_TOKEN_NAME

__all__ = [
    "EXPIRY_DAYS",
    "PREFIX_CHARS",
    "TOKEN_PREFIX",
    "Authenticated",
    "IssuedToken",
    "authenticate",
    "bearer_secret",
    "hash_secret",
    "issue_token",
    "looks_like_token",
    "token_state",
]

TOKEN_PREFIX = "ew_"
#: How many of a token's first characters are kept to show it (``ew_`` and seven more).
PREFIX_CHARS = 10
#: The expiries the account page offers, in days (None: never).
EXPIRY_DAYS: tuple[int | None, ...] = (30, 90, 365, None)
#: ``last used`` is written at most this often per token (a write per call would be wasted).
TOUCH_EVERY = dt.timedelta(minutes=1)
_SHAPE = re.compile(r"^ew_[A-Za-z0-9_-]{43}$")
_BEARER = re.compile(r"^Bearer +(\S+) *$", re.IGNORECASE)


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the secret (shown to its owner once, then gone) and its record."""

    secret: str
    record: TokenRecord

    def __repr__(self) -> str:  # the secret never goes into a log or a traceback
        return f"IssuedToken(id={self.record.id}, prefix={self.record.prefix!r})"


@dataclass(frozen=True)
class Authenticated:
    """Who an API call is from: the user and the token they used."""

    user: UserRecord
    token: TokenRecord

    @property
    def can_write(self) -> bool:
        """Whether the token may change anything (scope ``write``)."""
        return self.token.scope == "write"

    @property
    def actor(self) -> Actor:
        """The actor of a call with this token: its user; audit rows say ``api token=ID``."""
        return Actor(self.user.id, via=f"api token={self.token.id}")


def hash_secret(secret: str) -> str:
    """The SHA-256 of the token (lowercase hex): what the store keeps."""
    return hashlib.sha256(secret.encode("ascii", "replace")).hexdigest()


def looks_like_token(secret: str) -> bool:
    """Whether ``secret`` has a token's shape (checked before any database read)."""
    return bool(_SHAPE.match(secret))


def issue_token(
    store: Store,
    user_id: int,
    name: str,
    scope: str,
    *,
    expires_in_days: int | None = None,
    by_admin: bool = False,
) -> IssuedToken:
    """A new token for ``user_id``, stored as its hash (and audited by the store).

    UsageError (E130) for a name that is empty or too long, a scope other than read or
    write, or an expiry that is not 1 to 3650 days.
    """
    name = " ".join(name.split())
    if not name or len(name) > MAX_TOKEN_NAME:
        raise UsageError(f"a token's name must be 1 to {MAX_TOKEN_NAME} characters")
    if scope not in ("read", "write"):
        raise UsageError("a token's scope must be read or write")
    checked = cast(TokenScope, scope)
    expires_at = None
    if expires_in_days is not None:
        if not 1 <= expires_in_days <= 3650:
            raise UsageError("a token's expiry must be 1 to 3650 days")
        expires_at = dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_in_days)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = store.add_token(
        user_id,
        name,
        checked,
        hash_secret(secret),
        secret[:PREFIX_CHARS],
        expires_at=expires_at,
        by_admin=by_admin,
    )
    return IssuedToken(secret, record)


def token_state(token: TokenRecord, at: dt.datetime) -> str:
    """``active``, ``revoked`` or ``expired`` at ``at``."""
    if token.revoked_at is not None:
        return "revoked"
    return "active" if token.usable(at) else "expired"


def bearer_secret(authorization: str | None) -> str | None:
    """The token in an ``Authorization: Bearer ...`` header, or None."""
    found = _BEARER.match(authorization or "")
    return found.group(1) if found else None


def authenticate(store: Store, secret: str | None) -> Authenticated | None:
    """The user and token ``secret`` opens the API for; None if it opens nothing (no
    such token, revoked, expired or malformed, or its user disabled: all read the same)."""
    if secret is None or not looks_like_token(secret):
        return None
    found = store.token_by_hash(hash_secret(secret))
    if found is None:
        return None
    token, user = found
    at = dt.datetime.now(dt.UTC)
    if not token.usable(at) or not user.active:
        return None
    if token.last_used_at is None or at - token.last_used_at >= TOUCH_EVERY:
        store.mark_token_used(token.id, at)
    return Authenticated(user, token)
