"""The caseload, adding a client, the client page, sharing, archiving and erasing it,
and resolving alerts.

The pages and forms only: reading and writing the records, and their audit rows, are
:mod:`edgewise.services.clients`' and :mod:`edgewise.services.alerts`'.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.coding.flags import RISK_NOTICE
from edgewise.errors import InputError
from edgewise.services import alerts, clients, erasure
from edgewise.services.actor import Actor
from edgewise.services.clients import MAX_ALIAS, UnknownColleagueError
from edgewise.services.erasure import ErasureNotConfirmedError
from edgewise.web.client_view import client_page
from edgewise.web.deps import Auth, Csrf, Ctx, PageActor, WebContext, record_errors
from edgewise.web.templating import json_for_script, render

__all__ = ["CASELOAD_MEASURES", "PER_PAGE", "router"]

router = APIRouter()

#: Measures whose latest totals the caseload shows, with their column headings.
CASELOAD_MEASURES = (("phq9", "PHQ-9"), ("gad7", "GAD-7"))
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
    actor: PageActor,
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    q: Annotated[str, Query(max_length=MAX_ALIAS)] = "",
    archived: Annotated[bool, Query()] = False,
    erased: Annotated[bool, Query()] = False,
) -> Response:
    """The clients the user owns or shares, with their latest figures, a page at a time
    (archived clients too with ``?archived=1``; ``?erased=1`` after an erasure)."""
    search = " ".join(q.split())
    return _caseload(
        request, ctx, actor, page=page, search=search, archived=archived, error=None, erased=erased
    )


def _caseload(
    request: Request,
    ctx: WebContext,
    actor: Actor,
    *,
    page: int = 1,
    search: str = "",
    archived: bool = False,
    error: str | None,
    erased: bool = False,
) -> Response:
    listing = clients.view_caseload(
        ctx.store,
        actor,
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
        "erased": erased,
        "risk_notice": RISK_NOTICE,
    }
    return render(request, "caseload.html", context, status_code=400 if error else 200)


@router.post("/clients", dependencies=[Auth, Csrf])
def add_client(
    request: Request,
    ctx: Ctx,
    actor: PageActor,
    alias: Annotated[str, Form()] = "",
) -> Response:
    """A new client known by ``alias`` (no real names: an alias)."""
    try:
        client = clients.add_client(ctx.store, actor, alias)
    except InputError:
        error = f"Give the client an alias of 1 to {MAX_ALIAS} characters."
        return _caseload(request, ctx, actor, error=error)
    return RedirectResponse(f"/clients/{client.id}", status_code=303)


@router.get("/clients/{client_id}")
def client_detail(request: Request, ctx: Ctx, actor: PageActor, client_id: int) -> Response:
    """Timelines, change, alerts and sessions of one client."""
    return _client_page(request, ctx, actor, client_id, None)


def _client_page(
    request: Request,
    ctx: WebContext,
    actor: Actor,
    client_id: int,
    share_error: str | None,
    erase_error: str | None = None,
) -> Response:
    with record_errors():
        found = clients.view_client(ctx.store, actor, client_id)
    page = client_page(found)
    page["chart_json"] = json_for_script(page.pop("chart"))
    page["failures"] = ctx.worker.failures
    page["shares"] = found.shares
    page["share_access"] = found.share_access
    page["share_error"] = share_error
    page["erase_error"] = erase_error
    failed = share_error or erase_error
    return render(request, "client.html", page, status_code=400 if failed else 200)


@router.post("/clients/{client_id}/share", dependencies=[Auth, Csrf])
def share_client(
    request: Request,
    ctx: Ctx,
    actor: PageActor,
    client_id: int,
    username: Annotated[str, Form()] = "",
    action: Annotated[str, Form()] = "share",
    access: Annotated[str, Form()] = "write",
) -> Response:
    """Share the client with a colleague (or stop); only the client's owner may."""
    try:
        with record_errors():
            client = clients.share_client(
                ctx.store,
                actor,
                client_id,
                username,
                can_write=access != "read",
                stop=action == "unshare",
            )
    except UnknownColleagueError:
        error = "No other clinician has that username."
        return _client_page(request, ctx, actor, client_id, error)
    return RedirectResponse(f"/clients/{client.id}#sharing", status_code=303)


@router.post("/clients/{client_id}/archive", dependencies=[Auth, Csrf])
def archive_client(
    ctx: Ctx,
    actor: PageActor,
    client_id: int,
    action: Annotated[str, Form()] = "archive",
) -> Response:
    """Take the client off the caseload (or put them back); only the client's owner may.

    Nothing is deleted: an archived client's record stays, and shows with ``?archived=1``.
    """
    restore = action == "restore"
    with record_errors():
        client = clients.archive_client(ctx.store, actor, client_id, archived=not restore)
    return RedirectResponse(f"/clients/{client.id}" if restore else "/clients", status_code=303)


@router.post("/clients/{client_id}/erase", dependencies=[Auth, Csrf])
def erase_client(
    request: Request,
    ctx: Ctx,
    actor: PageActor,
    client_id: int,
    confirm_alias: Annotated[str, Form()] = "",
) -> Response:
    """Erase the client and everything recorded about them, once the alias is typed to
    confirm; only the client's owner may (a 404 for anyone else). Back to the caseload."""
    try:
        with record_errors():
            erasure.check_confirmation(ctx.store, actor, client_id, confirm_alias)
            erasure.erase_client(ctx.store, actor, client_id)
    except ErasureNotConfirmedError as exc:
        error = f"{exc.code}: type the client's alias exactly as shown to erase their record."
        return _client_page(request, ctx, actor, client_id, None, error)
    return RedirectResponse("/clients?erased=1", status_code=303)


@router.post("/alerts/{alert_id}/resolve", dependencies=[Auth, Csrf])
def resolve_alert(ctx: Ctx, actor: PageActor, alert_id: int) -> Response:
    """Mark an alert reviewed; back to its client."""
    with record_errors():
        alert = alerts.resolve_alert(ctx.store, actor, alert_id)
    return RedirectResponse(f"/clients/{alert.client_id}#alerts", status_code=303)
