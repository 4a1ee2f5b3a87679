"""Accounts: new accounts and passwords checked before any store, signing in and out
audited the same from every interface, never a password in a row."""

from __future__ import annotations

import pytest

from edgewise.errors import UsageError
from edgewise.services import accounts
from edgewise.services.actor import OPERATOR, Actor
from edgewise.services.passwords import CommonPasswordError, PasswordHasUsernameError
from edgewise.services.throttle import LoginThrottle
from edgewise.store import ConflictError, NotFoundError, Store, UserRecord

from .conftest import PASSWORD, rows

NEW = "a brand new pass phrase"


def test_passwords_hash_with_argon2id_and_verify() -> None:
    hashed = accounts.hash_password(NEW)
    assert hashed.startswith("$argon2id$") and NEW not in hashed
    assert accounts.verify_password(hashed, NEW)
    assert not accounts.verify_password(hashed, NEW + "!")
    assert not accounts.verify_password(None, NEW)  # an unknown user never signs in
    assert not accounts.verify_password("not a hash", NEW)


@pytest.mark.parametrize(
    ("name", "password", "error"),
    [
        ("", NEW, UsageError),
        ("x" * 151, NEW, UsageError),
        ("dana", "password1234", CommonPasswordError),
        ("dana", "dana is my name", PasswordHasUsernameError),
    ],
)
def test_a_new_account_is_checked_before_any_store(
    name: str, password: str, error: type[Exception]
) -> None:
    with pytest.raises(error) as raised:
        accounts.new_account(name, password)
    assert password not in str(raised.value)


def test_a_taken_name_says_which_account_holds_it(store: Store) -> None:
    user = accounts.create_user(store, accounts.new_account(" Casey ", NEW))
    assert user.username == "Casey" and accounts.verify_password(user.password_hash, NEW)
    with pytest.raises(ConflictError, match="'Casey' exists and usernames ignore case"):
        accounts.create_user(store, accounts.new_account("casey", NEW))
    assert "password" not in repr(accounts.new_account("dana", NEW))


def test_a_new_password_signs_out_everywhere_and_is_audited(
    store: Store, users: dict[str, UserRecord]
) -> None:
    user = accounts.find_user(store, " ANN ")
    updated = accounts.set_password(store, OPERATOR, user, NEW)
    assert updated.session_epoch == user.session_epoch + 1
    assert accounts.signed_in_user(store, user.id, user.session_epoch) is None
    assert accounts.signed_in_user(store, user.id, updated.session_epoch) == updated
    assert rows(store) == [(None, "update", "user", user.id, "password_set")]
    with pytest.raises(NotFoundError):
        accounts.find_user(store, "nobody")
    with pytest.raises(PasswordHasUsernameError):
        accounts.set_password(store, OPERATOR, updated, "ann ann ann ann")


def test_every_sign_in_attempt_is_audited(store: Store, users: dict[str, UserRecord]) -> None:
    throttle = LoginThrottle(limit=2)
    ann = users["ann"].id
    assert accounts.sign_in(store, throttle, "Ann", PASSWORD, "192.0.2.1").user == users["ann"]
    assert accounts.sign_in(store, throttle, "nobody", PASSWORD, "192.0.2.1").refused == "wrong"
    assert accounts.sign_in(store, throttle, "ann", "wrong one", "192.0.2.1").refused == "wrong"
    assert accounts.sign_in(store, throttle, "ann", "wrong two", "192.0.2.1").refused == "wrong"
    paused = accounts.sign_in(store, throttle, "ann", PASSWORD, "192.0.2.1")
    assert paused.user is None and paused.refused == "paused"
    assert accounts.sign_in(store, throttle, "ann", PASSWORD, "192.0.2.9").user is not None
    assert [(r[0], r[4]) for r in rows(store)] == [
        (ann, "succeeded"),
        (None, "failed unknown_user"),
        (ann, "failed wrong_password"),
        (ann, "failed wrong_password paused"),
        (ann, "succeeded"),  # a paused attempt writes nothing; another address may sign in
    ]
    assert all(PASSWORD not in str(r) for r in rows(store))


def test_signing_out_ends_every_sign_in(store: Store, users: dict[str, UserRecord]) -> None:
    ann = users["ann"]
    accounts.sign_out(store, Actor(ann.id, "192.0.2.1"))
    assert accounts.signed_in_user(store, ann.id, ann.session_epoch) is None
    assert rows(store) == [(ann.id, "login", "user", ann.id, "signed_out")]
    with pytest.raises(ValueError):
        accounts.sign_out(store, OPERATOR)
