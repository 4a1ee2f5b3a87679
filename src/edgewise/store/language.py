"""Store methods for saved language: a clinician's own growing-edge words for a client.

A row is private to its author: only they list, read, change or remove it, unless they
``shared`` it, when whoever may see the client reads it too (never changes it). Saving
needs a client the author may add to (its owner, or a share that may write). Cited turns
must be of the client's sessions. Messages carry ids, never the words.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from edgewise.errors import InputError
from edgewise.store.base import StoreBase, now
from edgewise.store.caseload import visible_to
from edgewise.store.errors import NotFoundError, StoreError
from edgewise.store.language_tables import LANGUAGE_KINDS, SavedLanguage
from edgewise.store.tables import Client, SessionRow, User

__all__ = [
    "MAX_CITATIONS",
    "MAX_LANGUAGE_CHARS",
    "LanguageRepository",
    "NotAuthorError",
    "SavedLanguageError",
    "SavedLanguageRecord",
    "TurnRef",
]

#: The longest text a clinician may keep in one entry, and the most turns it may cite.
MAX_LANGUAGE_CHARS = 4000
MAX_CITATIONS = 20
MAX_THEME_CHARS = 200


class SavedLanguageError(InputError):
    """Saved language that cannot be stored (E460): empty, too long, bad kind or turns."""

    code = "E460"


class NotAuthorError(StoreError):
    """A shared entry changed or removed by someone other than its author (E461)."""

    code = "E461"


@dataclass(frozen=True, slots=True)
class TurnRef:
    """A cited client turn: the stored session's id and the utterance index (0-based)."""

    session_id: int
    index: int


@dataclass(frozen=True, slots=True)
class SavedLanguageRecord:
    """One entry of saved language (``body`` is the clinician's words: never logged)."""

    id: int
    author_id: int
    author: str
    client_id: int
    session_id: int | None
    kind: str
    theme: str | None
    body: str
    citations: tuple[TurnRef, ...]
    shared: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    def __repr__(self) -> str:
        return f"SavedLanguageRecord(id={self.id}, client_id={self.client_id})"


class LanguageRepository(StoreBase):
    """Saved language; held by :class:`edgewise.store.Store` as ``store.saved_language``."""

    def add_language(
        self,
        user_id: int,
        client_id: int,
        *,
        body: str,
        kind: str = "own",
        theme: str | None = None,
        session_id: int | None = None,
        citations: Sequence[TurnRef] = (),
        shared: bool = False,
    ) -> SavedLanguageRecord:
        """Keep ``body`` as ``user_id``'s language for the client (private unless ``shared``).

        NotFoundError if the client (or the session) is not one they may see,
        ReadOnlyError if the client is shared with them read-only, SavedLanguageError
        for an empty or long text, an unknown kind or a cited turn that is not a client
        turn of the client's sessions.
        """
        text = _body(body)
        if kind not in LANGUAGE_KINDS:
            raise SavedLanguageError(f"unknown kind {kind!r}: one of {', '.join(LANGUAGE_KINDS)}")
        with self._write() as s:
            self._writable_client(s, user_id, client_id)
            if session_id is not None:
                _client_session(s, client_id, session_id)
            _check_turns(s, client_id, citations)
            stamp = now()
            row = SavedLanguage(
                author_id=user_id,
                client_id=client_id,
                session_id=session_id,
                kind=kind,
                theme=_theme(theme),
                body_text=text,
                citations=_dump(citations),
                shared=shared,
                created_at=stamp,
                updated_at=stamp,
            )
            s.add(row)
            s.flush()
            return _record(row, _name(s, user_id))

    def list_language(self, user_id: int, client_id: int) -> list[SavedLanguageRecord]:
        """The client's saved language ``user_id`` may read (theirs and shared), newest first;
        NotFoundError if the client is not one they may see."""
        with self._read() as s:
            self._visible_client(s, user_id, client_id)
            rows = s.execute(
                select(SavedLanguage, User.username)
                .join(User, User.id == SavedLanguage.author_id)
                .where(SavedLanguage.client_id == client_id, _readable(user_id))
                .order_by(SavedLanguage.updated_at.desc(), SavedLanguage.id.desc())
            )
            return [_record(row, name) for row, name in rows]

    def get_language(self, user_id: int, language_id: int) -> SavedLanguageRecord:
        """One entry ``user_id`` may read, else NotFoundError."""
        with self._read() as s:
            row = self._readable_row(s, user_id, language_id)
            return _record(row, _name(s, row.author_id))

    def update_language(
        self,
        user_id: int,
        language_id: int,
        *,
        body: str | None = None,
        shared: bool | None = None,
    ) -> SavedLanguageRecord:
        """Change an entry's words or whether it is shared: its author only (NotAuthorError
        for a colleague who reads it shared; NotFoundError for anyone else)."""
        text = None if body is None else _body(body)
        with self._write() as s:
            row = self._own_row(s, user_id, language_id)
            if text is not None:
                row.body_text = text
            if shared is not None:
                row.shared = shared
            row.updated_at = now()
            s.flush()
            return _record(row, _name(s, user_id))

    def delete_language(self, user_id: int, language_id: int) -> None:
        """Remove an entry: its author only (as :meth:`update_language`)."""
        with self._write() as s:
            s.delete(self._own_row(s, user_id, language_id))

    def _readable_row(self, s: Session, user_id: int, language_id: int) -> SavedLanguage:
        row = s.scalar(
            select(SavedLanguage)
            .join(Client, Client.id == SavedLanguage.client_id)
            .where(SavedLanguage.id == language_id, visible_to(user_id), _readable(user_id))
        )
        if row is None:
            raise NotFoundError(f"no saved language {language_id} for user {user_id}")
        return row

    def _own_row(self, s: Session, user_id: int, language_id: int) -> SavedLanguage:
        row = self._readable_row(s, user_id, language_id)
        if row.author_id != user_id:
            raise NotAuthorError(f"saved language {language_id} is not user {user_id}'s")
        return row


def _readable(user_id: int) -> Any:
    """Rows ``user_id`` may read (the client's visibility is checked beside it)."""
    return or_(SavedLanguage.author_id == user_id, SavedLanguage.shared.is_(True))


def _body(body: str) -> str:
    text = body.strip()
    if not text:
        raise SavedLanguageError("the text is empty")
    if len(text) > MAX_LANGUAGE_CHARS:
        raise SavedLanguageError(f"the text is longer than {MAX_LANGUAGE_CHARS} characters")
    return text


def _theme(theme: str | None) -> str | None:
    if theme is None or not theme.strip():
        return None
    if len(theme) > MAX_THEME_CHARS:
        raise SavedLanguageError(f"the theme is longer than {MAX_THEME_CHARS} characters")
    return theme.strip()


def _client_session(s: Session, client_id: int, session_id: int) -> SessionRow:
    row = s.get(SessionRow, session_id)
    if row is None or row.client_id != client_id:
        raise NotFoundError(f"no session {session_id} of client {client_id}")
    return row


def _check_turns(s: Session, client_id: int, citations: Sequence[TurnRef]) -> None:
    """At most :data:`MAX_CITATIONS` turns, each of one of the client's sessions (whether
    it is a client turn is the service's check: it reads the transcript)."""
    if len(citations) > MAX_CITATIONS:
        raise SavedLanguageError(f"more than {MAX_CITATIONS} cited turns")
    for session_id in {c.session_id for c in citations}:
        row = s.get(SessionRow, session_id)
        if row is None or row.client_id != client_id:
            raise SavedLanguageError(f"session {session_id} is not one of client {client_id}'s")
    if any(c.index < 0 for c in citations):
        raise SavedLanguageError("a turn index starts at 0")


def _dump(citations: Sequence[TurnRef]) -> str:
    return json.dumps([{"session_id": c.session_id, "index": c.index} for c in citations])


def _load(text: str) -> tuple[TurnRef, ...]:
    return tuple(TurnRef(int(c["session_id"]), int(c["index"])) for c in json.loads(text or "[]"))


def _name(s: Session, user_id: int) -> str:
    user = s.get(User, user_id)
    return "" if user is None else user.username


def _record(row: SavedLanguage, author: str) -> SavedLanguageRecord:
    return SavedLanguageRecord(
        id=row.id,
        author_id=row.author_id,
        author=author,
        client_id=row.client_id,
        session_id=row.session_id,
        kind=row.kind,
        theme=row.theme,
        body=row.body_text,
        citations=_load(row.citations),
        shared=row.shared,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
