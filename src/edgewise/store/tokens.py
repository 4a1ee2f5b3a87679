"""Store methods for personal access tokens (the REST API's credentials).

The store keeps a token's SHA-256 (hex) and its display prefix, never the secret; making
and revoking one write their audit row in the same transaction. A token is found by its
hash together with its user, so a deleted user's tokens (deleted with them) open nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import get_args

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from edgewise.store import convert
from edgewise.store.base import StoreBase, now
from edgewise.store.errors import ConflictError, InvalidRecordError, NotFoundError
from edgewise.store.records import TokenRecord, TokenScope, UserRecord
from edgewise.store.tables import ApiToken, AuditEntry, User

__all__ = ["MAX_TOKEN_NAME", "TokenRepository"]

#: The longest name a token may have (characters).
MAX_TOKEN_NAME = 100
_SCOPES: frozenset[str] = frozenset(get_args(TokenScope))
_HEX64 = re.compile(r"^[0-9a-f]{64}$")
_PREFIX = re.compile(r"^[A-Za-z0-9_-]{4,16}$")


class TokenRepository(StoreBase):
    """Personal access tokens; mixed into :class:`edgewise.store.Store`."""

    def add_token(
        self,
        user_id: int,
        name: str,
        scope: TokenScope,
        secret_hash: str,
        prefix: str,
        *,
        expires_at: dt.datetime | None = None,
        by_admin: bool = False,
    ) -> TokenRecord:
        """A new token of ``user_id``, audited (``create token``) in the same transaction.

        ``by_admin``: made from the command line for the user (the audit row names no
        actor). NotFoundError: no such user; ConflictError: the hash is taken.
        """
        _check_token(name, scope, secret_hash, prefix)
        try:
            with self._write() as s:
                if s.get(User, user_id) is None:
                    raise NotFoundError(f"no user {user_id}")
                row = ApiToken(
                    user_id=user_id,
                    name=name,
                    scope=scope,
                    secret_hash=secret_hash,
                    prefix=prefix,
                    created_at=now(),
                    expires_at=expires_at,
                )
                s.add(row)
                s.flush()
                detail = scope + (" by_admin" if by_admin else "")
                _audit(s, None if by_admin else user_id, "create", row.id, detail)
                return convert.token_record(row)
        except IntegrityError:
            raise ConflictError("a token with this secret exists; make another") from None

    def list_tokens(self, user_id: int) -> list[TokenRecord]:
        """The user's tokens, newest first, revoked ones too."""
        query = (
            select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
        with self._read() as s:
            return [convert.token_record(row) for row in s.scalars(query)]

    def revoke_token(self, user_id: int, token_id: int, *, by_admin: bool = False) -> TokenRecord:
        """Revoke one of ``user_id``'s tokens (idempotent: the first revocation stands and
        is the one audited). NotFoundError when it is not theirs."""
        with self._write() as s:
            row = s.scalar(
                select(ApiToken)
                .where(ApiToken.id == token_id, ApiToken.user_id == user_id)
                .with_for_update()
            )
            if row is None:
                raise NotFoundError(f"no token {token_id} of user {user_id}")
            if row.revoked_at is None:
                row.revoked_at = now()
                detail = "by_admin" if by_admin else None
                _audit(s, None if by_admin else user_id, "revoke", row.id, detail)
            s.flush()
            return convert.token_record(row)

    def token_by_hash(self, secret_hash: str) -> tuple[TokenRecord, UserRecord] | None:
        """The token with this hash and its user (usable or not), or None."""
        query = select(ApiToken, User).join(User, User.id == ApiToken.user_id)
        with self._read() as s:
            found = s.execute(query.where(ApiToken.secret_hash == secret_hash)).first()
            if found is None:
                return None
            token, user = found
            return convert.token_record(token), convert.user_record(user)

    def mark_token_used(self, token_id: int, at: dt.datetime) -> None:
        """Record that the token was used at ``at`` (never moves the time back)."""
        stamp = update(ApiToken).where(
            ApiToken.id == token_id,
            (ApiToken.last_used_at.is_(None)) | (ApiToken.last_used_at < at),
        )
        with self._write() as s:
            s.execute(stamp.values(last_used_at=at))

    @staticmethod
    def _revoke_all_tokens(s: Session, user_id: int, reason: str) -> None:
        """Revoke every usable token of ``user_id`` in the caller's transaction, audited."""
        stamp = now()
        query = select(ApiToken).where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        for row in s.scalars(query.with_for_update()):
            row.revoked_at = stamp
            _audit(s, None, "revoke", row.id, reason)


def _check_token(name: str, scope: str, secret_hash: str, prefix: str) -> None:
    if not name.strip() or len(name) > MAX_TOKEN_NAME:
        raise InvalidRecordError(f"a token's name is 1 to {MAX_TOKEN_NAME} characters")
    if scope not in _SCOPES:
        raise InvalidRecordError("a token's scope is read or write")
    if not _HEX64.match(secret_hash):
        raise InvalidRecordError("a token's hash is 64 lowercase hex digits")
    if not _PREFIX.match(prefix):
        raise InvalidRecordError("a token's prefix is 4 to 16 letters, digits, _ or -")


def _audit(s: Session, user_id: int | None, action: str, token_id: int, detail: str | None) -> None:
    s.add(
        AuditEntry(
            at=now(),
            user_id=user_id,
            action=action,
            record_type="token",
            record_id=token_id,
            detail=detail,
        )
    )
