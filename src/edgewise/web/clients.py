"""The caseload, adding a client, the client page, sharing it and resolving alerts."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.coding.flags import RISK_NOTICE
from edgewise.services.measures import definitions
from edgewise.store import AlertRecord, ClientRecord, NotFoundError, ReadOnlyError, UserRecord
from edgewise.web.alert_view import alert_evidence
from edgewise.web.client_view import client_page
from edgewise.web.deps import (
    Auth,
    Csrf,
    Ctx,
    PageUser,
    WebContext,
    client_or_404,
    not_found,
    read_only,
)
from edgewise.web.templating import json_for_script, render

__all__ = ["CASELOAD_MEASURES", "PER_PAGE", "router"]

router = APIRouter()

#: Measures whose latest totals the caseload shows, with their column headings.
CASELOAD_MEASURES = (("phq9", "PHQ-9"), ("gad7", "GAD-7"))
MAX_ALIAS = 200
#: Clients per caseload page.
PER_PAGE = 100


@router.get("/", include_in_schema=False)
def home() -> Response:
    """The caseload is the home page."""
    return RedirectResponse("/clients", status_code=303)


@router.get("/clients")
def caseload(
    request: Request,
    ctx: Ctx,
    user: PageUser,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    q: Annotated[str, Query(max_length=MAX_ALIAS)] = "",
    archived: Annotated[bool, Query()] = False,
) -> Response:
    """The clients the user owns or shares, with their latest figures, a page at a time
    (archived clients too with ``?archived=1``)."""
    ctx.store.audit(user.id, "view", "caseload", None)
    search = " ".join(q.split())
    return _caseload(request, ctx, user, page=page, search=search, archived=archived, error=None)


def _caseload(
    request: Request,
    ctx: WebContext,
    user: UserRecord,
    *,
    page: int = 1,
    search: str = "",
    archived: bool = False,
    error: str | None,
) -> Response:
    listing = ctx.store.caseload_page(
        user.id,
        page=page,
        per_page=PER_PAGE,
        search=search,
        measure_keys=[k for k, _ in CASELOAD_MEASURES],
        include_archived=archived,
    )
    context = {
        "listing": listing,
        "rows": listing.rows,
        "search": search,
        "archived": archived,
        "measures": CASELOAD_MEASURES,
        "error": error,
        "risk_notice": RISK_NOTICE,
    }
    return render(request, "caseload.html", context, status_code=400 if error else 200)


@router.post("/clients", dependencies=[Auth, Csrf])
def add_client(
    request: Request,
    ctx: Ctx,
    user: PageUser,
    alias: Annotated[str, Form()] = "",
) -> Response:
    """A new client known by ``alias`` (no real names: an alias)."""
    alias = " ".join(alias.split())
    if not alias or len(alias) > MAX_ALIAS:
        error = f"Give the client an alias of 1 to {MAX_ALIAS} characters."
        return _caseload(request, ctx, user, error=error)
    client = ctx.store.add_client(user.id, alias)
    ctx.store.audit(user.id, "create", "client", client.id)
    return RedirectResponse(f"/clients/{client.id}", status_code=303)


@router.get("/clients/{client_id}")
def client_detail(request: Request, ctx: Ctx, user: PageUser, client_id: int) -> Response:
    """Timelines, change, alerts and sessions of one client."""
    return _client_page(request, ctx, user, client_or_404(ctx, user, client_id), None)


def _client_page(
    request: Request,
    ctx: WebContext,
    user: UserRecord,
    client: ClientRecord,
    share_error: str | None,
) -> Response:
    page = client_page(ctx.store, user.id, client, definitions(ctx.store, user.id))
    ctx.store.audit(user.id, "view", "client", client.id)
    page["chart_json"] = json_for_script(page.pop("chart"))
    page["failures"] = ctx.worker.failures
    page["shares"] = ctx.store.list_shares(user.id, client.id) if not client.shared else []
    page["share_access"] = ctx.store.share_access(user.id, client.id) if not client.shared else {}
    page["share_error"] = share_error
    return render(request, "client.html", page, status_code=400 if share_error else 200)


@router.post("/clients/{client_id}/share", dependencies=[Auth, Csrf])
def share_client(
    request: Request,
    ctx: Ctx,
    user: PageUser,
    client_id: int,
    username: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "share",
    access: Annotated[str, Form()] = "write",
) -> Response:
    """Share the client with a colleague (or stop); only the client's owner may."""
    client = client_or_404(ctx, user, client_id)
    if client.shared:
        not_found()
    other = ctx.store.get_user_by_name(username.strip())
    if other is None or other.id == user.id:
        error = "No other clinician has that username."
        return _client_page(request, ctx, user, client, error)
    if action == "unshare":
        ctx.store.unshare_client(user.id, client.id, other.id)
    else:
        ctx.store.share_client(user.id, client.id, other.id, can_write=access != "read")
    ctx.store.audit(user.id, "update", "client", client.id)
    return RedirectResponse(f"/clients/{client.id}#sharing", status_code=303)


@router.post("/clients/{client_id}/archive", dependencies=[Auth, Csrf])
def archive_client(
    ctx: Ctx,
    user: PageUser,
    client_id: int,
    action: Annotated[str, Form()] = "archive",
) -> Response:
    """Take the client off the caseload (or put them back); only the client's owner may.

    Nothing is deleted: an archived client's record stays, and shows with ``?archived=1``.
    """
    client = client_or_404(ctx, user, client_id)
    if client.shared:
        not_found()
    restore = action == "restore"
    ctx.store.archive_client(user.id, client.id, archived=not restore)
    ctx.store.audit(user.id, "update", "client", client.id)
    return RedirectResponse(f"/clients/{client.id}" if restore else "/clients", status_code=303)


@router.post("/alerts/{alert_id}/resolve", dependencies=[Auth, Csrf])
def resolve_alert(ctx: Ctx, user: PageUser, alert_id: int) -> Response:
    """Mark an alert reviewed; back to its client."""
    try:
        alert = ctx.store.resolve_alert(user.id, alert_id)
    except NotFoundError:
        not_found()
    except ReadOnlyError:
        read_only()
    ctx.store.audit(user.id, "update", "alert", alert.id, detail=_review_detail(alert))
    return RedirectResponse(f"/clients/{alert.client_id}#alerts", status_code=303)


def _review_detail(alert: AlertRecord) -> str:
    """``reviewed safety_item response=12 session=3``: the rule and its latest evidence."""
    words = ["reviewed", alert.kind]
    refs = alert_evidence(alert)
    for kind in ("response", "session"):
        found = [r for r in refs if r.startswith(f"{kind}:") and r[len(kind) + 1 :].isdigit()]
        if found:
            words.append(f"{kind}={found[-1][len(kind) + 1 :]}")
    return " ".join(words)
