"""Account control: list, disable, enable, reset the password of and remove accounts;
a disabled account cannot sign in, its cookies and tokens stop working at once."""

from __future__ import annotations

import pytest
from tests.services.conftest import PASSWORD

from edgewise.errors import UsageError
from edgewise.services import admin, tokens
from edgewise.services.accounts import sign_in, signed_in_user, verify_password
from edgewise.services.actor import OPERATOR, Actor
from edgewise.services.throttle import LoginThrottle
from edgewise.store import NotFoundError, Store, UserRecord
from edgewise.store.errors import AccountInUseError

NEW_PASSWORD = "a different long passphrase"


def _throttle() -> LoginThrottle:
    return LoginThrottle()


def test_the_first_account_is_the_admin(users: dict[str, UserRecord]) -> None:
    assert users["ann"].is_admin and not users["bob"].is_admin


def test_list_accounts_says_who_signs_in_and_is_audited(
    store: Store, users: dict[str, UserRecord], ann: Actor
) -> None:
    assert sign_in(store, _throttle(), "bob", PASSWORD, "192.0.2.9").user is not None
    listed = {a.username: a for a in admin.list_accounts(store, ann)}
    assert set(listed) == {"ann", "bob"}
    assert listed["ann"].is_admin and listed["ann"].last_sign_in is None
    assert listed["bob"].last_sign_in is not None and not listed["bob"].disabled
    assert store.list_audit()[0].detail == "accounts"


def test_only_an_admin_or_the_operator_manages_accounts(
    store: Store, users: dict[str, UserRecord], bob: Actor
) -> None:
    for call in (
        lambda: admin.list_accounts(store, bob),
        lambda: admin.disable_user(store, bob, users["ann"]),
        lambda: admin.remove_user(store, bob, users["ann"]),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert store.get_user(users["ann"].id).active  # type: ignore[union-attr]
    assert admin.list_accounts(store, OPERATOR)


def test_a_disabled_account_is_shut_out_everywhere_at_once(
    store: Store, users: dict[str, UserRecord], ann: Actor
) -> None:
    bob = users["bob"]
    issued = tokens.issue_token(store, bob.id, "laptop", "read")
    assert tokens.authenticate(store, issued.secret) is not None
    assert signed_in_user(store, bob.id, bob.session_epoch) is not None
    admin.disable_user(store, ann, bob)
    assert signed_in_user(store, bob.id, bob.session_epoch) is None
    assert tokens.authenticate(store, issued.secret) is None
    refused = sign_in(store, _throttle(), "bob", PASSWORD, "192.0.2.9")
    wrong = sign_in(store, _throttle(), "bob", "not the password", "192.0.2.9")
    assert refused == wrong  # the same answer as a wrong password
    details = [r.detail for r in store.list_audit(record_type="user", record_id=bob.id)]
    assert details[:3] == ["failed wrong_password", "failed disabled", "disabled"]
    admin.enable_user(store, ann, bob)
    again = sign_in(store, _throttle(), "bob", PASSWORD, "192.0.2.9").user
    assert again is not None and again.session_epoch == bob.session_epoch + 1
    assert tokens.authenticate(store, issued.secret) is not None  # enabling brings them back


def test_reset_password_signs_out_and_revokes_tokens(
    store: Store, users: dict[str, UserRecord], ann: Actor
) -> None:
    bob = users["bob"]
    issued = tokens.issue_token(store, bob.id, "laptop", "write")
    updated = admin.reset_password(store, ann, bob, NEW_PASSWORD)
    assert verify_password(updated.password_hash, NEW_PASSWORD)
    assert signed_in_user(store, bob.id, bob.session_epoch) is None
    assert tokens.authenticate(store, issued.secret) is None
    assert store.list_audit(record_type="user")[0].detail == "password_reset"
    temporary = admin.temporary_password()
    admin.reset_password(store, ann, bob, temporary)
    assert sign_in(store, _throttle(), "bob", temporary, "192.0.2.9").user is not None


def test_an_admin_cannot_lock_themselves_out(
    store: Store, users: dict[str, UserRecord], ann: Actor
) -> None:
    for call in (admin.disable_user, admin.remove_user):
        with pytest.raises(UsageError):
            call(store, ann, users["ann"])


def test_remove_is_refused_while_the_account_owns_clients(
    store: Store, users: dict[str, UserRecord], ann: Actor
) -> None:
    bob = users["bob"]
    client = store.add_client(bob.id, "Wren")
    store.share_client(bob.id, client.id, users["ann"].id)
    with pytest.raises(AccountInUseError) as refused:
        admin.remove_user(store, ann, bob)
    assert refused.value.code == "E360" and "transfer or erase" in str(refused.value)
    assert store.get_client(bob.id, client.id) is not None  # nothing deleted


def test_remove_frees_the_name_and_keeps_the_audit_trail(
    store: Store, users: dict[str, UserRecord], ann: Actor
) -> None:
    bob = users["bob"]
    client = store.add_client(users["ann"].id, "Wren")
    store.share_client(users["ann"].id, client.id, bob.id)
    issued = tokens.issue_token(store, bob.id, "laptop", "read")
    admin.remove_user(store, ann, bob)
    assert store.get_user_by_name("bob") is None
    assert [a.username for a in admin.list_accounts(store, ann)] == ["ann"]
    assert tokens.authenticate(store, issued.secret) is None
    assert store.get_client(bob.id, client.id) is None
    assert sign_in(store, _throttle(), f"removed-{bob.id}", PASSWORD, "192.0.2.9").user is None
    assert store.list_audit(user_id=bob.id)  # rows naming bob's id are all still there
    assert store.create_user("bob", "h").id != bob.id
