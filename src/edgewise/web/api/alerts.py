"""Alerts: those of the caller's clients (or of one client), and resolving one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request

from edgewise.services import alerts as service
from edgewise.store import AlertRecord, NotFoundError, ReadOnlyError
from edgewise.web.api.auth import Caller, context
from edgewise.web.api.models import AlertOut, AlertPage, of_alert
from edgewise.web.api.paging import DEFAULT_LIMIT, Cursor, Limit, next_link, slice_page
from edgewise.web.api.problems import refusals

__all__ = ["router"]

router = APIRouter(tags=["alerts"])

AlertId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The alert's id.")]


@router.get("/alerts", responses=refusals(404))
def list_alerts(
    request: Request,
    who: Caller,
    client_id: Annotated[
        int | None, Query(ge=1, le=2**31 - 1, description="Only this client's alerts.")
    ] = None,
    open: Annotated[bool, Query(description="Only alerts not resolved yet.")] = True,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> AlertPage:
    """Alerts on the clients the token's user may see, newest first, a page at a time."""
    records = service.list_alerts(context(request).store, who.actor, client_id, open_only=open)
    page, following = slice_page(records, cursor, limit)
    return AlertPage(items=[_out(r) for r in page], next=next_link(request, following, limit))


@router.post("/alerts/{alert_id}/resolve", responses=refusals(403, 404))
def resolve(request: Request, who: Caller, alert_id: AlertId) -> AlertOut:
    """Mark the alert reviewed by the token's user (again: nothing changes)."""
    try:
        alert = service.resolve_alert(context(request).store, who.actor, alert_id)
    except NotFoundError:
        raise NotFoundError(f"no alert {alert_id}") from None
    except ReadOnlyError:
        raise ReadOnlyError(f"alert {alert_id} is on a client shared read-only") from None
    return _out(alert)


def _out(alert: AlertRecord) -> AlertOut:
    return of_alert(alert, service.alert_evidence(alert))
