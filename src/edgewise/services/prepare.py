"""Preparing the next session: one client's growing edge, the viewer's own last noted
signals, the last session's key moments, measure trends and saved language, as one
storage-free :class:`~edgewise.report.preparation.Preparation` that the page, the API
and ``edgewise prepare`` all render.

Privacy: the signals are the viewer's own journal entries only (a colleague or supervisor
the client is shared with sees the page, never the author's entries, shared or not);
saved language follows its own rule (the viewer's, and what others shared). Audit rows:
``view`` of the ``client`` (detail ``prepare``), ``view`` of each ``session`` whose
analysis is read (as the session pages and drafts do), ``view`` of ``journal_entry``
(``client=ID n=COUNT``) and of ``saved_language`` (``client=ID``). Ids and counts only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from edgewise.analysis.drafts import client_drafts
from edgewise.analysis.results import SessionAnalysis
from edgewise.domain import Session
from edgewise.journal import Vocabulary
from edgewise.measures import MeasureDefinition
from edgewise.report.preparation import (
    DRAFT_WORDS,
    CitedTurn,
    GrowingEdge,
    LanguageView,
    LastSession,
    MeasurePoint,
    MeasureTrend,
    NotedSignal,
    Preparation,
    Tone,
    draft_views,
    edge_themes,
    moments,
)
from edgewise.services.actor import Actor, record
from edgewise.services.clients import find_client
from edgewise.services.journal import vocabulary_for
from edgewise.services.measures import Scored, change_summary, definitions, scored_history
from edgewise.services.stored import load_stored, load_transcript
from edgewise.store import ClientRecord, SessionRecord, Store
from edgewise.store.journal_records import JournalEntryRecord
from edgewise.store.language import SavedLanguageRecord

__all__ = ["prepare_next_session"]

_TONES: dict[str, Tone] = {"reliably_improved": "good", "reliably_deteriorated": "bad"}


def prepare_next_session(
    store: Store, actor: Actor, client_id: int, *, now: dt.datetime | None = None
) -> Preparation:
    """The next-session view of a client the actor may see (E301 otherwise)."""
    user_id = actor.require_user()
    client = find_client(store, actor, client_id)
    record(store, actor, "view", "client", client.id, "prepare")
    sessions = store.list_sessions(user_id, client.id)
    analysed = _analyses(store, actor, sessions)
    signals, signals_number = _signals(store, actor, client, sessions)
    user = store.get_user(user_id)
    return Preparation(
        client_id=client.id,
        alias=client.alias,
        viewer="" if user is None else user.username,
        read_only=client.read_only,
        prepared_at=now or dt.datetime.now(dt.UTC),
        sessions=len(sessions),
        growing_edge=_edge(analysed),
        signals=signals,
        signals_session_number=signals_number,
        last_session=_last(analysed),
        measures=_measures(store, user_id, client, sessions),
        language=_language(store, actor, client, sessions),
    )


_Analysed = tuple[SessionRecord, Session, SessionAnalysis]


def _analyses(store: Store, actor: Actor, sessions: Sequence[SessionRecord]) -> list[_Analysed]:
    """Each analysed session with its transcript and analysis, oldest first (audited)."""
    out = []
    for row in sessions:
        if row.status != "done":
            continue
        full = store.get_session(actor.require_user(), row.id, with_transcript=True)
        if full is None or full.analysis_json is None:
            continue
        analysis = load_stored(full.analysis_json, full.id).analysis
        out.append((full, load_transcript(full.transcript or "", full.id), analysis))
        record(store, actor, "view", "session", full.id)
    return out


def _edge(analysed: Sequence[_Analysed]) -> GrowingEdge | None:
    if not analysed:
        return None
    row, _, analysis = analysed[-1]
    drafts = client_drafts([a for _, _, a in analysed])
    return GrowingEdge(
        session_id=row.id,
        session_number=row.number,
        sessions_analysed=len(analysed),
        themes=edge_themes(analysis),
        drafts=draft_views(drafts),
    )


def _last(analysed: Sequence[_Analysed]) -> LastSession | None:
    if not analysed:
        return None
    row, session, analysis = analysed[-1]
    return LastSession(
        session_id=row.id,
        number=row.number,
        date=row.date,
        optimal_stress=row.scores.optimal_stress,
        support=row.scores.support,
        challenge=row.scores.challenge,
        change_talk_share=row.scores.change_talk_share,
        moments=moments(session, analysis),
    )


def _signals(
    store: Store, actor: Actor, client: ClientRecord, sessions: Sequence[SessionRecord]
) -> tuple[tuple[NotedSignal, ...], int | None]:
    """The viewer's own entries of the latest session they noted signals in (and its
    number)."""
    user_id = actor.require_user()
    own = store.journal.list_entries(user_id, client_id=client.id, own_only=True)
    record(store, actor, "view", "journal_entry", None, f"client={client.id} n={len(own)}")
    if not own:
        return (), None
    order = {s.id: (s.date, s.number) for s in sessions}
    latest = max(own, key=lambda e: (order.get(e.session_id, (dt.date.min, 0)), e.id))
    words = vocabulary_for(store, user_id)
    chosen = [e for e in own if e.session_id == latest.session_id]
    return tuple(_signal(e, words) for e in chosen), latest.session_number


def _signal(entry: JournalEntryRecord, vocabulary: Vocabulary) -> NotedSignal:
    return NotedSignal(
        session_id=entry.session_id,
        session_number=entry.session_number,
        turn=None if entry.turn_index is None else entry.turn_index + 1,
        kind=entry.kind,
        signal=entry.signal,
        label=vocabulary.label(entry.kind, entry.signal),
        intensity=entry.intensity,
        note=entry.note,
        shared=entry.shared,
        noted_at=entry.created_at,
    )


def _measures(
    store: Store, user_id: int, client: ClientRecord, sessions: list[SessionRecord]
) -> tuple[MeasureTrend, ...]:
    defined = definitions(store, user_id)
    history = scored_history(store, user_id, client.id, client.alias, defined, sessions)
    return tuple(
        _trend(key, scored[-1].definition, scored)
        for key, scored in sorted(history.items())
        if scored
    )


def _trend(key: str, definition: MeasureDefinition, history: list[Scored]) -> MeasureTrend:
    change = change_summary(definition, history)
    points = tuple(
        MeasurePoint(
            answered=_when(s.record.answered),
            total=s.score.total,
            session_number=s.response.session_number,
        )
        for s in history
    )
    return MeasureTrend(
        key=key,
        label=definition.label,
        points=points,
        cutoff=definition.cutoff,
        change=None if change is None else change.plain,
        tone=_TONES.get(change.category, "neutral") if change is not None else "neutral",
    )


def _when(value: dt.date | dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, dt.datetime) else value.isoformat()


def _language(
    store: Store, actor: Actor, client: ClientRecord, sessions: Sequence[SessionRecord]
) -> tuple[LanguageView, ...]:
    user_id = actor.require_user()
    found = store.saved_language.list_language(user_id, client.id)
    record(store, actor, "view", "saved_language", None, detail=f"client={client.id}")
    numbers = {s.id: s.number for s in sessions}
    return tuple(_language_view(item, user_id, numbers) for item in found)


def _language_view(item: SavedLanguageRecord, me: int, numbers: dict[int, int]) -> LanguageView:
    cited = tuple(
        CitedTurn(session_id=c.session_id, session_number=numbers[c.session_id], turn=c.index + 1)
        for c in item.citations
        if c.session_id in numbers
    )
    return LanguageView(
        id=item.id,
        kind=item.kind,
        kind_label=DRAFT_WORDS.get(item.kind, item.kind),
        theme=item.theme,
        text=item.body,
        author=item.author,
        mine=item.author_id == me,
        shared=item.shared,
        cited=cited,
        updated_at=item.updated_at,
    )
