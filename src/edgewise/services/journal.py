"""The internal-signals journal: the vocabulary a clinician uses, entries noted per
session (optionally pinned to a turn), sharing one, and a clinician's own definitions.

Privacy: an entry is read by its author, and by others who may see the client only once
the author has shared it (:mod:`edgewise.store.journal`). Every read and write is audited
here: ``view`` of ``journal_entry`` (the session listed, or the entry), ``create``,
``update`` (shared or made private, ``shared=1``/``shared=0``), ``delete``; ``create`` of
a ``journal_definition``. Audit rows carry ids and counts, never a note's words.
"""

from __future__ import annotations

from dataclasses import dataclass

from edgewise.domain import Utterance
from edgewise.journal import (
    Exercise,
    JournalConflictError,
    JournalEntryError,
    JournalFileError,
    TurnNotFoundError,
    Vocabulary,
    extend,
    shipped_exercises,
    shipped_vocabulary,
)
from edgewise.services.actor import Actor, record
from edgewise.services.sessions import find_session
from edgewise.services.stored import load_transcript
from edgewise.store import ConflictError, InvalidRecordError, NotFoundError, Store
from edgewise.store.journal import MAX_TEXT, NewEntry
from edgewise.store.journal_records import (
    DefinitionKind,
    JournalDefinitionRecord,
    JournalEntryRecord,
)

__all__ = [
    "SessionJournal",
    "add_definition",
    "add_entry",
    "delete_entry",
    "exercises_for",
    "export_entries",
    "get_entry",
    "list_entries",
    "session_journal",
    "set_shared",
    "vocabulary_for",
]


def vocabulary_for(store: Store, user_id: int) -> Vocabulary:
    """The shipped vocabulary extended by the clinician's own files, oldest first."""
    vocabulary = shipped_vocabulary()
    for found in store.journal.list_definitions(user_id, "vocabulary"):
        try:
            extra = Vocabulary.model_validate_json(found.body)
            vocabulary = extend(vocabulary, extra)
        except (ValueError, JournalFileError):
            continue  # a definition that no longer fits is left out, not fatal
    return vocabulary


def exercises_for(store: Store, user_id: int) -> dict[str, Exercise]:
    """The shipped exercises and the clinician's own (the newest version of each key)."""
    found = {e.key: e for e in shipped_exercises()}
    for own in store.journal.list_definitions(user_id, "exercise"):
        try:
            exercise = Exercise.model_validate_json(own.body)
        except ValueError:
            continue
        found[exercise.key] = exercise
    return found


def add_definition(
    store: Store, actor: Actor, user_id: int, definition: Vocabulary | Exercise
) -> JournalDefinitionRecord:
    """Keep a clinician's own vocabulary extension or exercise (E453 if it exists, or if a
    vocabulary redefines a signal they already have, or an exercise a shipped key)."""
    kind: DefinitionKind
    if isinstance(definition, Vocabulary):
        try:
            extend(vocabulary_for(store, user_id), definition)  # a clash, before saving
        except JournalFileError as exc:
            raise JournalConflictError(exc.message) from None
        kind, key = "vocabulary", definition.id
    else:
        if definition.key in {e.key for e in shipped_exercises()}:
            raise JournalConflictError(f"exercise {definition.key!r} is shipped with edgewise")
        kind, key = "exercise", definition.key
    try:
        saved = store.journal.add_definition(
            user_id, kind, key, definition.version, definition.model_dump_json()
        )
    except ConflictError:
        raise JournalConflictError(f"{kind} {key!r} version {definition.version} exists") from None
    record(store, actor, "create", "journal_definition", saved.id)
    return saved


@dataclass(frozen=True)
class SessionJournal:
    """A session's journal as one clinician sees it: the entries they may read, the
    session's turns (for pinning) and the vocabulary."""

    session_id: int
    client_id: int
    number: int
    entries: tuple[JournalEntryRecord, ...]
    turns: tuple[Utterance, ...]
    vocabulary: Vocabulary

    def __repr__(self) -> str:  # turns and notes are health information
        return f"SessionJournal(session_id={self.session_id}, entries={len(self.entries)})"


def list_entries(store: Store, actor: Actor, session_id: int) -> list[JournalEntryRecord]:
    """The entries of a session the actor may read (their own and those shared), audited."""
    user_id = actor.require_user()
    find_session(store, actor, session_id)
    entries = store.journal.list_entries(user_id, session_id=session_id)
    record(store, actor, "view", "journal_entry", None, f"session={session_id} n={len(entries)}")
    return entries


def session_journal(store: Store, actor: Actor, session_id: int) -> SessionJournal:
    """The session's journal page: entries, turns and vocabulary (one audit row)."""
    row = find_session(store, actor, session_id, with_transcript=True)
    session = load_transcript(row.transcript or "", row.id)
    entries = list_entries(store, actor, session_id)
    return SessionJournal(
        session_id=row.id,
        client_id=row.client_id,
        number=row.number,
        entries=tuple(entries),
        turns=session.utterances,
        vocabulary=vocabulary_for(store, actor.require_user()),
    )


def add_entry(
    store: Store,
    actor: Actor,
    session_id: int,
    kind: str,
    signal: str,
    intensity: int,
    *,
    turn: int | None = None,
    note: str | None = None,
) -> JournalEntryRecord:
    """Note a signal in a session. ``turn`` is the turn's index from 0 (None: the session
    as a whole). E451 for a signal not in the actor's vocabulary, an intensity outside
    1-5 or a note over the limit; E452 for a turn the session lacks; E301 for a session
    the actor may not see."""
    user_id = actor.require_user()
    vocabulary = vocabulary_for(store, user_id)
    if vocabulary.find(kind, signal) is None:
        raise JournalEntryError(f"signal {kind}.{signal} is not in the vocabulary")
    if not 1 <= intensity <= 5:
        raise JournalEntryError("intensity is 1 to 5")
    if note is not None and len(note) > MAX_TEXT:
        raise JournalEntryError(f"the note is longer than {MAX_TEXT:,} characters")
    row = find_session(store, actor, session_id, with_transcript=turn is not None)
    if turn is not None:
        turns = len(load_transcript(row.transcript or "", row.id).utterances)
        if not 0 <= turn < turns:
            raise TurnNotFoundError(f"session {session_id} has turns 1 to {turns}")
    entry = NewEntry(kind, signal, vocabulary.version, intensity, turn_index=turn, note=note)
    try:
        saved = store.journal.add_entry(user_id, session_id, entry)
    except InvalidRecordError as exc:
        raise JournalEntryError(exc.message) from None
    record(store, actor, "create", "journal_entry", saved.id, f"session={session_id}")
    return saved


def set_shared(store: Store, actor: Actor, entry_id: int, shared: bool) -> JournalEntryRecord:
    """Share the actor's own entry with whoever may see the client, or take it back."""
    saved = store.journal.set_shared(actor.require_user(), entry_id, shared)
    record(store, actor, "update", "journal_entry", entry_id, f"shared={int(shared)}")
    return saved


def delete_entry(store: Store, actor: Actor, entry_id: int) -> None:
    """Remove the actor's own entry (E301 for anyone else's)."""
    store.journal.delete_entry(actor.require_user(), entry_id)
    record(store, actor, "delete", "journal_entry", entry_id)


def get_entry(store: Store, actor: Actor, entry_id: int) -> JournalEntryRecord:
    """One entry the actor may read (E301 otherwise), audited."""
    found = store.journal.get_entry(actor.require_user(), entry_id)
    if found is None:
        raise NotFoundError(f"no journal entry {entry_id}")
    record(store, actor, "view", "journal_entry", entry_id)
    return found


def export_entries(
    store: Store, actor: Actor, client_id: int, vocabulary: Vocabulary | None = None
) -> list[dict[str, object]]:
    """The client's entries the actor may read, for an export that asked for them
    (audited as an ``export`` of ``journal_entry``)."""
    user_id = actor.require_user()
    entries = store.journal.list_entries(user_id, client_id=client_id)
    words = vocabulary or vocabulary_for(store, user_id)
    record(store, actor, "export", "journal_entry", None, f"client={client_id} n={len(entries)}")
    return [_entry_json(e, words) for e in entries]


def _entry_json(entry: JournalEntryRecord, vocabulary: Vocabulary) -> dict[str, object]:
    return {
        "id": entry.id,
        "author": entry.author,
        "session_id": entry.session_id,
        "session_number": entry.session_number,
        "turn": None if entry.turn_index is None else entry.turn_index + 1,
        "kind": entry.kind,
        "signal": entry.signal,
        "label": vocabulary.label(entry.kind, entry.signal),
        "vocabulary_version": entry.vocabulary_version,
        "intensity": entry.intensity,
        "note": entry.note,
        "shared": entry.shared,
        "created_at": entry.created_at.isoformat(),
    }
