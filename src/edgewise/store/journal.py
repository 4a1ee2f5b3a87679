"""Store methods for the clinician's journal: signals noted, exercise answers, definitions.

Access rule: an entry is seen by its author, and by others who may see the client only
once the author has shared it; an author no longer able to see the client sees none of
their entries about it. Exercise answers and own definitions are their author's alone.
Anything a user may not see reads as missing (None, [] or NotFoundError). Auditing is
the services' (:mod:`edgewise.services.journal`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import cast

from sqlalchemy import ColumnElement, Select, and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from edgewise.store.base import StoreBase, check_json, now
from edgewise.store.caseload import visible_to
from edgewise.store.errors import ConflictError, InvalidRecordError, NotFoundError
from edgewise.store.journal_records import (
    DefinitionKind,
    ExerciseAnswerRecord,
    JournalDefinitionRecord,
    JournaledSession,
    JournalEntryRecord,
)
from edgewise.store.journal_tables import ExerciseAnswer, JournalDefinition, JournalEntry
from edgewise.store.tables import Client, SessionRow, User

__all__ = ["JournalRepository", "NewEntry"]

#: Longest note or answer kept (characters).
MAX_TEXT = 10_000


class NewEntry:
    """What a new journal entry holds (the service has checked the signal and turn)."""

    __slots__ = ("intensity", "kind", "note", "signal", "turn_index", "vocabulary_version")

    def __init__(
        self,
        kind: str,
        signal: str,
        vocabulary_version: int,
        intensity: int,
        *,
        turn_index: int | None = None,
        note: str | None = None,
    ) -> None:
        self.kind, self.signal, self.vocabulary_version = kind, signal, vocabulary_version
        self.intensity, self.turn_index, self.note = intensity, turn_index, note

    def __repr__(self) -> str:  # the note is the clinician's words: never in a repr
        return f"NewEntry({self.kind}.{self.signal})"


def _readable(user_id: int) -> ColumnElement[bool]:
    """Entries ``user_id`` may read: their own, or shared ones, of clients they may see."""
    mine_or_shared = or_(JournalEntry.author_id == user_id, JournalEntry.shared.is_(True))
    return and_(mine_or_shared, visible_to(user_id))


def _entries() -> Select[JournalEntry, str, int]:
    return (
        select(JournalEntry, User.username, SessionRow.number)
        .join(Client, Client.id == JournalEntry.client_id)
        .join(User, User.id == JournalEntry.author_id)
        .join(SessionRow, SessionRow.id == JournalEntry.session_id)
    )


def _entry_record(row: JournalEntry, author: str, number: int) -> JournalEntryRecord:
    return JournalEntryRecord(
        id=row.id,
        author_id=row.author_id,
        author=author,
        client_id=row.client_id,
        session_id=row.session_id,
        session_number=number,
        turn_index=row.turn_index,
        kind=row.kind,
        signal=row.signal,
        vocabulary_version=row.vocabulary_version,
        intensity=row.intensity,
        note=row.note_text,
        shared=row.shared,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _answer_record(row: ExerciseAnswer) -> ExerciseAnswerRecord:
    return ExerciseAnswerRecord(
        id=row.id,
        author_id=row.author_id,
        client_id=row.client_id,
        exercise_key=row.exercise_key,
        exercise_version=row.exercise_version,
        question_key=row.question_key,
        text=row.answer_text,
        answered_at=row.answered_at,
    )


def _definition_record(row: JournalDefinition) -> JournalDefinitionRecord:
    return JournalDefinitionRecord(
        id=row.id,
        owner_id=row.owner_id,
        kind=cast(DefinitionKind, row.kind),
        key=row.key,
        version=row.version,
        body=row.body,
        created_at=row.created_at,
    )


def _check_text(text: str | None, what: str) -> None:
    if text is not None and len(text) > MAX_TEXT:
        raise InvalidRecordError(f"the {what} is longer than {MAX_TEXT:,} characters")


class JournalRepository(StoreBase):
    """The journal; ``store.journal``."""

    # -- entries -----------------------------------------------------------------------------

    def add_entry(self, author_id: int, session_id: int, entry: NewEntry) -> JournalEntryRecord:
        """Note a signal in a session the author may see (NotFoundError otherwise)."""
        _check_text(entry.note, "note")
        if not 1 <= entry.intensity <= 5:
            raise InvalidRecordError("intensity is 1 to 5")
        with self._write() as s:
            session = s.get(SessionRow, session_id)
            if session is None:
                raise NotFoundError(f"no session {session_id}")
            self._visible_client(s, author_id, session.client_id)
            stamp = now()
            row = JournalEntry(
                author_id=author_id,
                client_id=session.client_id,
                session_id=session_id,
                turn_index=entry.turn_index,
                kind=entry.kind,
                signal=entry.signal,
                vocabulary_version=entry.vocabulary_version,
                intensity=entry.intensity,
                note_text=entry.note or None,
                shared=False,
                created_at=stamp,
                updated_at=stamp,
            )
            s.add(row)
            s.flush()
            return self._entry(s, author_id, row.id)

    @staticmethod
    def _entry(s: Session, user_id: int, entry_id: int) -> JournalEntryRecord:
        found = s.execute(
            _entries().where(JournalEntry.id == entry_id, _readable(user_id))
        ).one_or_none()
        if found is None:
            raise NotFoundError(f"no journal entry {entry_id}")
        row, author, number = found
        return _entry_record(row, author, number)

    def get_entry(self, user_id: int, entry_id: int) -> JournalEntryRecord | None:
        """The entry if ``user_id`` may read it."""
        with self._read() as s:
            try:
                return self._entry(s, user_id, entry_id)
            except NotFoundError:
                return None

    def list_entries(
        self,
        user_id: int,
        *,
        session_id: int | None = None,
        client_id: int | None = None,
        own_only: bool = False,
    ) -> list[JournalEntryRecord]:
        """Entries ``user_id`` may read (of one session or client), oldest first."""
        query = _entries().where(_readable(user_id))
        if session_id is not None:
            query = query.where(JournalEntry.session_id == session_id)
        if client_id is not None:
            query = query.where(JournalEntry.client_id == client_id)
        if own_only:
            query = query.where(JournalEntry.author_id == user_id)
        query = query.order_by(JournalEntry.session_id, JournalEntry.id)
        with self._read() as s:
            return [_entry_record(row, name, number) for row, name, number in s.execute(query)]

    def _own(self, s: Session, author_id: int, entry_id: int) -> JournalEntry:
        row = s.get(JournalEntry, entry_id)
        if row is None or row.author_id != author_id:
            raise NotFoundError(f"no journal entry {entry_id} of user {author_id}")
        self._visible_client(s, author_id, row.client_id)
        return row

    def set_shared(self, author_id: int, entry_id: int, shared: bool) -> JournalEntryRecord:
        """Share the author's entry with whoever may see the client, or make it private."""
        with self._write() as s:
            row = self._own(s, author_id, entry_id)
            if row.shared != shared:
                row.shared, row.updated_at = shared, now()
                s.flush()
            return self._entry(s, author_id, entry_id)

    def delete_entry(self, author_id: int, entry_id: int) -> None:
        """Remove the author's entry (NotFoundError if it is not theirs)."""
        with self._write() as s:
            s.delete(self._own(s, author_id, entry_id))

    def journaled_sessions(self, author_id: int) -> list[JournaledSession]:
        """The sessions of clients the author may see in which they noted a signal."""
        query = (
            select(
                JournalEntry.session_id,
                JournalEntry.client_id,
                JournalEntry.kind,
                JournalEntry.signal,
            )
            .join(Client, Client.id == JournalEntry.client_id)
            .where(JournalEntry.author_id == author_id, visible_to(author_id))
        )
        signals: dict[tuple[int, int], set[str]] = defaultdict(set)
        with self._read() as s:
            for session_id, client_id, kind, signal in s.execute(query):
                signals[(session_id, client_id)].add(f"{kind}.{signal}")
        return [
            JournaledSession(session_id=sid, client_id=cid, signals=frozenset(found))
            for (sid, cid), found in sorted(signals.items())
        ]

    # -- exercise answers --------------------------------------------------------------------

    def add_answer(
        self,
        author_id: int,
        client_id: int | None,
        exercise: tuple[str, int],
        question_key: str,
        text: str,
    ) -> ExerciseAnswerRecord:
        """Keep a dated answer (about a client the author may see, or in general)."""
        _check_text(text, "answer")
        with self._write() as s:
            if client_id is not None:
                self._visible_client(s, author_id, client_id)
            row = ExerciseAnswer(
                author_id=author_id,
                client_id=client_id,
                exercise_key=exercise[0],
                exercise_version=exercise[1],
                question_key=question_key,
                answer_text=text,
                answered_at=now(),
            )
            s.add(row)
            s.flush()
            return _answer_record(row)

    def list_answers(
        self, author_id: int, exercise_key: str, client_id: int | None
    ) -> list[ExerciseAnswerRecord]:
        """The author's answers to one exercise, about one client (None: in general),
        oldest first; [] for a client the author may not see."""
        query = select(ExerciseAnswer).where(
            ExerciseAnswer.author_id == author_id, ExerciseAnswer.exercise_key == exercise_key
        )
        if client_id is None:
            query = query.where(ExerciseAnswer.client_id.is_(None))
        else:
            query = query.join(Client, Client.id == ExerciseAnswer.client_id).where(
                ExerciseAnswer.client_id == client_id, visible_to(author_id)
            )
        with self._read() as s:
            rows = s.scalars(query.order_by(ExerciseAnswer.answered_at, ExerciseAnswer.id))
            return [_answer_record(row) for row in rows]

    # -- own definitions ---------------------------------------------------------------------

    def add_definition(
        self, owner_id: int, kind: DefinitionKind, key: str, version: int, body_json: str
    ) -> JournalDefinitionRecord:
        """Keep a clinician's own vocabulary or exercise; ConflictError if it exists."""
        check_json(body_json, "journal definition")
        try:
            with self._write() as s:
                row = JournalDefinition(
                    owner_id=owner_id,
                    kind=kind,
                    key=key,
                    version=version,
                    body=body_json,
                    created_at=now(),
                )
                s.add(row)
                s.flush()
                return _definition_record(row)
        except IntegrityError:
            raise ConflictError(f"{kind} {key} version {version} exists") from None

    def list_definitions(
        self, owner_id: int, kind: DefinitionKind
    ) -> list[JournalDefinitionRecord]:
        """The owner's definitions of ``kind``, by key then version."""
        query = (
            select(JournalDefinition)
            .where(JournalDefinition.owner_id == owner_id, JournalDefinition.kind == kind)
            .order_by(JournalDefinition.key, JournalDefinition.version)
        )
        with self._read() as s:
            return [_definition_record(row) for row in s.scalars(query)]
