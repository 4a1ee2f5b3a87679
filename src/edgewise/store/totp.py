"""Second factors: an account's TOTP secret (sealed at rest) and its recovery codes.

Only hashes of the recovery codes are stored. Taking a code is one conditional UPDATE
(the time step must be later than the last one taken; a recovery code must be unused), so
two requests racing with the same code never both succeed, on SQLite and PostgreSQL.
Auditing is the services' (:mod:`edgewise.services.two_factor`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import CursorResult, Update, delete, or_, select, update
from sqlalchemy.orm import Session

from edgewise.store.base import StoreBase, now
from edgewise.store.errors import ConflictError, NotFoundError
from edgewise.store.tables import User
from edgewise.store.totp_tables import RecoveryCode, TotpFactor

__all__ = ["StoredCode", "TotpFactorRecord", "TotpRepository"]


@dataclass(frozen=True, slots=True)
class TotpFactorRecord:
    """An account's TOTP factor: ``confirmed`` once a first code was typed."""

    user_id: int
    secret: str = field(repr=False)
    created_at: dt.datetime
    confirmed_at: dt.datetime | None
    last_step: int | None

    @property
    def confirmed(self) -> bool:
        """Whether sign-in asks for a code (a pending factor does not count)."""
        return self.confirmed_at is not None


@dataclass(frozen=True, slots=True)
class StoredCode:
    """An unused recovery code: its id and argon2id hash."""

    id: int
    code_hash: str = field(repr=False)


def _changed(s: Session, statement: Update) -> int:
    """How many rows ``statement`` changed."""
    result = cast(CursorResult[Any], s.execute(statement))
    return int(result.rowcount)


def _record(row: TotpFactor) -> TotpFactorRecord:
    return TotpFactorRecord(
        row.user_id, row.secret, row.created_at, row.confirmed_at, row.last_step
    )


class TotpRepository(StoreBase):
    """TOTP factors and recovery codes, per account; reached as ``store.totp``."""

    def get_factor(self, user_id: int) -> TotpFactorRecord | None:
        """The account's factor, pending or confirmed, or None."""
        with self._read() as s:
            row = self._factor(s, user_id)
            return None if row is None else _record(row)

    def start_factor(self, user_id: int, secret: str) -> TotpFactorRecord:
        """Keep ``secret`` as the account's pending factor (replacing a pending one);
        ConflictError when a confirmed factor is there already."""
        with self._write() as s:
            if s.get(User, user_id) is None:
                raise NotFoundError(f"no user {user_id}")
            row = self._factor(s, user_id, lock=True)
            if row is not None and row.confirmed_at is not None:
                raise ConflictError("two-factor sign-in is on already")
            if row is None:
                row = TotpFactor(user_id=user_id, created_at=now())
                s.add(row)
            row.secret, row.created_at, row.last_step = secret, now(), None
            s.flush()
            return _record(row)

    def confirm_factor(self, user_id: int, step: int, code_hashes: Sequence[str]) -> None:
        """Turn the pending factor on, taking the time step of the code that confirmed it,
        and replace the recovery codes with ``code_hashes``, in one transaction;
        ConflictError unless a pending factor is there."""
        confirm = (
            update(TotpFactor)
            .where(TotpFactor.user_id == user_id, TotpFactor.confirmed_at.is_(None))
            .values(confirmed_at=now(), last_step=step)
        )
        with self._write() as s:
            if _changed(s, confirm) != 1:
                raise ConflictError("no two-factor enrolment is pending")
            self._replace_codes(s, user_id, code_hashes)

    def claim_step(self, user_id: int, step: int) -> bool:
        """Take time step ``step`` of the confirmed factor if it is later than the last one
        taken; False when it is not (the code was used, or an older one) or no factor."""
        claim = (
            update(TotpFactor)
            .where(
                TotpFactor.user_id == user_id,
                TotpFactor.confirmed_at.is_not(None),
                or_(TotpFactor.last_step.is_(None), TotpFactor.last_step < step),
            )
            .values(last_step=step)
        )
        with self._write() as s:
            return _changed(s, claim) == 1

    def remove_factor(self, user_id: int) -> bool:
        """Delete the account's factor and recovery codes; whether a confirmed factor went."""
        with self._write() as s:
            row = self._factor(s, user_id, lock=True)
            was_on = row is not None and row.confirmed_at is not None
            self.delete_all(s, user_id)
            return was_on

    def unused_codes(self, user_id: int) -> list[StoredCode]:
        """The account's recovery codes not used yet, oldest first."""
        query = (
            select(RecoveryCode.id, RecoveryCode.code_hash)
            .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
            .order_by(RecoveryCode.id)
        )
        with self._read() as s:
            return [StoredCode(code_id, code_hash) for code_id, code_hash in s.execute(query)]

    def use_code(self, user_id: int, code_id: int) -> bool:
        """Mark the recovery code used; False when it was used already (or is not theirs)."""
        use = (
            update(RecoveryCode)
            .where(
                RecoveryCode.id == code_id,
                RecoveryCode.user_id == user_id,
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=now())
        )
        with self._write() as s:
            return _changed(s, use) == 1

    def replace_codes(self, user_id: int, code_hashes: Sequence[str]) -> None:
        """New recovery codes for a confirmed factor (the old ones stop working);
        ConflictError when the account has no confirmed factor."""
        with self._write() as s:
            row = self._factor(s, user_id, lock=True)
            if row is None or row.confirmed_at is None:
                raise ConflictError("two-factor sign-in is not on")
            self._replace_codes(s, user_id, code_hashes)

    def confirmed_users(self) -> set[int]:
        """The ids of the accounts whose sign-in asks for a code."""
        query = select(TotpFactor.user_id).where(TotpFactor.confirmed_at.is_not(None))
        with self._read() as s:
            return set(s.scalars(query))

    @staticmethod
    def _factor(s: Session, user_id: int, *, lock: bool = False) -> TotpFactor | None:
        query = select(TotpFactor).where(TotpFactor.user_id == user_id)
        return s.scalar(query.with_for_update() if lock else query)

    @staticmethod
    def _replace_codes(s: Session, user_id: int, code_hashes: Sequence[str]) -> None:
        s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        stamp = now()
        s.add_all(RecoveryCode(user_id=user_id, code_hash=h, created_at=stamp) for h in code_hashes)
        s.flush()

    @staticmethod
    def delete_all(s: Session, user_id: int) -> None:
        """Delete the account's factor and recovery codes inside the transaction ``s``."""
        s.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        s.execute(delete(TotpFactor).where(TotpFactor.user_id == user_id))
