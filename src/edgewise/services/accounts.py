"""Clinician accounts: new accounts, passwords (argon2id), signing in and out, audited.

Passwords keep the rule of :mod:`edgewise.services.passwords` and are stored as argon2id
hashes only. Audit rows of signing in use the action ``login`` on the record ``user``
(the account, or none when the name is unknown) with the detail ``succeeded``,
``failed wrong_password``, ``failed unknown_user``, ``failed disabled`` (the right
password for a disabled account; it gets the same answer as a wrong one), any of them
with ``paused`` when that failure paused sign-in, ``password_ok code_needed`` (the
account has two-factor sign-in: see :mod:`edgewise.services.two_factor`), or
``signed_out``; a password set at
the command line is ``update``/``user``/``password_set``. Nothing here sees clinical
text, and no error or row holds a password.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from edgewise.errors import UsageError
from edgewise.services.actor import Actor, record
from edgewise.services.passwords import check_password
from edgewise.services.throttle import LoginThrottle
from edgewise.store import ConflictError, NotFoundError, Store, UserRecord

__all__ = [
    "MAX_USERNAME_CHARS",
    "NewAccount",
    "SignIn",
    "clean_username",
    "create_user",
    "find_user",
    "hash_password",
    "new_account",
    "set_password",
    "sign_in",
    "sign_out",
    "signed_in_user",
    "verify_password",
]

MAX_USERNAME_CHARS = 150

_hasher = PasswordHasher()
#: Verified against when the username is unknown, so both paths cost one argon2 verify.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


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


@dataclass(frozen=True, slots=True)
class NewAccount:
    """A username and the hash of a password that keeps the rule, ready to store."""

    username: str
    password_hash: str

    def __repr__(self) -> str:
        return f"NewAccount(username={self.username!r})"


def clean_username(username: str) -> str:
    """``username`` without surrounding spaces; UsageError unless 1 to 150 characters."""
    name = username.strip()
    if not name or len(name) > MAX_USERNAME_CHARS:
        raise UsageError(f"the username must be 1 to {MAX_USERNAME_CHARS} characters")
    return name


def new_account(username: str, password: str) -> NewAccount:
    """Check the username (:func:`clean_username`) and the password rule, then hash it.

    Needs no store, so a bad name or password is refused before a database is opened.
    """
    name = clean_username(username)
    check_password(password, name)
    return NewAccount(name, hash_password(password))


def create_user(store: Store, account: NewAccount, *, is_admin: bool = False) -> UserRecord:
    """Store the account (an admin when ``is_admin``; the first account always is);
    ConflictError (E302) saying why when the name is taken."""
    try:
        return store.create_user(account.username, account.password_hash, is_admin=is_admin)
    except ConflictError:
        raise ConflictError(_taken(store, account.username)) from None


def _taken(store: Store, username: str) -> str:
    """Why ``username`` is taken: by itself, or by a name that differs only in case."""
    holder = store.get_user_by_name(username)
    if holder is not None and holder.username != username:
        return (
            f"username is taken: {holder.username!r} exists and usernames ignore case; "
            "choose another name"
        )
    return "username is taken; choose another name"


def find_user(store: Store, username: str) -> UserRecord:
    """The account named ``username`` (case ignored); NotFoundError (E301) if none."""
    user = store.get_user_by_name(username.strip())
    if user is None:
        raise NotFoundError("no such user; `edgewise user add NAME` adds one")
    return user


def set_password(store: Store, actor: Actor, user: UserRecord, password: str) -> UserRecord:
    """A new password for ``user`` (checked, hashed); every sign-in of theirs ends."""
    check_password(password, user.username)
    updated = store.set_password(user.id, hash_password(password))
    record(store, actor, "update", "user", user.id, detail="password_set")
    return updated


@dataclass(frozen=True, slots=True)
class SignIn:
    """What came of a sign-in: ``user`` when it succeeded; else ``refused`` says why.

    ``needs_code``: the password was right, but the account has two-factor sign-in on,
    so the user is not signed in until a code is checked
    (:func:`edgewise.services.two_factor.sign_in_code`).
    """

    user: UserRecord | None
    refused: Literal["paused", "wrong"] | None = None
    needs_code: bool = False


def sign_in(
    store: Store, throttle: LoginThrottle, username: str, password: str, address: str
) -> SignIn:
    """Check the password unless sign-in to that account from ``address`` is paused;
    every attempt is audited (see the module) and counted by ``throttle``."""
    account = username.strip().casefold()
    if throttle.blocked(account, address):
        return SignIn(None, "paused")
    user = store.get_user_by_name(username.strip()) if account else None
    matched = verify_password(user.password_hash if user else None, password)
    if not matched or user is None or not user.active:
        paused = throttle.failed(account, address)
        why = "failed unknown_user" if user is None else "failed wrong_password"
        if matched and user is not None:
            why = "failed disabled"  # the right password, but the same answer as a wrong one
        detail = why + (" paused" if paused else "")
        user_id = user.id if user else None
        store.audit(user_id, "login", "user", user_id, detail=detail)
        return SignIn(None, "wrong")
    if _second_factor_on(store, user.id):
        # Not signed in yet, so the brake keeps counting: a known password must not
        # reset the failures of the codes tried after it.
        store.audit(user.id, "login", "user", user.id, detail="password_ok code_needed")
        return SignIn(user, needs_code=True)
    throttle.succeeded(account, address)
    store.audit(user.id, "login", "user", user.id, detail="succeeded")
    return SignIn(user)


def _second_factor_on(store: Store, user_id: int) -> bool:
    factor = store.totp.get_factor(user_id)
    return factor is not None and factor.confirmed


def sign_out(store: Store, actor: Actor) -> None:
    """End every sign-in of the actor (each browser, each device), audited."""
    user_id = actor.require_user()
    store.end_sessions(user_id)
    record(store, actor, "login", "user", user_id, detail="signed_out")


def signed_in_user(store: Store, user_id: int, epoch: int) -> UserRecord | None:
    """The user a sign-in names, if it was made under their current session epoch."""
    user = store.get_user(user_id)
    if user is None or user.session_epoch != epoch or not user.active:
        return None
    return user
