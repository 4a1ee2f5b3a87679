"""The TOTP second factor: enrol with a first code, recovery codes hashed and shown once,
sign-in codes taken once (no replay) and throttled like passwords, turned off with a
code or by an admin; audited without codes or secrets."""

from __future__ import annotations

import pyotp
import pytest

from edgewise.services import accounts, two_factor
from edgewise.services.actor import OPERATOR, Actor
from edgewise.services.throttle import LoginThrottle
from edgewise.services.two_factor import CodeError, CodesPausedError, TwoFactorStateError
from edgewise.store import NotFoundError, Store, UserRecord

from .conftest import PASSWORD, rows

T0 = 1_800_000_000.0  # a fixed clock: step 60,000,000


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The services' clock, moved by setting ``clock[0]``."""
    now = [T0]
    monkeypatch.setattr(two_factor, "_clock", lambda: now[0])
    return now


def code_at(secret: str, at: float) -> str:
    return pyotp.TOTP(secret).at(at)


def enrol(store: Store, actor: Actor, throttle: LoginThrottle) -> tuple[str, list[str]]:
    enrolment = two_factor.start_enrolment(store, actor, "ann")
    codes = two_factor.confirm_enrolment(
        store, actor, throttle, "ann", code_at(enrolment.secret, T0)
    )
    return enrolment.secret, codes


def test_enrolment_needs_a_first_code_and_hands_out_recovery_codes(
    store: Store, ann: Actor, clock: list[float]
) -> None:
    throttle = LoginThrottle()
    enrolment = two_factor.start_enrolment(store, ann, "ann")
    assert enrolment.uri.startswith("otpauth://totp/edgewise:ann?secret=")
    assert len(enrolment.secret) == 32 and enrolment.secret not in repr(enrolment)
    again = two_factor.pending_enrolment(store, ann, "ann")
    assert again is not None and again.secret == enrolment.secret  # the page shows it again
    assert two_factor.status(store, ann.require_user()) == two_factor.TwoFactorStatus(
        False, True, 0
    )
    with pytest.raises(CodeError):
        two_factor.confirm_enrolment(store, ann, throttle, "ann", "000000")
    with pytest.raises(CodeError):  # a code of a time long gone
        two_factor.confirm_enrolment(
            store, ann, throttle, "ann", code_at(enrolment.secret, T0 - 300)
        )
    codes = two_factor.confirm_enrolment(store, ann, throttle, "ann", code_at(enrolment.secret, T0))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(len(c) == 11 and c[5] == "-" for c in codes)
    hashes = [c.code_hash for c in store.totp.unused_codes(ann.require_user())]
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(c.replace("-", "") in h for c in codes for h in hashes)
    assert two_factor.status(store, ann.require_user()).on
    assert two_factor.pending_enrolment(store, ann, "ann") is None
    with pytest.raises(TwoFactorStateError):
        two_factor.start_enrolment(store, ann, "ann")


def test_sign_in_asks_for_a_code_that_works_once(
    store: Store, users: dict[str, UserRecord], ann: Actor, clock: list[float]
) -> None:
    throttle = LoginThrottle()
    secret, _ = enrol(store, ann, throttle)
    result = accounts.sign_in(store, throttle, "ann", PASSWORD, "192.0.2.1")
    assert result.needs_code and result.user is not None
    user = users["ann"]
    used = code_at(secret, T0)  # the enrolment took this step
    assert two_factor.sign_in_code(store, throttle, user, used, "192.0.2.1").refused == "wrong"
    clock[0] = T0 + 31
    fresh = code_at(secret, clock[0])
    assert two_factor.sign_in_code(store, throttle, user, fresh, "192.0.2.1").user == user
    replay = two_factor.sign_in_code(store, throttle, user, fresh, "192.0.2.1")
    assert replay.user is None and replay.refused == "wrong"  # within its 30 s: refused
    clock[0] = T0 + 61
    drift = code_at(secret, T0 + 91)  # the phone's clock 30 s ahead: accepted
    assert two_factor.sign_in_code(store, throttle, user, drift, "192.0.2.1").user == user
    details = [d for (_, a, _, _, d) in rows(store) if a == "login"]
    assert details == [
        "password_ok code_needed",
        "failed wrong_code",
        "succeeded",
        "failed wrong_code",
        "succeeded",
    ]
    assert not any(secret in str(r) or fresh in str(r) for r in rows(store))


def test_a_recovery_code_signs_in_once(
    store: Store, users: dict[str, UserRecord], ann: Actor, clock: list[float]
) -> None:
    throttle = LoginThrottle()
    _, codes = enrol(store, ann, throttle)
    user = users["ann"]
    typed = " " + codes[3].upper().replace("-", " ") + " "  # case and spaces do not matter
    assert two_factor.sign_in_code(store, throttle, user, typed, "192.0.2.1").user == user
    assert two_factor.sign_in_code(store, throttle, user, codes[3], "192.0.2.1").user is None
    assert two_factor.status(store, user.id).recovery_codes_left == 9
    assert (user.id, "update", "user", user.id, "recovery_code_used remaining=9") in rows(store)


def test_wrong_codes_pause_sign_in_like_passwords(
    store: Store, users: dict[str, UserRecord], ann: Actor, clock: list[float]
) -> None:
    throttle = LoginThrottle(limit=3)
    secret, _ = enrol(store, ann, throttle)
    user = users["ann"]
    for _ in range(3):
        assert accounts.sign_in(store, throttle, "ann", PASSWORD, "192.0.2.1").needs_code
        assert two_factor.sign_in_code(store, throttle, user, "123456", "192.0.2.1").user is None
    # the password alone does not reset the count, and a right code is not even checked
    assert accounts.sign_in(store, throttle, "ann", PASSWORD, "192.0.2.1").refused == "paused"
    right = code_at(secret, T0 + 30)
    assert two_factor.sign_in_code(store, throttle, user, right, "192.0.2.1").refused == "paused"
    assert rows(store)[-1][4] == "failed wrong_code paused"  # paused tries write no row
    # the same account from another address is not paused
    assert two_factor.sign_in_code(store, throttle, user, right, "192.0.2.9").user == user


def test_account_page_codes_are_throttled_too(store: Store, ann: Actor, clock: list[float]) -> None:
    throttle = LoginThrottle(limit=2)
    enrol(store, ann, throttle)
    for _ in range(2):
        with pytest.raises(CodeError):
            two_factor.disable(store, ann, throttle, "ann", "000000")
    with pytest.raises(CodesPausedError) as paused:
        two_factor.disable(store, ann, throttle, "ann", "000000")
    assert paused.value.code == "E448" and paused.value.entry.http_status == 429


def test_turned_off_with_a_code_and_new_recovery_codes(
    store: Store, ann: Actor, clock: list[float]
) -> None:
    throttle = LoginThrottle()
    secret, old = enrol(store, ann, throttle)
    clock[0] = T0 + 30
    new = two_factor.new_recovery_codes(store, ann, throttle, "ann", code_at(secret, clock[0]))
    assert set(new).isdisjoint(old)
    with pytest.raises(CodeError):  # an old recovery code no longer works
        two_factor.disable(store, ann, throttle, "ann", old[0])
    two_factor.disable(store, ann, throttle, "ann", new[0])
    assert not two_factor.is_on(store, ann.require_user())
    with pytest.raises(TwoFactorStateError):
        two_factor.disable(store, ann, throttle, "ann", new[1])
    details = [d for (_, a, _, _, d) in rows(store) if a == "update"]
    assert details == ["totp_started", "totp_enabled", "recovery_codes_replaced", "totp_disabled"]


def test_reset_by_an_admin_or_the_operator(
    store: Store, users: dict[str, UserRecord], ann: Actor, bob: Actor, clock: list[float]
) -> None:
    throttle = LoginThrottle()
    two_factor.start_enrolment(store, bob, "bob")
    secret = store.totp.get_factor(users["bob"].id)
    assert secret is not None
    two_factor.confirm_enrolment(store, bob, throttle, "bob", code_at(secret.secret, T0))
    with pytest.raises(NotFoundError):  # bob is no admin (ann, the first account, is)
        two_factor.reset(store, bob, users["ann"])
    with pytest.raises(TwoFactorStateError):
        two_factor.reset(store, ann, users["ann"])  # her own: on her account page
    two_factor.reset(store, ann, users["bob"])
    assert not two_factor.is_on(store, users["bob"].id)
    with pytest.raises(TwoFactorStateError, match="not on for bob"):
        two_factor.reset(store, OPERATOR, users["bob"])
    assert (ann.user_id, "update", "user", users["bob"].id, "totp_reset") in rows(store)
    # signing in is one step again
    assert accounts.sign_in(store, throttle, "bob", PASSWORD, "192.0.2.2").user is not None
