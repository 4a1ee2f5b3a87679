"""Supervision: a colleague the client is shared with (a supervisor, usually read only)
comments on a session's turn or key moment; the clinician sees and answers.

Rules are the store's (:mod:`edgewise.store.supervision`): threads are read by their
author and the client's clinician only. Here the turn is checked against the transcript
(E452 for a turn the session lacks) and a moment against the analysis (E490 for a kind
that is not a key moment at that turn). Audit rows carry ids only: ``view`` of
``supervision_comment`` (``session=ID n=COUNT``), ``create`` (``session=ID``, or
``answer thread=ID``), ``delete``, ``export`` (``client=ID n=COUNT``, the comments and
answers an export asked for); the turns read are a ``view`` of the ``session``.
"""

from __future__ import annotations

from dataclasses import dataclass

from edgewise.analysis.results import KeyMoment
from edgewise.domain import Utterance
from edgewise.journal import TurnNotFoundError, Vocabulary
from edgewise.services.actor import Actor, record
from edgewise.services.clients import find_client
from edgewise.services.journal import list_entries, vocabulary_for
from edgewise.services.sessions import find_session
from edgewise.services.stored import load_stored, load_transcript
from edgewise.store import SessionRecord, Store
from edgewise.store.journal_records import JournalEntryRecord
from edgewise.store.supervision import CommentRecord, SupervisionError, ThreadRecord

__all__ = [
    "SessionSupervision",
    "answer",
    "comment",
    "delete_comment",
    "export_threads",
    "get_comment",
    "list_threads",
    "session_supervision",
    "thread_json",
]


@dataclass(frozen=True)
class SessionSupervision:
    """A session's supervision page as one user sees it: the threads they may read, the
    turns and key moments to comment on, and the journal entries shared with them."""

    session_id: int
    client_id: int
    number: int
    clinician: bool
    threads: tuple[ThreadRecord, ...]
    turns: tuple[Utterance, ...]
    moments: tuple[KeyMoment, ...]
    entries: tuple[JournalEntryRecord, ...]
    vocabulary: Vocabulary

    @property
    def can_comment(self) -> bool:
        """A colleague the client is shared with starts threads; the clinician answers."""
        return not self.clinician

    def __repr__(self) -> str:  # turns and comments are health information
        return f"SessionSupervision(session_id={self.session_id}, threads={len(self.threads)})"


def list_threads(store: Store, actor: Actor, session_id: int) -> list[ThreadRecord]:
    """The session's threads the actor may read, audited."""
    threads = store.supervision.list_threads(actor.require_user(), session_id)
    detail = f"session={session_id} n={len(threads)}"
    record(store, actor, "view", "supervision_comment", None, detail)
    return threads


def session_supervision(store: Store, actor: Actor, session_id: int) -> SessionSupervision:
    """The supervision page of a session the actor may see (E301 otherwise)."""
    row = find_session(store, actor, session_id, with_transcript=True)
    client = find_client(store, actor, row.client_id)
    threads = list_threads(store, actor, session_id)
    session = load_transcript(row.transcript or "", row.id)
    record(store, actor, "view", "session", row.id)
    entries = list_entries(store, actor, session_id)
    return SessionSupervision(
        session_id=row.id,
        client_id=row.client_id,
        number=row.number,
        clinician=client.owner_id == actor.require_user(),
        threads=tuple(threads),
        turns=session.utterances,
        moments=_moments(row),
        entries=tuple(entries),
        vocabulary=vocabulary_for(store, actor.require_user()),
    )


def _moments(row: SessionRecord) -> tuple[KeyMoment, ...]:
    if row.status != "done" or row.analysis_json is None:
        return ()
    return load_stored(row.analysis_json, row.id).analysis.key_moments


def comment(
    store: Store,
    actor: Actor,
    session_id: int,
    text: str,
    turn: int,
    *,
    moment: str | None = None,
) -> CommentRecord:
    """Start a thread on turn ``turn`` (index from 0) of the session, or on the key moment
    of kind ``moment`` at that turn."""
    row = find_session(store, actor, session_id, with_transcript=True)
    turns = len(load_transcript(row.transcript or "", row.id).utterances)
    if not 0 <= turn < turns:
        raise TurnNotFoundError(f"session {session_id} has turns 1 to {turns}")
    if moment is not None and not any(m.kind == moment and m.index == turn for m in _moments(row)):
        raise SupervisionError(f"session {session_id} has no such key moment at turn {turn + 1}")
    saved = store.supervision.start_thread(
        actor.require_user(), session_id, turn, text, moment_kind=moment
    )
    record(store, actor, "create", "supervision_comment", saved.id, f"session={session_id}")
    return saved


def get_comment(store: Store, actor: Actor, comment_id: int) -> CommentRecord:
    """One comment or answer the actor may read (E301 otherwise), audited."""
    found = store.supervision.get_comment(actor.require_user(), comment_id)
    record(store, actor, "view", "supervision_comment", found.id)
    return found


def answer(store: Store, actor: Actor, comment_id: int, text: str) -> CommentRecord:
    """Answer the thread of ``comment_id`` (its author or the client's clinician)."""
    saved = store.supervision.answer(actor.require_user(), comment_id, text)
    detail = f"answer thread={saved.thread_id}"
    record(store, actor, "create", "supervision_comment", saved.id, detail)
    return saved


def delete_comment(store: Store, actor: Actor, comment_id: int) -> CommentRecord:
    """Remove the actor's own comment (a thread with its answers)."""
    gone = store.supervision.delete_comment(actor.require_user(), comment_id)
    record(store, actor, "delete", "supervision_comment", comment_id)
    return gone


def export_threads(store: Store, actor: Actor, client_id: int) -> list[dict[str, object]]:
    """The threads on the client's sessions the actor may read (their own as a supervisor;
    every thread on their own client as its clinician), for an export that asked for them;
    audited as an ``export`` of ``supervision_comment`` (E301 for a client they may not
    see). Turns are numbered from 1, as on the pages."""
    user_id = actor.require_user()
    threads = store.supervision.list_client_threads(user_id, client_id)
    numbers = {s.id: s.number for s in store.list_sessions(user_id, client_id)}
    count = sum(1 + len(t.answers) for t in threads)
    record(store, actor, "export", "supervision_comment", None, f"client={client_id} n={count}")
    return [thread_json(t, numbers.get(t.comment.session_id)) for t in threads]


def thread_json(thread: ThreadRecord, session_number: int | None) -> dict[str, object]:
    """A thread as the JSON of exports and ``edgewise supervision list --json`` (turns from
    1; the answers oldest first)."""
    c = thread.comment
    return {
        **_comment_json(c),
        "session_id": c.session_id,
        "session_number": session_number,
        "turn": None if c.turn_index is None else c.turn_index + 1,
        "moment": c.moment_kind,
        "answers": [_comment_json(a) for a in thread.answers],
    }


def _comment_json(comment: CommentRecord) -> dict[str, object]:
    return {
        "id": comment.id,
        "author": comment.author,
        "text": comment.body,
        "created_at": comment.created_at.isoformat(),
    }
