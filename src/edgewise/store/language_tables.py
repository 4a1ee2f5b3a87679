"""The saved-language table (revision 0010): a clinician's own growing-edge language.

A row is what a clinician kept for a client, usually a draft (:mod:`edgewise.analysis.drafts`)
they edited: ``body_text`` is their words (health information), ``citations`` the client
turns the draft came from (JSON: ``[{"session_id": 3, "index": 12}, ...]``; ids and
numbers only). ``body_text`` and ``theme`` are sealed at rest (EncryptedText). Private
to ``author_id`` unless ``shared``. Imported by :mod:`edgewise.store.tables`, so
``Base.metadata`` holds it.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from edgewise.store.crypto import EncryptedText
from edgewise.store.tables import Base

__all__ = ["LANGUAGE_KINDS", "SavedLanguage"]

#: Where saved language began: a draft of each kind, or the clinician's own from scratch.
LANGUAGE_KINDS = ("double_sided", "feeling_torn", "conjecture", "own")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class SavedLanguage(Base):
    """Language for a client's growing edge that a clinician saved as their own."""

    __tablename__ = "saved_language"
    __table_args__ = (
        Index(None, "client_id", "author_id"),
        Index(None, "session_id"),
        CheckConstraint(_in("kind", LANGUAGE_KINDS), name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16))
    #: Encrypted at rest (edgewise.store.crypto): the theme's words are the client's.
    theme: Mapped[str | None] = mapped_column(EncryptedText("saved_language.theme"))
    #: Encrypted at rest (edgewise.store.crypto).
    body_text: Mapped[str] = mapped_column(EncryptedText("saved_language.body_text"))
    citations: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
