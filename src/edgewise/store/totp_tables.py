"""The second factor's tables (revision 0013): TOTP secrets and one-time recovery codes.

* ``totp_factors``: one row per account that has started or finished enrolling. The
  shared secret is sealed at rest (EncryptedText: whoever copies the database cannot
  make codes); ``confirmed_at`` is set once the user typed a first code (until then the
  factor is pending and sign-in does not ask for it). ``last_step`` is the TOTP time
  step of the last code accepted: a code is taken only for a later step, so none is
  used twice.
* ``recovery_codes``: the argon2id hash of each one-time recovery code and when it was
  used (a used code is kept, refused, and counted as used).

Gone with the user row (ON DELETE CASCADE); removing an account deletes them too.
Imported by :mod:`edgewise.store.tables`, so ``Base.metadata`` holds them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from edgewise.store.crypto import EncryptedText
from edgewise.store.tables import Base

__all__ = ["RecoveryCode", "TotpFactor"]


class TotpFactor(Base):
    """An account's TOTP secret (sealed), pending until a first code confirms it."""

    __tablename__ = "totp_factors"

    #: Its own id, as every table with a sealed column has (key rotation walks by id).
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    #: Encrypted at rest: the base32 shared secret.
    secret: Mapped[str] = mapped_column(EncryptedText("totp_factors.secret"))
    created_at: Mapped[dt.datetime]
    confirmed_at: Mapped[dt.datetime | None]
    #: The time step (Unix time // 30) of the last code accepted; None before the first.
    last_step: Mapped[int | None] = mapped_column(Integer)


class RecoveryCode(Base):
    """One one-time recovery code of an account: its argon2id hash, and when it was used."""

    __tablename__ = "recovery_codes"
    __table_args__ = (Index(None, "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime]
    used_at: Mapped[dt.datetime | None]
