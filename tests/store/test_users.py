"""Users in the store: names that ignore case, the session epoch, a new password."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from edgewise.store import ConflictError, NotFoundError, Store
from edgewise.store.base import now
from edgewise.store.tables import User


def test_usernames_differing_by_case_clash(store: Store) -> None:
    alice = store.create_user("alice", "hash-a")
    with pytest.raises(ConflictError):
        store.create_user("Alice", "hash-b")
    with pytest.raises(ConflictError):
        store.create_user("ALICE", "hash-b")
    assert store.get_user_by_name("Alice") == alice
    assert store.get_user_by_name("aLiCe") == alice
    assert store.get_user_by_name("alicia") is None


def test_an_exact_name_wins_over_a_case_variant(store: Store) -> None:
    """Two names that differ by case from before revision 0005 both keep signing in."""
    upper = store.create_user("Bea", "hash-upper")
    with Session(store.engine) as s, s.begin():  # what the migration left for the later one
        s.add(
            User(
                username="bea",
                username_key=f"bea#{upper.id + 1}",
                password_hash="h",
                created_at=now(),
            )
        )
    lower = store.get_user_by_name("bea")
    assert lower is not None and lower.id != upper.id and lower.username == "bea"
    assert store.get_user_by_name("Bea") == upper
    assert store.get_user_by_name("BEA") == upper


def test_end_sessions_moves_the_epoch_on(store: Store) -> None:
    user = store.create_user("cal", "hash")
    assert user.session_epoch == 0
    assert store.end_sessions(user.id) == 1
    assert store.end_sessions(user.id) == 2
    fetched = store.get_user(user.id)
    assert fetched is not None and fetched.session_epoch == 2
    with pytest.raises(NotFoundError):
        store.end_sessions(user.id + 100)


def test_set_password_also_ends_the_sessions(store: Store) -> None:
    user = store.create_user("dee", "old-hash")
    changed = store.set_password(user.id, "new-hash")
    assert changed.password_hash == "new-hash" and changed.session_epoch == 1
    assert store.get_user_by_name("dee") == changed
    with pytest.raises(NotFoundError):
        store.set_password(user.id + 100, "x")
