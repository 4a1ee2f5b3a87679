"""Marking a transcript risk flag reviewed (a POST with the form token).

The flags, their grouping and the audit row are :mod:`edgewise.services.risk`'s; the
client page lists the open ones by session and turn with a link to the turn.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import RedirectResponse, Response

from edgewise.services import risk
from edgewise.web.deps import Auth, Csrf, Ctx, PageActor, record_errors

__all__ = ["router"]

router = APIRouter()


@router.post("/risk-flags/{flag_id}/review", dependencies=[Auth, Csrf])
def review_risk_flag(ctx: Ctx, actor: PageActor, flag_id: int) -> Response:
    """Mark a risk flag reviewed; back to its client's risk section."""
    with record_errors():
        flag = risk.review_risk_flag(ctx.store, actor, flag_id)
    return RedirectResponse(f"/clients/{flag.client_id}#risk", status_code=303)
