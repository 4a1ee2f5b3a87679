"""The password rule: long enough, not common, not the username; errors never quote it."""

from __future__ import annotations

import pytest

from edgewise.services.passwords import (
    CommonPasswordError,
    PasswordError,
    PasswordHasUsernameError,
    PasswordLengthError,
    check_password,
    common_passwords,
)


@pytest.mark.parametrize(
    ("password", "error"),
    [
        ("12345678", PasswordLengthError),
        ("short one", PasswordLengthError),
        ("x" * 1025, PasswordLengthError),
        ("123456789012", CommonPasswordError),
        ("password1234", CommonPasswordError),
        ("Password123!", CommonPasswordError),
        ("!!iloveyou2024", CommonPasswordError),
        ("pass word 1234", CommonPasswordError),
        ("trustno1trustno1", CommonPasswordError),
        ("aaaaaaaaaaaa", CommonPasswordError),
        ("121212121212", CommonPasswordError),
        ("QWERTYUIOPAS", CommonPasswordError),
        ("lkjhgfdsapoi", CommonPasswordError),
        ("casey-the-clinician", PasswordHasUsernameError),
        ("my name is CASEY ok", PasswordHasUsernameError),
    ],
)
def test_weak_passwords_are_refused(password: str, error: type[PasswordError]) -> None:
    with pytest.raises(error) as refused:
        check_password(password, "Casey")
    message = refused.value.render()
    assert message.startswith(refused.value.code + " ") and password not in message
    assert refused.value.code in {"E321", "E322", "E323"}


@pytest.mark.parametrize(
    "password",
    ["correct horse battery", "plum tractor ocean", "x" * 11 + "y3z!Q", "é" * 6 + "日本語とても"],
)
def test_strong_passwords_pass(password: str) -> None:
    check_password(password, "casey")


def test_a_short_username_is_refused_only_whole() -> None:
    check_password("jo walks the dog", "jo")  # "jo" inside is fine
    with pytest.raises(PasswordHasUsernameError):
        check_password("ab" * 7, "ab" * 7)


def test_the_shipped_list() -> None:
    words = common_passwords()
    assert len(words) == 10_000
    assert {"123456", "password", "qwerty", "iloveyou"} <= words
    assert not any(word.startswith("#") or word != word.strip() for word in words)
