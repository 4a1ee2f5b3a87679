"""Clinician accounts: names, password hashes and the session epoch that ends sign-ins."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from edgewise.store import convert
from edgewise.store.base import StoreBase, now
from edgewise.store.errors import AccountInUseError, ConflictError, NotFoundError
from edgewise.store.records import UserRecord
from edgewise.store.tables import ApiToken, Client, ClientShare, User
from edgewise.store.tokens import TokenRepository
from edgewise.store.totp import TotpRepository

__all__ = ["UserRepository"]


class UserRepository(StoreBase):
    """Users: made, found by id or name, listed, signed out everywhere, given a new
    password, disabled, enabled and removed."""

    def create_user(
        self, username: str, password_hash: str, *, is_admin: bool = False
    ) -> UserRecord:
        """A new user (an admin when ``is_admin``, or when it is the first account);
        ConflictError when the username is taken."""
        try:
            with self._write() as s:
                key = username.casefold()
                if s.scalar(select(User.id).where(User.username_key == key)) is not None:
                    raise ConflictError("username is taken")
                first = s.scalar(select(func.count()).select_from(User)) == 0
                row = User(
                    username=username,
                    username_key=key,
                    password_hash=password_hash,
                    created_at=now(),
                    is_admin=is_admin or first,
                )
                s.add(row)
                s.flush()
                return convert.user_record(row)
        except IntegrityError:
            raise ConflictError("username is taken") from None

    def get_user_by_name(self, username: str) -> UserRecord | None:
        """The user called exactly ``username``, else the one whose name differs only by
        case (``Alice`` finds ``alice``), or None."""
        query = select(User).where(
            or_(User.username == username, User.username_key == username.casefold())
        )
        with self._read() as s:
            rows = list(s.scalars(query))  # at most two: both columns are unique
            exact = [row for row in rows if row.username == username]
            found = exact or rows
            return convert.user_record(found[0]) if found else None

    def get_user(self, user_id: int) -> UserRecord | None:
        """The user with this id, or None."""
        with self._read() as s:
            row = s.get(User, user_id)
            return None if row is None else convert.user_record(row)

    def list_users(self) -> list[UserRecord]:
        """Every account not removed, by name."""
        query = select(User).where(User.removed_at.is_(None)).order_by(User.username_key)
        with self._read() as s:
            return [convert.user_record(row) for row in s.scalars(query)]

    def set_disabled(self, user_id: int, disabled: bool) -> UserRecord:
        """Disable the account (its sign-ins end at once) or enable it again."""
        stamp: dt.datetime | None = now() if disabled else None
        with self._write() as s:
            row = s.get(User, user_id, with_for_update=True)
            if row is None or row.removed_at is not None:
                raise NotFoundError(f"no user {user_id}")
            if disabled and row.disabled_at is not None:
                return convert.user_record(row)
            row.disabled_at = stamp
            if disabled:
                row.session_epoch += 1
            s.flush()
            return convert.user_record(row)

    def remove_user(self, user_id: int) -> UserRecord:
        """Remove the account: it can never sign in again, its tokens, second factor and
        the shares made to it go, and its name is freed. The row stays, renamed
        ``removed-ID``, so audit rows naming it keep their meaning. AccountInUseError while
        it owns clients."""
        with self._write() as s:
            row = s.get(User, user_id, with_for_update=True)
            if row is None or row.removed_at is not None:
                raise NotFoundError(f"no user {user_id}")
            owned = s.scalar(select(func.count()).where(Client.owner_id == user_id)) or 0
            if owned:
                raise AccountInUseError(
                    f"the account still owns {owned} client(s); transfer or erase them first"
                )
            s.execute(delete(ClientShare).where(ClientShare.user_id == user_id))
            s.execute(delete(ApiToken).where(ApiToken.user_id == user_id))
            TotpRepository.delete_all(s, user_id)
            stamp = now()
            row.username = row.username_key = f"removed-{user_id}"
            row.password_hash = "!"  # never an argon2 hash: no password matches it
            row.is_admin = False
            row.disabled_at = row.disabled_at or stamp
            row.removed_at = stamp
            row.session_epoch += 1
            s.flush()
            return convert.user_record(row)

    def end_sessions(self, user_id: int) -> int:
        """Move the user's session epoch on, so every sign-in cookie issued before is
        refused; the new epoch (NotFoundError: no such user)."""
        return self._next_epoch(user_id).session_epoch

    def set_password(self, user_id: int, password_hash: str) -> UserRecord:
        """Replace the user's password hash, end their sessions and revoke their API tokens,
        in one transaction: a new password is what an account others may know gets."""
        with self._write() as s:
            user = self._bump_epoch(s, user_id, password_hash=password_hash)
            TokenRepository._revoke_all_tokens(s, user_id, "password_set")
            return user

    def _next_epoch(self, user_id: int) -> UserRecord:
        """Bump the session epoch in its own transaction."""
        with self._write() as s:
            return self._bump_epoch(s, user_id)

    @staticmethod
    def _bump_epoch(s: Session, user_id: int, **values: str) -> UserRecord:
        """Bump the session epoch (and set ``values``) in one UPDATE."""
        bump = (
            update(User)
            .where(User.id == user_id)
            .values(session_epoch=User.session_epoch + 1, **values)
            .returning(User)
        )
        row = s.scalar(bump)
        if row is None:
            raise NotFoundError(f"no user {user_id}")
        return convert.user_record(row)
