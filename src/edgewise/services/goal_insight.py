"""The insight-to-action view of a client: the themes of their recent analysed sessions
and whether each reached a commitment, an action step and a follow-through, and DARN to
CAT movement across those sessions (:mod:`edgewise.goals.insight`).

Reads the stored analyses of the client's latest :data:`RECENT` analysed sessions (each
read audited as a ``view`` of the ``session``, as the report is) and the goals record
(audited as a ``view`` of ``goal`` with ``client=<id> insight``).
"""

from __future__ import annotations

from dataclasses import dataclass

from edgewise.analysis.results import Commitment
from edgewise.goals.insight import (
    CatPoint,
    InsightSession,
    Link,
    ThemeRow,
    darn_cat,
    insight_rows,
    link_of,
)
from edgewise.services.actor import Actor, record
from edgewise.services.clients import find_client
from edgewise.services.sessions import read_report
from edgewise.store import ClientRecord, Store

__all__ = ["RECENT", "InsightFile", "insight_view"]

#: The latest analysed sessions the view reads (each stored analysis is read whole).
RECENT = 12


@dataclass(frozen=True)
class InsightFile:
    """The view's rows for one client."""

    client: ClientRecord
    rows: list[ThemeRow]
    loose: list[tuple[InsightSession, Commitment, Link | None]]
    movement: list[CatPoint]
    sessions_read: int
    sessions_done: int


def insight_view(store: Store, actor: Actor, client_id: int) -> InsightFile:
    """The client's insight-to-action view (NotFoundError if they may not see it)."""
    user_id = actor.require_user()
    client = find_client(store, actor, client_id)
    done = [s for s in store.list_sessions(user_id, client_id) if s.status == "done"]
    read = []
    for row in done[-RECENT:]:
        found = read_report(store, actor, row.id)
        if found is not None:
            coded, analysis = found
            read.append(InsightSession(row.id, row.number, analysis, coded.codes))
    steps = store.goals.list_steps(user_id, client_id)
    follow = store.goals.list_follow_throughs(user_id, client_id)
    links = {
        (s.session_id, s.turn_index): link_of(
            s.id, s.status, [f.final for f in follow if f.step_id == s.id]
        )
        for s in steps
        if s.session_id is not None and s.turn_index is not None
    }
    rows, loose = insight_rows(read, links)
    record(store, actor, "view", "goal", None, detail=f"client={client_id} insight")
    return InsightFile(client, rows, loose, darn_cat(read), len(read), len(done))
