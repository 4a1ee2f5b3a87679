"""Growing-edge drafts for a stored session, and the language a clinician saves, audited.

Drafts are computed from a session's stored analysis each time they are asked for
(:func:`edgewise.analysis.drafts.session_drafts`; nothing is stored until a clinician
saves one), so reading them is reading the session: audited as a ``view`` of the
``session``. Saved language is private to its author unless shared (then whoever may
see the client reads it, only its author changes it); every read, save, change and
removal is audited on the ``saved_language`` record with ids only, never the words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from edgewise.analysis.drafts import Draft, client_drafts, session_drafts
from edgewise.services.actor import Actor, record
from edgewise.services.clients import find_client
from edgewise.services.sessions import find_session, list_sessions, read_report
from edgewise.services.stored import load_transcript
from edgewise.store import Store
from edgewise.store.language import (
    SavedLanguageError,
    SavedLanguageRecord,
    TurnRef,
)

__all__ = [
    "SessionDrafts",
    "client_language_drafts",
    "delete_language",
    "get_language",
    "list_language",
    "save_language",
    "session_language_drafts",
    "update_language",
]


@dataclass(frozen=True)
class SessionDrafts:
    """A stored session's drafts; ``None`` drafts while it has not been analysed."""

    session_id: int
    client_id: int
    status: str
    drafts: tuple[Draft, ...] | None

    def turn_refs(self, draft: Draft) -> tuple[TurnRef, ...]:
        """The draft's cited turns as stored-session references."""
        return tuple(TurnRef(self.session_id, c.index) for c in draft.citations)


def session_language_drafts(store: Store, actor: Actor, session_id: int) -> SessionDrafts:
    """The drafts for one session the actor may see (NotFoundError otherwise)."""
    row = find_session(store, actor, session_id)
    found = read_report(store, actor, session_id)
    drafts = None if found is None else session_drafts(found[1])
    return SessionDrafts(row.id, row.client_id, row.status, drafts)


def client_language_drafts(store: Store, actor: Actor, client_id: int) -> tuple[Draft, ...]:
    """Drafts across the client's analysed sessions (the latest one's, with how many
    sessions its holding-back part came back in); each session read is audited."""
    analyses = []
    for row in list_sessions(store, actor, client_id):
        if row.status == "done":
            found = read_report(store, actor, row.id)
            if found is not None:
                analyses.append(found[1])
    return client_drafts(analyses)


def save_language(
    store: Store,
    actor: Actor,
    client_id: int,
    body: str,
    *,
    kind: str = "own",
    theme: str | None = None,
    session_id: int | None = None,
    citations: Sequence[TurnRef] = (),
    shared: bool = False,
) -> SavedLanguageRecord:
    """Keep ``body`` as the actor's own language for the client (private unless shared).

    Every cited turn must be a client turn of one of the client's sessions
    (SavedLanguageError, E460, otherwise); the client must be one the actor may add to.
    """
    user_id = actor.require_user()
    find_client(store, actor, client_id)
    _check_client_turns(store, actor, client_id, citations)
    saved = store.saved_language.add_language(
        user_id,
        client_id,
        body=body,
        kind=kind,
        theme=theme,
        session_id=session_id,
        citations=citations,
        shared=shared,
    )
    record(store, actor, "create", "saved_language", saved.id, detail=f"client={client_id}")
    return saved


def list_language(store: Store, actor: Actor, client_id: int) -> list[SavedLanguageRecord]:
    """The client's saved language the actor may read: their own and what others shared."""
    found = store.saved_language.list_language(actor.require_user(), client_id)
    record(store, actor, "view", "saved_language", None, detail=f"client={client_id}")
    return found


def get_language(store: Store, actor: Actor, language_id: int) -> SavedLanguageRecord:
    """One entry the actor may read."""
    found = store.saved_language.get_language(actor.require_user(), language_id)
    record(store, actor, "view", "saved_language", found.id)
    return found


def update_language(
    store: Store,
    actor: Actor,
    language_id: int,
    *,
    body: str | None = None,
    shared: bool | None = None,
) -> SavedLanguageRecord:
    """Change the words or the sharing of the actor's own entry (NotAuthorError, E461,
    for a colleague it is shared with)."""
    found = store.saved_language.update_language(
        actor.require_user(), language_id, body=body, shared=shared
    )
    changed = ",".join(n for n, v in (("text", body), ("shared", shared)) if v is not None)
    record(store, actor, "update", "saved_language", found.id, detail=changed or None)
    return found


def delete_language(store: Store, actor: Actor, language_id: int) -> None:
    """Remove the actor's own entry."""
    store.saved_language.delete_language(actor.require_user(), language_id)
    record(store, actor, "delete", "saved_language", language_id)


def _check_client_turns(
    store: Store, actor: Actor, client_id: int, citations: Sequence[TurnRef]
) -> None:
    for session_id in sorted({c.session_id for c in citations}):
        row = find_session(store, actor, session_id, with_transcript=True)
        if row.client_id != client_id:
            raise SavedLanguageError(f"session {session_id} is not one of client {client_id}'s")
        roles = [u.role for u in load_transcript(row.transcript or "", row.id).utterances]
        for ref in citations:
            if ref.session_id == session_id and not (
                0 <= ref.index < len(roles) and roles[ref.index] == "client"
            ):
                raise SavedLanguageError(
                    f"turn {ref.index + 1} of session {session_id} is not a client turn"
                )
