"""API tokens in the store, on SQLite and PostgreSQL: made, listed, found by hash, revoked."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from edgewise.store import InvalidRecordError, NotFoundError, Store

HASH_A = "a" * 64
HASH_B = "b" * 64


def test_add_list_and_find_by_hash(store: Store) -> None:
    ana = store.create_user("ana", "h")
    first = store.add_token(ana.id, "laptop", "read", HASH_A, "ew_aaaa")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    second = store.add_token(ana.id, "sync", "write", HASH_B, "ew_bbbb", expires_at=later)
    assert [t.id for t in store.list_tokens(ana.id)] == [second.id, first.id]
    assert second.expires_at == later and second.scope == "write"
    found = store.token_by_hash(HASH_A)
    assert found is not None
    token, user = found
    assert (token.id, user.id, token.name, token.prefix) == (first.id, ana.id, "laptop", "ew_aaaa")
    assert store.token_by_hash("c" * 64) is None
    with store.engine.connect() as conn:  # only the hash is stored
        stored = conn.execute(text("SELECT secret_hash FROM api_tokens ORDER BY id")).scalars()
        assert list(stored) == [HASH_A, HASH_B]
    audit = store.list_audit(record_type="token")
    assert [(a.action, a.user_id, a.detail) for a in audit] == [
        ("create", ana.id, "write"),
        ("create", ana.id, "read"),
    ]


def test_revoke_is_per_user_idempotent_and_audited_once(store: Store) -> None:
    ana, ben = store.create_user("ana", "h"), store.create_user("ben", "h")
    token = store.add_token(ana.id, "laptop", "write", HASH_A, "ew_aaaa")
    with pytest.raises(NotFoundError):
        store.revoke_token(ben.id, token.id)  # not ben's
    revoked = store.revoke_token(ana.id, token.id)
    assert revoked.revoked_at is not None and not revoked.usable(dt.datetime.now(dt.UTC))
    again = store.revoke_token(ana.id, token.id)
    assert again.revoked_at == revoked.revoked_at
    actions = [a.action for a in store.list_audit(record_type="token")]
    assert actions == ["revoke", "create"]


def test_new_password_revokes_every_token_sign_out_does_not(store: Store) -> None:
    ana = store.create_user("ana", "h")
    token = store.add_token(ana.id, "laptop", "write", HASH_A, "ew_aaaa")
    store.end_sessions(ana.id)
    [kept] = store.list_tokens(ana.id)
    assert kept.revoked_at is None
    store.set_password(ana.id, "h2")
    [gone] = store.list_tokens(ana.id)
    assert gone.revoked_at is not None
    [row, _] = store.list_audit(record_type="token")
    assert (row.action, row.record_id, row.detail) == ("revoke", token.id, "password_set")


def test_removed_user_takes_their_tokens(store: Store) -> None:
    ana = store.create_user("ana", "h")
    store.add_token(ana.id, "laptop", "write", HASH_A, "ew_aaaa")
    with pytest.raises(DBAPIError), store.engine.begin() as conn:  # the audit log names ana
        conn.execute(text("DELETE FROM users WHERE id = :id"), {"id": ana.id})
    store.remove_user(ana.id)
    assert store.token_by_hash(HASH_A) is None


def test_usable_until_expiry(store: Store) -> None:
    ana = store.create_user("ana", "h")
    soon = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    token = store.add_token(ana.id, "x", "read", HASH_A, "ew_aaaa", expires_at=soon)
    assert token.usable(soon - dt.timedelta(seconds=1))
    assert not token.usable(soon)


def test_mark_used_never_moves_back(store: Store) -> None:
    ana = store.create_user("ana", "h")
    token = store.add_token(ana.id, "x", "read", HASH_A, "ew_aaaa")
    late = dt.datetime(2030, 1, 2, tzinfo=dt.UTC)
    store.mark_token_used(token.id, late)
    store.mark_token_used(token.id, late - dt.timedelta(hours=1))
    [row] = store.list_tokens(ana.id)
    assert row.last_used_at == late


@pytest.mark.parametrize(
    ("name", "scope", "secret_hash", "prefix"),
    [
        ("", "read", HASH_A, "ew_aaaa"),
        ("x" * 101, "read", HASH_A, "ew_aaaa"),
        ("ok", "admin", HASH_A, "ew_aaaa"),
        ("ok", "read", "A" * 64, "ew_aaaa"),
        ("ok", "read", HASH_A, "ew aa"),
    ],
)
def test_bad_tokens_are_refused(
    store: Store, name: str, scope: str, secret_hash: str, prefix: str
) -> None:
    ana = store.create_user("ana", "h")
    with pytest.raises(InvalidRecordError):
        store.add_token(ana.id, name, scope, secret_hash, prefix)  # type: ignore[arg-type]
    assert store.list_tokens(ana.id) == []


def test_token_of_unknown_user_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.add_token(99, "x", "read", HASH_A, "ew_aaaa")
