"""Who asks for a use case: the signed-in clinician and where the request came from."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["OPERATOR", "Actor"]


@dataclass(frozen=True, slots=True)
class Actor:
    """The person a service call acts for, as its audit row names them.

    ``user_id`` is the signed-in clinician, or None for the operator at the command line
    (``edgewise user password``). ``address`` is where the request came from (the peer,
    or what a trusted proxy says), for the sign-in brake; audit rows do not keep it.
    """

    user_id: int | None
    address: str | None = None

    def require_user(self) -> int:
        """The clinician's id; ValueError for the operator (a programming error)."""
        if self.user_id is None:
            raise ValueError("this use case acts for a signed-in clinician")
        return self.user_id


#: The operator at the command line: audit rows name no user.
OPERATOR = Actor(None)
