"""What a clinician's sessions show, for the reflective exercises and the mirror.

* :func:`client_talk`: the client's change and sustain talk per analysed session and its
  trend (:mod:`edgewise.journal.talk`), for one client or each of the clinician's own;
* :func:`strain_follow_ups`: what the clinician did after defensive, withdrawn or
  overwhelmed responses (:mod:`edgewise.analysis.follow_up`), across the sessions of the
  clients they own (or of one client), with counts;
* :func:`analysed`: one analysed session's roles, codes and analysis, read back.

Each call is audited as one ``view`` of ``session`` naming how many sessions it read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from edgewise.analysis.follow_up import FOLLOW_UPS, FollowUp, FollowUpKind, follow_ups
from edgewise.analysis.results import SessionAnalysis
from edgewise.domain import Role, UtteranceCode
from edgewise.journal.talk import SessionTalk, TalkTrend, session_talk, talk_trend
from edgewise.services.actor import Actor, record
from edgewise.services.clients import find_client
from edgewise.services.stored import StoredDataError, load_stored, load_transcript
from edgewise.store import ClientRecord, SessionRecord, Store

__all__ = [
    "MAX_SESSIONS",
    "Analysed",
    "ClientTalk",
    "FollowUps",
    "SessionFollowUp",
    "analysed",
    "client_talk",
    "own_clients",
    "strain_follow_ups",
]

#: The newest analysed sessions read for one piece of evidence.
MAX_SESSIONS = 200


@dataclass(frozen=True)
class Analysed:
    """One analysed session read back: its row, each turn's role, codes and analysis."""

    record: SessionRecord
    roles: tuple[Role, ...]
    codes: tuple[UtteranceCode, ...]
    analysis: SessionAnalysis

    def __repr__(self) -> str:
        return f"Analysed(session_id={self.record.id})"


def analysed(store: Store, user_id: int, session_id: int) -> Analysed | None:
    """The session with its roles, codes and analysis; None unless it is analysed, its
    codes were kept and ``user_id`` may see it."""
    row = store.get_session(user_id, session_id, with_transcript=True)
    if row is None or row.status != "done" or row.analysis_json is None:
        return None
    try:
        unpacked = load_stored(row.analysis_json, row.id)
        session = load_transcript(row.transcript or "", row.id)
    except StoredDataError:
        return None
    if unpacked.codes is None:
        return None
    roles = tuple(u.role for u in session.utterances)
    return Analysed(row, roles, unpacked.codes, unpacked.analysis)


def own_clients(store: Store, user_id: int) -> list[ClientRecord]:
    """The clients the clinician owns (not those shared with them), archived ones too."""
    found: list[ClientRecord] = []
    after = 0
    while True:
        page = store.list_clients(user_id, after=after, limit=500, include_archived=True)
        found += [c for c in page if c.owner_id == user_id]
        if len(page) < 500:
            return found
        after = page[-1].id


def _done(store: Store, user_id: int, clients: Sequence[ClientRecord]) -> Iterator[Analysed]:
    rows = [s for c in clients for s in store.list_sessions(user_id, c.id) if s.status == "done"]
    rows.sort(key=lambda s: (s.date, s.id))
    for row in rows[-MAX_SESSIONS:]:
        found = analysed(store, user_id, row.id)
        if found is not None:
            yield found


def _clients(store: Store, actor: Actor, client_id: int | None) -> list[ClientRecord]:
    if client_id is not None:
        return [find_client(store, actor, client_id)]
    return own_clients(store, actor.require_user())


@dataclass(frozen=True)
class ClientTalk:
    """One client's change and sustain talk per session and its trend."""

    client: ClientRecord
    sessions: tuple[SessionTalk, ...]
    trend: TalkTrend


def client_talk(store: Store, actor: Actor, client_id: int | None = None) -> list[ClientTalk]:
    """Change and sustain talk for one client, or each client the clinician owns."""
    user_id = actor.require_user()
    out, read = [], 0
    for client in _clients(store, actor, client_id):
        talks = []
        for found in _done(store, user_id, [client]):
            read += 1
            r = found.record
            talks.append(
                session_talk(r.id, r.client_id, r.number, r.date, found.roles, found.codes)
            )
        if talks:
            out.append(ClientTalk(client, tuple(talks), talk_trend(talks)))
    record(store, actor, "view", "session", None, f"evidence client_talk n={read}")
    return out


@dataclass(frozen=True)
class SessionFollowUp:
    """A follow-up and the session it happened in."""

    session_id: int
    client_id: int
    number: int
    follow_up: FollowUp


@dataclass(frozen=True)
class FollowUps:
    """Every follow-up found, and how many of each kind."""

    sessions: int
    items: tuple[SessionFollowUp, ...]
    counts: dict[FollowUpKind, int]

    @property
    def total(self) -> int:
        return len(self.items)


def strain_follow_ups(store: Store, actor: Actor, client_id: int | None = None) -> FollowUps:
    """What the clinician did after strained responses, across their own clients'
    sessions (or one client's), newest sessions last."""
    user_id = actor.require_user()
    items, read = [], 0
    for found in _done(store, user_id, _clients(store, actor, client_id)):
        read += 1
        a, r = found.analysis, found.record
        for f in follow_ups(found.roles, found.codes, a.responses, a.moves):
            items.append(SessionFollowUp(r.id, r.client_id, r.number, f))
    counts = Counter(i.follow_up.kind for i in items)
    record(store, actor, "view", "session", None, f"evidence strain_follow_up n={read}")
    return FollowUps(read, tuple(items), {k: counts.get(k, 0) for k in FOLLOW_UPS})
