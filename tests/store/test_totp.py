"""Second factors in the store, on SQLite and PostgreSQL: a pending factor, confirmed with
recovery codes; a time step taken once; a recovery code used once; the secret sealed."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from edgewise.store import ConflictError, NotFoundError, Store

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_pending_then_confirmed_with_codes(store: Store) -> None:
    ana = store.create_user("ana", "h")
    assert store.totp.get_factor(ana.id) is None
    store.totp.start_factor(ana.id, SECRET)
    factor = store.totp.get_factor(ana.id)
    assert factor is not None and not factor.confirmed and factor.secret == SECRET
    assert SECRET not in repr(factor)
    assert store.totp.confirmed_users() == set()
    store.totp.start_factor(ana.id, "A" * 32)  # a pending one is replaced
    store.totp.confirm_factor(ana.id, 100, ["h1", "h2"])
    factor = store.totp.get_factor(ana.id)
    assert factor is not None and factor.confirmed and factor.last_step == 100
    assert factor.secret == "A" * 32
    assert [c.code_hash for c in store.totp.unused_codes(ana.id)] == ["h1", "h2"]
    assert store.totp.confirmed_users() == {ana.id}
    with pytest.raises(ConflictError):
        store.totp.start_factor(ana.id, SECRET)  # on already
    with pytest.raises(ConflictError):
        store.totp.confirm_factor(ana.id, 101, [])  # nothing pending
    with pytest.raises(NotFoundError):
        store.totp.start_factor(9999, SECRET)


def test_the_secret_is_sealed_at_rest(store: Store) -> None:
    ana = store.create_user("ana", "h")
    store.totp.start_factor(ana.id, SECRET)
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT secret FROM totp_factors")).scalar_one()
    assert SECRET not in stored and stored.startswith("ew1:")


def test_a_time_step_is_taken_once_and_only_forward(store: Store) -> None:
    ana = store.create_user("ana", "h")
    store.totp.start_factor(ana.id, SECRET)
    assert not store.totp.claim_step(ana.id, 5)  # pending: nothing to take
    store.totp.confirm_factor(ana.id, 100, [])
    assert not store.totp.claim_step(ana.id, 100)  # the confirming code's step
    assert store.totp.claim_step(ana.id, 101)
    assert not store.totp.claim_step(ana.id, 101)  # replay
    assert not store.totp.claim_step(ana.id, 99)  # older
    assert store.totp.claim_step(ana.id, 102)


def test_recovery_codes_are_used_once_and_replaced(store: Store) -> None:
    ana, ben = store.create_user("ana", "h"), store.create_user("ben", "h")
    store.totp.start_factor(ana.id, SECRET)
    store.totp.confirm_factor(ana.id, 1, ["h1", "h2"])
    first, second = store.totp.unused_codes(ana.id)
    assert not store.totp.use_code(ben.id, first.id)  # not ben's
    assert store.totp.use_code(ana.id, first.id)
    assert not store.totp.use_code(ana.id, first.id)
    assert [c.id for c in store.totp.unused_codes(ana.id)] == [second.id]
    store.totp.replace_codes(ana.id, ["h3"])
    assert [c.code_hash for c in store.totp.unused_codes(ana.id)] == ["h3"]
    with pytest.raises(ConflictError):
        store.totp.replace_codes(ben.id, ["h4"])


def test_removed_with_the_factor_and_the_account(store: Store) -> None:
    ana, ben = store.create_user("ana", "h"), store.create_user("ben", "h")
    for user in (ana, ben):
        store.totp.start_factor(user.id, SECRET)
        store.totp.confirm_factor(user.id, 1, ["h1"])
    assert store.totp.remove_factor(ana.id)
    assert store.totp.get_factor(ana.id) is None and store.totp.unused_codes(ana.id) == []
    assert not store.totp.remove_factor(ana.id)  # nothing left
    store.remove_user(ben.id)
    assert store.totp.get_factor(ben.id) is None and store.totp.unused_codes(ben.id) == []
    with store.engine.connect() as conn:
        counts = [
            conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("totp_factors", "recovery_codes")
        ]
    assert counts == [0, 0]
