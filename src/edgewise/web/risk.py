"""Transcript risk flags: found when a session is analysed, shown until reviewed.

A client turn whose code carries the flag ``risk`` (that exact name; ``risk_check`` or
any other name does not count) becomes a stored risk flag with the session's analysis.
The client page lists the open ones by session and turn (numbered from 1, as the session
page shows them) with a link to the turn; the caseload marks the client's row. Marking one
reviewed is a POST with the form token, needs write access to the client, and is written
to the audit log with the session and turn. Risk flags are screening prompts, not risk
assessments: every place that shows them says so (:data:`RISK_NOTICE`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from edgewise.coding.flags import RISK_NOTICE
from edgewise.services.stored import RISK_FLAG, risk_turns
from edgewise.store import NotFoundError, ReadOnlyError, RiskFlagRecord
from edgewise.web.deps import Auth, Csrf, Ctx, PageUser, not_found, read_only

__all__ = ["RISK_FLAG", "RISK_NOTICE", "RiskSession", "risk_sessions", "risk_turns", "router"]

router = APIRouter()


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


@router.post("/risk-flags/{flag_id}/review", dependencies=[Auth, Csrf])
def review_risk_flag(ctx: Ctx, user: PageUser, flag_id: int) -> Response:
    """Mark a risk flag reviewed; back to its client's risk section."""
    try:
        flag = ctx.store.review_risk_flag(user.id, flag_id)
    except NotFoundError:
        not_found()
    except ReadOnlyError:
        read_only()
    detail = f"reviewed session={flag.session_id} turn={flag.turn}"
    ctx.store.audit(user.id, "update", "risk_flag", flag.id, detail=detail)
    return RedirectResponse(f"/clients/{flag.client_id}#risk", status_code=303)
