"""Store methods for supervision: comments on a session's turn or key moment, and answers.

Rules: a thread is started by a colleague the client is shared with (a supervisor, read
only or not), never by the client's owner (:class:`NotSupervisorError`, E491). A thread
and its answers are read by the thread's author and the client's owner (the clinician
supervised) while they may see the client, and by no one else: another colleague the
client is shared with does not see it. Either of the two answers; only a comment's author
removes it (removing a thread removes its answers). Anything a user may not read is
missing (NotFoundError). Messages carry ids, never the words; auditing is the services'.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, aliased

from edgewise.errors import InputError
from edgewise.store.base import StoreBase, now
from edgewise.store.caseload import visible_to
from edgewise.store.errors import NotFoundError, StoreError
from edgewise.store.supervision_tables import SupervisionComment
from edgewise.store.tables import Client, SessionRow, User

__all__ = [
    "MAX_COMMENT_CHARS",
    "CommentRecord",
    "NotSupervisorError",
    "SupervisionError",
    "SupervisionRepository",
    "ThreadRecord",
]

#: The longest comment or answer kept (characters).
MAX_COMMENT_CHARS = 4000
#: The longest key-moment kind a comment may name.
MAX_MOMENT_CHARS = 24


class SupervisionError(InputError):
    """A comment that cannot be stored (E490): empty or too long, a moment not at the turn."""

    code = "E490"


class NotSupervisorError(StoreError):
    """Someone who may not start, answer or remove this comment (E491)."""

    code = "E491"


@dataclass(frozen=True, slots=True)
class CommentRecord:
    """One comment (``thread_id`` None: it starts a thread) or answer; ``body`` is never
    in its repr."""

    id: int
    thread_id: int | None
    client_id: int
    session_id: int
    author_id: int
    author: str
    turn_index: int | None
    moment_kind: str | None
    body: str
    created_at: dt.datetime

    def __repr__(self) -> str:
        return f"CommentRecord(id={self.id}, session_id={self.session_id})"


@dataclass(frozen=True, slots=True)
class ThreadRecord:
    """A comment on a turn or moment and its answers, oldest first."""

    comment: CommentRecord
    answers: tuple[CommentRecord, ...]


def _readable(user_id: int, root: Any) -> ColumnElement[bool]:
    """Threads (``root`` rows, in a query joined to Client) ``user_id`` may read."""
    party = or_(root.author_id == user_id, Client.owner_id == user_id)
    return and_(party, visible_to(user_id))


def _body(text: str) -> str:
    body = text.strip()
    if not body:
        raise SupervisionError("the comment is empty")
    if len(body) > MAX_COMMENT_CHARS:
        raise SupervisionError(f"the comment is longer than {MAX_COMMENT_CHARS:,} characters")
    return body


def _record(row: SupervisionComment, author: str) -> CommentRecord:
    return CommentRecord(
        id=row.id,
        thread_id=row.thread_id,
        client_id=row.client_id,
        session_id=row.session_id,
        author_id=row.author_id,
        author=author,
        turn_index=row.turn_index,
        moment_kind=row.moment_kind,
        body=row.body_text,
        created_at=row.created_at,
    )


class SupervisionRepository(StoreBase):
    """Supervision comments; ``store.supervision``."""

    def start_thread(
        self,
        author_id: int,
        session_id: int,
        turn_index: int,
        body: str,
        *,
        moment_kind: str | None = None,
    ) -> CommentRecord:
        """Comment on a turn (or the moment at it) of a session whose client is shared with
        the author (NotFoundError if they may not see it, E491 for the client's owner)."""
        text = _body(body)
        if turn_index < 0:
            raise SupervisionError("a turn index starts at 0")
        if moment_kind is not None and not 0 < len(moment_kind) <= MAX_MOMENT_CHARS:
            raise SupervisionError("the key moment's kind is not one edgewise names")
        with self._write() as s:
            session = s.get(SessionRow, session_id)
            if session is None:
                raise NotFoundError(f"no session {session_id}")
            client = self._visible_client(s, author_id, session.client_id)
            if client.owner_id == author_id:
                raise NotSupervisorError(
                    f"user {author_id} is client {client.id}'s clinician: they answer comments"
                )
            row = SupervisionComment(
                client_id=client.id,
                session_id=session_id,
                author_id=author_id,
                turn_index=turn_index,
                moment_kind=moment_kind,
                body_text=text,
                created_at=now(),
            )
            s.add(row)
            s.flush()
            return _record(row, _name(s, author_id))

    def answer(self, user_id: int, comment_id: int, body: str) -> CommentRecord:
        """Answer the thread of ``comment_id`` (the thread's author or the client's owner)."""
        text = _body(body)
        with self._write() as s:
            root = self._thread(s, user_id, comment_id)
            row = SupervisionComment(
                client_id=root.client_id,
                session_id=root.session_id,
                author_id=user_id,
                thread_id=root.id,
                body_text=text,
                created_at=now(),
            )
            s.add(row)
            s.flush()
            return _record(row, _name(s, user_id))

    def list_threads(self, user_id: int, session_id: int) -> list[ThreadRecord]:
        """The session's threads ``user_id`` may read, by turn then age; NotFoundError if
        they may not see the session."""
        with self._read() as s:
            session = s.get(SessionRow, session_id)
            if session is None:
                raise NotFoundError(f"no session {session_id}")
            self._visible_client(s, user_id, session.client_id)
            return self._threads(s, user_id, session_id=session_id)

    def list_client_threads(self, user_id: int, client_id: int) -> list[ThreadRecord]:
        """The threads on all the client's sessions ``user_id`` may read, by session (date,
        number), turn, then age; NotFoundError if they may not see the client."""
        with self._read() as s:
            self._visible_client(s, user_id, client_id)
            return self._threads(s, user_id, client_id=client_id)

    @staticmethod
    def _threads(
        s: Session, user_id: int, *, session_id: int | None = None, client_id: int | None = None
    ) -> list[ThreadRecord]:
        """The threads of one session or one client that ``user_id`` reads, with answers."""
        root = aliased(SupervisionComment)
        scoped = root.session_id == session_id if client_id is None else root.client_id == client_id
        roots = s.execute(
            select(root, User.username)
            .join(Client, Client.id == root.client_id)
            .join(SessionRow, SessionRow.id == root.session_id)
            .join(User, User.id == root.author_id)
            .where(scoped, root.thread_id.is_(None), _readable(user_id, root))
            .order_by(SessionRow.date, SessionRow.number, root.turn_index, root.id)
        ).all()
        answers = SupervisionRepository._answers(s, [row.id for row, _ in roots])
        return [
            ThreadRecord(_record(row, name), tuple(answers.get(row.id, ()))) for row, name in roots
        ]

    def get_comment(self, user_id: int, comment_id: int) -> CommentRecord:
        """One comment or answer ``user_id`` may read, else NotFoundError."""
        with self._read() as s:
            row = self._readable_row(s, user_id, comment_id)
            return _record(row, _name(s, row.author_id))

    def delete_comment(self, user_id: int, comment_id: int) -> CommentRecord:
        """Remove one's own comment (a thread goes with its answers); E491 for someone
        else's that ``user_id`` reads, NotFoundError for one they do not."""
        with self._write() as s:
            row = self._readable_row(s, user_id, comment_id)
            if row.author_id != user_id:
                raise NotSupervisorError(f"comment {comment_id} is not user {user_id}'s")
            gone = _record(row, _name(s, user_id))
            s.delete(row)
            return gone

    @staticmethod
    def _answers(s: Session, root_ids: list[int]) -> dict[int, list[CommentRecord]]:
        found: dict[int, list[CommentRecord]] = defaultdict(list)
        if not root_ids:
            return found
        rows = s.execute(
            select(SupervisionComment, User.username)
            .join(User, User.id == SupervisionComment.author_id)
            .where(SupervisionComment.thread_id.in_(root_ids))
            .order_by(SupervisionComment.id)
        )
        for row, name in rows:
            assert row.thread_id is not None
            found[row.thread_id].append(_record(row, name))
        return found

    @staticmethod
    def _thread(s: Session, user_id: int, comment_id: int) -> SupervisionComment:
        """The thread's first comment of ``comment_id`` (itself or the one it answers)."""
        row = SupervisionRepository._readable_row(s, user_id, comment_id)
        if row.thread_id is None:
            return row
        root = s.get(SupervisionComment, row.thread_id)
        if root is None:
            raise NotFoundError(f"no supervision comment {comment_id}")
        return root

    @staticmethod
    def _readable_row(s: Session, user_id: int, comment_id: int) -> SupervisionComment:
        row = s.get(SupervisionComment, comment_id)
        root_id = None if row is None else (row.thread_id or row.id)
        root = aliased(SupervisionComment)
        readable = s.scalar(
            select(root.id)
            .join(Client, Client.id == root.client_id)
            .where(root.id == root_id, _readable(user_id, root))
        )
        if row is None or readable is None:
            raise NotFoundError(f"no supervision comment {comment_id} for user {user_id}")
        return row


def _name(s: Session, user_id: int) -> str:
    user = s.get(User, user_id)
    return "" if user is None else user.username
