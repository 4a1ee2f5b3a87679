"""Who asks for a use case, and the audit row each use case writes for them."""

from __future__ import annotations

import os
from dataclasses import dataclass

from edgewise.store import Store
from edgewise.store.records import AuditAction, RecordType

__all__ = ["OPERATOR", "Actor", "operator_words", "record"]


@dataclass(frozen=True, slots=True)
class Actor:
    """The person a service call acts for, as its audit row names them.

    ``user_id`` is the signed-in clinician, or None for the operator at the command line
    (``edgewise user password``). ``address`` is where the request came from (the peer,
    or what a trusted proxy says), for the sign-in brake; audit rows do not keep it.
    ``via`` starts the detail of every audit row written for this actor, naming the way
    in (e.g. ``api token=3``; words and ``key=number`` pairs only); None for the pages
    and the command line, whose rows carry no such words.
    """

    user_id: int | None
    address: str | None = None
    via: str | None = None

    def require_user(self) -> int:
        """The clinician's id; ValueError for the operator (a programming error)."""
        if self.user_id is None:
            raise ValueError("this use case acts for a signed-in clinician")
        return self.user_id


#: The operator at the command line: audit rows name no user.
OPERATOR = Actor(None)


def record(
    store: Store,
    actor: Actor,
    action: AuditAction,
    record_type: RecordType,
    record_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Append the audit row of what ``actor`` just did (``via`` first in its detail)."""
    words = " ".join(w for w in (actor.via, detail) if w) or None
    store.audit(actor.user_id, action, record_type, record_id, detail=words)


def operator_words() -> str:
    """How an audit row names the operator of a command that acts on the whole database
    (``edgewise key rotate``, ``backup``, ``restore``): ``cli os_uid=N``, the OS account
    that ran it (``getent passwd N`` names it), or ``cli`` where the OS has no uids.
    Audit details hold words and numbers only, so the account's name is not written."""
    getuid = getattr(os, "getuid", None)
    return "cli" if getuid is None else f"cli os_uid={getuid()}"
