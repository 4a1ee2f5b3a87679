"""The optional second factor: TOTP codes (RFC 6238, an authenticator app) and one-time
recovery codes.

A user turns it on from their account: :func:`start_enrolment` keeps a new secret
(sealed at rest) as pending, the app reads it from a QR code, and :func:`confirm_enrolment`
turns it on once a first code matches, handing back ten recovery codes, shown once and
stored as argon2id hashes only. From then on signing in asks for a code after the
password (:func:`sign_in_code`). A code is taken for a time step later than the last one
taken, so none is used twice, not even within its 30 seconds; codes one step either side
of the server's clock are accepted (clock drift). A recovery code works once instead of
a code. The user turns it off with a current code (:func:`disable`); an admin, or the
operator at the command line, resets it (:func:`reset`). API tokens are not affected.

Wrong codes count on the sign-in brake (:mod:`edgewise.services.throttle`) exactly like
wrong passwords, per account and address, at sign-in and on the account page.

Audit rows: ``update``/``user`` with ``totp_started``, ``totp_enabled``,
``totp_disabled``, ``totp_reset``, ``recovery_codes_replaced``; at sign-in ``login``/
``user`` with ``succeeded`` (and an ``update`` ``recovery_code_used remaining=N`` row
when a recovery code was the second factor) or ``failed wrong_code`` (``paused`` added
when it paused sign-in). Neither codes nor secrets ever reach an error or a row.
"""

from __future__ import annotations

import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import NoReturn

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from edgewise.errors import EdgewiseError, InputError
from edgewise.services.accounts import SignIn
from edgewise.services.actor import Actor, record
from edgewise.services.admin import require_admin
from edgewise.services.throttle import LoginThrottle
from edgewise.store import ConflictError, Store, UserRecord

__all__ = [
    "ISSUER",
    "RECOVERY_CODES",
    "CodeError",
    "CodesPausedError",
    "Enrolment",
    "TwoFactorStateError",
    "TwoFactorStatus",
    "confirm_enrolment",
    "disable",
    "is_on",
    "new_recovery_codes",
    "pending_enrolment",
    "reset",
    "sign_in_code",
    "start_enrolment",
    "status",
]

#: The name authenticator apps show beside the account.
ISSUER = "edgewise"
#: Seconds per code (RFC 6238's default, what every authenticator app uses).
STEP_SECONDS = 30
#: Time steps accepted either side of the server's (clock drift between phone and server).
DRIFT_STEPS = 1
#: Recovery codes handed out at once.
RECOVERY_CODES = 10
#: Recovery codes: 10 characters of 31 (no 0/o, 1/l/i): about 49 bits each.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_CODE_CHARS = 10
#: argon2id at OWASP's minimum (19 MiB, 2 passes): a recovery code is random, not a
#: password, so the hash need not be as slow as a password's; checking all ten stays
#: about half a second (the password hasher's 64 MiB would take several).
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


class CodeError(InputError):
    """A code is wrong, expired or used already (no more is said)."""

    code = "E446"


class TwoFactorStateError(EdgewiseError):
    """Two-factor sign-in is on already, or not on (or no enrolment is pending)."""

    code = "E447"


class CodesPausedError(EdgewiseError):
    """Too many wrong codes for the account from this address: paused a while."""

    code = "E448"


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A pending secret and the ``otpauth://`` URI an authenticator app scans."""

    secret: str = field(repr=False)
    uri: str = field(repr=False)

    @property
    def grouped(self) -> str:
        """The secret in groups of four, as typed into an app by hand."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))


@dataclass(frozen=True, slots=True)
class TwoFactorStatus:
    """Whether sign-in asks for a code, whether an enrolment is pending, codes left."""

    on: bool
    pending: bool
    recovery_codes_left: int


def is_on(store: Store, user_id: int) -> bool:
    """Whether signing in to the account asks for a code."""
    factor = store.totp.get_factor(user_id)
    return factor is not None and factor.confirmed


def status(store: Store, user_id: int) -> TwoFactorStatus:
    """The account's two-factor state, for its account page."""
    factor = store.totp.get_factor(user_id)
    if factor is None:
        return TwoFactorStatus(False, False, 0)
    left = len(store.totp.unused_codes(user_id)) if factor.confirmed else 0
    return TwoFactorStatus(factor.confirmed, not factor.confirmed, left)


def _enrolment(secret: str, username: str) -> Enrolment:
    uri = pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER)
    return Enrolment(secret, uri)


def start_enrolment(store: Store, actor: Actor, username: str) -> Enrolment:
    """A new secret, kept as the actor's pending factor (replacing a pending one);
    TwoFactorStateError (E447) when it is on already."""
    user_id = actor.require_user()
    secret = pyotp.random_base32()  # 32 base32 characters: 160 bits
    try:
        store.totp.start_factor(user_id, secret)
    except ConflictError:
        raise TwoFactorStateError("two-factor sign-in is on already") from None
    record(store, actor, "update", "user", user_id, detail="totp_started")
    return _enrolment(secret, username)


def pending_enrolment(store: Store, actor: Actor, username: str) -> Enrolment | None:
    """The actor's pending enrolment (to show its QR code again), or None."""
    factor = store.totp.get_factor(actor.require_user())
    if factor is None or factor.confirmed:
        return None
    return _enrolment(factor.secret, username)


def confirm_enrolment(
    store: Store, actor: Actor, throttle: LoginThrottle, account: str, code: str
) -> list[str]:
    """Turn two-factor sign-in on if ``code`` matches the pending secret; the new
    recovery codes, to show once. CodeError (E446) for a wrong code, CodesPausedError
    (E448) while paused, TwoFactorStateError (E447) when nothing is pending."""
    user_id = actor.require_user()
    factor = store.totp.get_factor(user_id)
    if factor is None or factor.confirmed:
        raise TwoFactorStateError("no two-factor enrolment is pending; start again")
    _check_paused(throttle, account, actor)
    step = _matching_step(factor.secret, code)
    if step is None:
        _failed(throttle, account, actor)
    codes = _new_codes()
    try:
        store.totp.confirm_factor(user_id, step, [_hasher.hash(c) for c in codes])
    except ConflictError:
        raise TwoFactorStateError("no two-factor enrolment is pending; start again") from None
    throttle.succeeded(account, _address(actor))
    record(store, actor, "update", "user", user_id, detail="totp_enabled")
    return [_display(c) for c in codes]


def disable(store: Store, actor: Actor, throttle: LoginThrottle, account: str, code: str) -> None:
    """Turn two-factor sign-in off, given a current code or an unused recovery code."""
    user_id = actor.require_user()
    _require_on(store, user_id)
    _check_code(store, actor, throttle, account, code)
    store.totp.remove_factor(user_id)
    record(store, actor, "update", "user", user_id, detail="totp_disabled")


def new_recovery_codes(
    store: Store, actor: Actor, throttle: LoginThrottle, account: str, code: str
) -> list[str]:
    """Replace the actor's recovery codes (the old ones stop working), given a current
    code; the new ones, to show once."""
    user_id = actor.require_user()
    _require_on(store, user_id)
    _check_code(store, actor, throttle, account, code, recovery=False)
    codes = _new_codes()
    store.totp.replace_codes(user_id, [_hasher.hash(c) for c in codes])
    record(store, actor, "update", "user", user_id, detail="recovery_codes_replaced")
    return [_display(c) for c in codes]


def reset(store: Store, actor: Actor, user: UserRecord) -> None:
    """An admin (or the operator) turns ``user``'s second factor off, for a lost phone;
    TwoFactorStateError (E447) when it is not on. The user keeps their password."""
    require_admin(store, actor)
    if actor.user_id == user.id:
        raise TwoFactorStateError("turn your own two-factor sign-in off on your account page")
    if not store.totp.remove_factor(user.id):
        raise TwoFactorStateError(f"two-factor sign-in is not on for {user.username}")
    record(store, actor, "update", "user", user.id, detail="totp_reset")


def sign_in_code(
    store: Store, throttle: LoginThrottle, user: UserRecord, code: str, address: str
) -> SignIn:
    """The second step of signing in, after the password was right: check ``code`` (a
    current code or a recovery code) unless sign-in is paused; audited and counted like
    a password."""
    account = user.username.casefold()
    if throttle.blocked(account, address):
        return SignIn(None, "paused")
    step_taken = _take_code(store, user.id, code)
    if step_taken is None:
        paused = throttle.failed(account, address)
        detail = "failed wrong_code" + (" paused" if paused else "")
        store.audit(user.id, "login", "user", user.id, detail=detail)
        return SignIn(None, "wrong")
    throttle.succeeded(account, address)
    store.audit(user.id, "login", "user", user.id, detail="succeeded")
    if step_taken == "recovery":
        left = len(store.totp.unused_codes(user.id))
        detail = f"recovery_code_used remaining={left}"
        store.audit(user.id, "update", "user", user.id, detail=detail)
    return SignIn(user)


def _take_code(store: Store, user_id: int, code: str) -> str | None:
    """``"totp"`` or ``"recovery"`` when ``code`` is one the account may use now (and
    is now used), else None."""
    factor = store.totp.get_factor(user_id)
    if factor is None or not factor.confirmed:
        return None
    step = _matching_step(factor.secret, code)
    if step is not None:
        return "totp" if store.totp.claim_step(user_id, step) else None
    return "recovery" if _use_recovery_code(store, user_id, code) else None


def _check_code(
    store: Store,
    actor: Actor,
    throttle: LoginThrottle,
    account: str,
    code: str,
    *,
    recovery: bool = True,
) -> None:
    """Take ``code`` for the actor (a recovery code too when ``recovery``), throttled;
    CodeError or CodesPausedError when it cannot be."""
    _check_paused(throttle, account, actor)
    user_id = actor.require_user()
    factor = store.totp.get_factor(user_id)
    assert factor is not None
    step = _matching_step(factor.secret, code)
    if step is not None and store.totp.claim_step(user_id, step):
        return
    if step is None and recovery and _use_recovery_code(store, user_id, code):
        return
    _failed(throttle, account, actor)


def _require_on(store: Store, user_id: int) -> None:
    if not is_on(store, user_id):
        raise TwoFactorStateError("two-factor sign-in is not on")


def _address(actor: Actor) -> str:
    return actor.address or "local"


def _check_paused(throttle: LoginThrottle, account: str, actor: Actor) -> None:
    if throttle.blocked(account.casefold(), _address(actor)):
        raise CodesPausedError("too many wrong codes; wait a few minutes and try again")


def _failed(throttle: LoginThrottle, account: str, actor: Actor) -> NoReturn:
    """Count a wrong code and refuse it (CodeError)."""
    throttle.failed(account.casefold(), _address(actor))
    raise CodeError("the code is wrong, expired or used already")


def _clock() -> float:
    """Now, in Unix seconds (tests move it)."""
    return time.time()


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (within the drift allowed) whose code is ``code``, or None."""
    typed = "".join(code.split())
    if len(typed) != 6 or not typed.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(_clock() // STEP_SECONDS)
    found = None
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), typed):
            found = step  # no early exit: the same work whichever step matches
    return found


def _new_codes() -> list[str]:
    return [
        "".join(secrets.choice(_ALPHABET) for _ in range(_CODE_CHARS))
        for _ in range(RECOVERY_CODES)
    ]


def _display(code: str) -> str:
    half = _CODE_CHARS // 2
    return f"{code[:half]}-{code[half:]}"


def _normalised(code: str) -> str:
    return "".join(ch for ch in code.casefold() if ch.isalnum())


def _use_recovery_code(store: Store, user_id: int, code: str) -> bool:
    """Use the unused recovery code ``code`` matches; whether one did (and was free)."""
    typed = _normalised(code)
    if len(typed) != _CODE_CHARS or any(ch not in _ALPHABET for ch in typed):
        return False
    for stored in store.totp.unused_codes(user_id):
        try:
            _hasher.verify(stored.code_hash, typed)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            continue
        return store.totp.use_code(user_id, stored.id)
    return False
