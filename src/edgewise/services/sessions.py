"""Sessions: an upload's sessions stored and queued, a session read back, a retry, audited.

A session the actor may not see is a NotFoundError (E301); adding to or retrying on a
client shared read-only is a ReadOnlyError (E304). Audit rows: ``create`` of each
``session`` an upload stores (written by the store in the upload's transaction), ``view``
of a ``session`` whose transcript or report is read, ``update`` of a ``session`` queued
again. The analysis itself is :mod:`edgewise.services.jobs`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from edgewise.analysis.results import SessionAnalysis
from edgewise.domain import CodedSession, Session, UtteranceCode
from edgewise.services.actor import Actor, record
from edgewise.services.clients import find_client, writable_client
from edgewise.services.jobs import Job
from edgewise.services.stored import dump_transcript, load_stored, load_transcript
from edgewise.services.worker import AnalysisWorker
from edgewise.store import (
    ClientRecord,
    NewSession,
    NotFoundError,
    SessionRecord,
    Store,
    UploadRecord,
)

__all__ = [
    "SessionView",
    "find_session",
    "list_sessions",
    "read_report",
    "retry_session",
    "store_upload",
    "view_session",
]


@dataclass(frozen=True)
class SessionView:
    """A session read back: its row, its client, the transcript, and the analysis with
    the coder's codes when it has been analysed (``codes`` None for a bare analysis)."""

    record: SessionRecord
    client: ClientRecord
    session: Session
    analysis: SessionAnalysis | None
    codes: tuple[UtteranceCode, ...] | None

    def __repr__(self) -> str:  # the transcript is health information: never in a repr
        return f"SessionView(session_id={self.record.id})"


def find_session(
    store: Store, actor: Actor, session_id: int, *, with_transcript: bool = False
) -> SessionRecord:
    """The session's row if the actor may see it (its status and figures; not audited)."""
    found = store.get_session(actor.require_user(), session_id, with_transcript=with_transcript)
    if found is None:
        raise NotFoundError(f"no session {session_id}")
    return found


def list_sessions(store: Store, actor: Actor, client_id: int) -> list[SessionRecord]:
    """The client's sessions (dates, numbers, status and scores), oldest first."""
    return store.list_sessions(actor.require_user(), find_client(store, actor, client_id).id)


def store_upload(
    store: Store,
    worker: AnalysisWorker,
    actor: Actor,
    client_id: int,
    sessions: Sequence[Session],
    *,
    digest: str,
    name: str,
    date: dt.date | None = None,
) -> UploadRecord:
    """Store an upload's sessions as pending (all or none), dated ``date``, else as the
    file says, else today; then queue their analysis. A file the client already has
    (same SHA-256 ``digest``) stores nothing and returns the sessions it made before
    (``created`` False). ConflictError when the client changed meanwhile: try again."""
    user_id = actor.require_user()
    writable_client(store, actor, client_id)
    new = [NewSession(date or s.date or dt.date.today(), dump_transcript(s)) for s in sessions]
    stored = store.add_sessions(user_id, client_id, new, upload_digest=digest, source_name=name)
    if stored.created:
        for row in stored.sessions:  # only once they are committed: a job never misses its row
            worker.submit(Job(row.id, user_id))
    return stored


def view_session(store: Store, actor: Actor, session_id: int) -> SessionView:
    """The session with its transcript and, once analysed, its analysis and codes."""
    row = find_session(store, actor, session_id, with_transcript=True)
    client = find_client(store, actor, row.client_id)
    analysis, codes = None, None
    if row.status == "done" and row.analysis_json is not None:
        unpacked = load_stored(row.analysis_json, row.id)
        analysis, codes = unpacked.analysis, unpacked.codes
    session = load_transcript(row.transcript or "", row.id)
    record(store, actor, "view", "session", row.id)
    return SessionView(row, client, session, analysis, codes)


def read_report(
    store: Store, actor: Actor, session_id: int
) -> tuple[CodedSession, SessionAnalysis] | None:
    """What the session's report is made of (the coded session and its analysis); None
    while it has not been analysed."""
    row = find_session(store, actor, session_id, with_transcript=True)
    if row.status != "done" or row.analysis_json is None:
        return None
    unpacked = load_stored(row.analysis_json, row.id)
    session = load_transcript(row.transcript or "", row.id)
    record(store, actor, "view", "session", row.id)
    return CodedSession(session=session, codes=unpacked.codes or ()), unpacked.analysis


def retry_session(
    store: Store, worker: AnalysisWorker, actor: Actor, session_id: int
) -> SessionRecord:
    """Queue a failed (or stuck) session's analysis again; a session that is done or
    already queued is left as it is."""
    row = find_session(store, actor, session_id)
    writable_client(store, actor, row.client_id)
    if row.status != "done" and not worker.busy(row.id):
        row = store.set_session_status(row.id, "pending", progress=0)
        record(store, actor, "update", "session", row.id)
        worker.submit(Job(row.id, actor.require_user()))
    return row
