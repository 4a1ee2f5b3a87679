"""``GET /clients/{id}/prepare``: preparing the next session, as JSON.

The same view the page and ``edgewise prepare`` render
(:func:`edgewise.services.prepare.prepare_next_session`): the growing edge, the caller's
own last noted signals (never a colleague's), the last session's key moments, measure
trends and the saved language the caller may read. Turns are numbered from 1. Audited.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from edgewise.report.preparation import Preparation
from edgewise.services.prepare import prepare_next_session
from edgewise.web.api.auth import Caller, context
from edgewise.web.api.problems import refusals

__all__ = ["router"]

router = APIRouter(tags=["prepare"])

Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/clients/{client_id}/prepare", responses=refusals(404))
def prepare(request: Request, who: Caller, client_id: Id) -> Preparation:
    """Preparing the next session with the client (turns from 1)."""
    return prepare_next_session(context(request).store, who.actor, client_id)
