"""Transcript risk flags: grouped for display, and marked reviewed (audited).

A client turn whose code carries the flag ``risk`` becomes a stored risk flag when its
session is analysed (:mod:`edgewise.services.jobs`). Marking one reviewed needs write
access to the client and is audited as an ``update`` of the ``risk_flag`` with the
detail ``reviewed session=<id> turn=<n>``. Risk flags are screening prompts, not risk
assessments: every place that shows them says so (``RISK_NOTICE``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from edgewise.coding.flags import RISK_NOTICE
from edgewise.services.actor import Actor, record
from edgewise.services.stored import RISK_FLAG
from edgewise.store import RiskFlagRecord, Store

__all__ = ["RISK_FLAG", "RISK_NOTICE", "RiskSession", "review_risk_flag", "risk_sessions"]


@dataclass(frozen=True)
class RiskSession:
    """One analysed session's open risk flags."""

    session_id: int
    number: int
    date: dt.date
    flags: tuple[RiskFlagRecord, ...]


def risk_sessions(flags: list[RiskFlagRecord]) -> list[RiskSession]:
    """Open flags grouped by session, in the order given (by session, then turn)."""
    groups: dict[int, list[RiskFlagRecord]] = {}
    for flag in flags:
        if flag.reviewed_at is None:
            groups.setdefault(flag.session_id, []).append(flag)
    return [
        RiskSession(f[0].session_id, f[0].session_number, f[0].session_date, tuple(f))
        for f in groups.values()
    ]


def review_risk_flag(store: Store, actor: Actor, flag_id: int) -> RiskFlagRecord:
    """Mark a risk flag reviewed. NotFoundError when the actor may not see it,
    ReadOnlyError when its client is shared with them to read only."""
    flag = store.review_risk_flag(actor.require_user(), flag_id)
    detail = f"reviewed session={flag.session_id} turn={flag.turn}"
    record(store, actor, "update", "risk_flag", flag.id, detail=detail)
    return flag
