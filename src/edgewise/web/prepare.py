"""The page that prepares the next session with a client (printable).

The view is :mod:`edgewise.services.prepare`'s (privacy and the audit rows included);
this page puts its sections, rendered by :func:`edgewise.report.prepare_render.prepare_body`,
inside the app's layout. The print stylesheet leaves out the navigation and buttons.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from edgewise.report.prepare_render import prepare_body
from edgewise.services.prepare import prepare_next_session
from edgewise.web.deps import Ctx, PageActor, record_errors
from edgewise.web.templating import render

__all__ = ["router"]

router = APIRouter()


@router.get("/clients/{client_id}/prepare")
def prepare_page(request: Request, ctx: Ctx, actor: PageActor, client_id: int) -> Response:
    """Preparing the next session: growing edge, your signals, key moments, measures,
    saved language."""
    with record_errors():
        found = prepare_next_session(ctx.store, actor, client_id)
    context = {"p": found, "body": prepare_body(found)}
    return render(request, "prepare.html", context)
