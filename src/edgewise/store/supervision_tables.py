"""The supervision table (revision 0012): comments on a session's turn or key moment, and
the answers in their thread.

A row with ``thread_id`` empty starts a thread: a colleague the client is shared with
(usually a supervisor, read only) comments on a turn (``turn_index``, from 0), or on the
key moment of kind ``moment_kind`` at that turn. Rows with ``thread_id`` set answer it.
``body_text`` is sealed at rest (EncryptedText). Imported by :mod:`edgewise.store.tables`,
so ``Base.metadata`` holds it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from edgewise.store.crypto import EncryptedText
from edgewise.store.tables import Base

__all__ = ["SupervisionComment"]


class SupervisionComment(Base):
    """A supervision comment on a session's turn or moment, or an answer in its thread."""

    __tablename__ = "supervision_comments"
    __table_args__ = (
        Index(None, "session_id"),
        Index(None, "thread_id"),
        Index(None, "client_id"),
        CheckConstraint("turn_index IS NULL OR turn_index >= 0", name="turn_index"),
        CheckConstraint("(thread_id IS NULL) = (turn_index IS NOT NULL)", name="thread_or_turn"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(
        ForeignKey("supervision_comments.id", ondelete="CASCADE")
    )
    turn_index: Mapped[int | None] = mapped_column(Integer)
    moment_kind: Mapped[str | None] = mapped_column(String(24))
    #: Encrypted at rest (edgewise.store.crypto).
    body_text: Mapped[str] = mapped_column(EncryptedText("supervision_comments.body_text"))
    created_at: Mapped[dt.datetime]
