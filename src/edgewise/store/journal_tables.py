"""The journal's tables (revision 0008): signals noted, exercise answers, own definitions.

Free text lives in ``*_text`` columns (the clinician's own words, health information);
everything else is ids, keys and numbers. Imported by :mod:`edgewise.store.tables`, so
the one ``Base.metadata`` holds these tables too.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column

from edgewise.store.crypto import EncryptedText
from edgewise.store.tables import Base

__all__ = ["DEFINITION_KINDS", "ExerciseAnswer", "JournalDefinition", "JournalEntry"]

#: What a clinician's own journal definition may be.
DEFINITION_KINDS = ("vocabulary", "exercise")


class JournalEntry(Base):
    """One internal signal a clinician noted in a session, optionally pinned to a turn.

    Private to ``author_id`` unless ``shared``: then whoever may see the client sees it.
    """

    __tablename__ = "journal_entries"
    __table_args__ = (
        Index(None, "author_id", "session_id"),
        Index(None, "session_id"),
        Index(None, "client_id"),
        CheckConstraint("intensity BETWEEN 1 AND 5", name="intensity"),
        CheckConstraint("turn_index IS NULL OR turn_index >= 0", name="turn_index"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    turn_index: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(48))
    signal: Mapped[str] = mapped_column(String(48))
    vocabulary_version: Mapped[int] = mapped_column(Integer)
    intensity: Mapped[int] = mapped_column(Integer)
    #: Encrypted at rest (edgewise.store.crypto; revision 0009 seals older rows).
    note_text: Mapped[str | None] = mapped_column(EncryptedText("journal_entries.note_text"))
    shared: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class ExerciseAnswer(Base):
    """One dated answer to one question of a reflective exercise (each save a new row).

    ``client_id`` None: answered in general, not about one client.
    """

    __tablename__ = "exercise_answers"
    __table_args__ = (Index(None, "author_id", "exercise_key", "client_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    exercise_key: Mapped[str] = mapped_column(String(48))
    exercise_version: Mapped[int] = mapped_column(Integer)
    question_key: Mapped[str] = mapped_column(String(48))
    #: Encrypted at rest (edgewise.store.crypto).
    answer_text: Mapped[str] = mapped_column(EncryptedText("exercise_answers.answer_text"))
    answered_at: Mapped[dt.datetime]


class JournalDefinition(Base):
    """A clinician's own signal vocabulary extension or exercise (YAML kept as JSON)."""

    __tablename__ = "journal_definitions"
    __table_args__ = (
        UniqueConstraint("owner_id", "kind", "key", "version"),
        CheckConstraint("kind IN ('vocabulary', 'exercise')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    key: Mapped[str] = mapped_column(String(64))
    version: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime]
