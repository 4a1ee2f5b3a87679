"""Account control: list, disable, enable, reset the password of and remove accounts.

The command line acts as the operator (:data:`~edgewise.services.actor.OPERATOR`, who
holds the machine and the database); in the web app only an admin may, and anyone else
is told there is no such page (NotFoundError, a 404). Every action is audited on the
record ``user`` with the account's id: ``view`` (detail ``accounts``) for the list,
``update`` with ``disabled``, ``enabled`` or ``password_reset``, ``delete`` with
``removed``. Nothing here reads clinical data.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from edgewise.errors import UsageError
from edgewise.services.accounts import hash_password
from edgewise.services.actor import Actor, record
from edgewise.services.passwords import check_password
from edgewise.store import NotFoundError, Store, UserRecord

__all__ = [
    "Account",
    "disable_user",
    "enable_user",
    "is_admin",
    "list_accounts",
    "remove_user",
    "require_admin",
    "reset_password",
    "temporary_password",
]


@dataclass(frozen=True, slots=True)
class Account:
    """One line of the account list: no clinical data, no password hash."""

    id: int
    username: str
    is_admin: bool
    disabled: bool
    created_at: dt.datetime
    last_sign_in: dt.datetime | None
    #: Whether signing in asks for a TOTP code (edgewise.services.two_factor).
    two_factor: bool = False


def is_admin(store: Store, actor: Actor) -> bool:
    """Whether ``actor`` may manage accounts: the operator, or an active admin."""
    if actor.user_id is None:
        return True
    user = store.get_user(actor.user_id)
    return user is not None and user.is_admin and user.active


def require_admin(store: Store, actor: Actor) -> None:
    """NotFoundError (E301, a 404) unless ``actor`` may manage accounts."""
    if not is_admin(store, actor):
        raise NotFoundError("no such page")


def list_accounts(store: Store, actor: Actor) -> list[Account]:
    """Every account not removed, by name, with its last sign-in; audited."""
    require_admin(store, actor)
    last = store.last_sign_ins()
    with_code = store.totp.confirmed_users()
    accounts = [
        Account(
            u.id,
            u.username,
            u.is_admin,
            u.disabled_at is not None,
            u.created_at,
            last.get(u.id),
            u.id in with_code,
        )
        for u in store.list_users()
    ]
    record(store, actor, "view", "user", None, detail="accounts")
    return accounts


def _target(store: Store, actor: Actor, user: UserRecord) -> None:
    """Refuse an admin acting on their own account (they would lock themselves out)."""
    require_admin(store, actor)
    if actor.user_id == user.id:
        raise UsageError("you cannot disable, reset or remove your own account here")


def disable_user(store: Store, actor: Actor, user: UserRecord) -> UserRecord:
    """Disable ``user``: no sign-in, every sign-in cookie and API token refused at once."""
    _target(store, actor, user)
    updated = store.set_disabled(user.id, True)
    record(store, actor, "update", "user", user.id, detail="disabled")
    return updated


def enable_user(store: Store, actor: Actor, user: UserRecord) -> UserRecord:
    """Let ``user`` sign in again (with the password they had)."""
    require_admin(store, actor)
    updated = store.set_disabled(user.id, False)
    record(store, actor, "update", "user", user.id, detail="enabled")
    return updated


def temporary_password() -> str:
    """A random password that keeps the rule (about 120 bits), to hand over once."""
    return secrets.token_urlsafe(20)


def reset_password(store: Store, actor: Actor, user: UserRecord, password: str) -> UserRecord:
    """Give ``user`` a new password: every sign-in of theirs ends and every API token of
    theirs is revoked (:func:`edgewise.services.accounts.set_password`); audited as a reset."""
    _target(store, actor, user)
    check_password(password, user.username)
    updated = store.set_password(user.id, hash_password(password))
    record(store, actor, "update", "user", user.id, detail="password_reset")
    return updated


def remove_user(store: Store, actor: Actor, user: UserRecord) -> UserRecord:
    """Remove ``user`` (see :meth:`edgewise.store.Store.remove_user`); AccountInUseError
    (E360) while they own clients: no health record is ever deleted here."""
    _target(store, actor, user)
    removed = store.remove_user(user.id)
    record(store, actor, "delete", "user", user.id, detail="removed")
    return removed
