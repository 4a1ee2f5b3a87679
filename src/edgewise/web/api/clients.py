"""``/clients``: the caller's clients (their own and those shared with them), a new one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import JSONResponse

from edgewise.services import clients as service
from edgewise.services.actor import record
from edgewise.web.api.auth import Caller, context
from edgewise.web.api.models import ClientIn, ClientOut, ClientPage, of_client
from edgewise.web.api.paging import DEFAULT_LIMIT, Cursor, Limit, next_link
from edgewise.web.api.problems import refusals

__all__ = ["ClientId", "router"]

router = APIRouter(tags=["clients"])

ClientId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The client's id.")]


@router.get("/clients", responses=refusals())
def list_clients(
    request: Request,
    who: Caller,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
    archived: Annotated[bool, Query(description="Include archived clients.")] = False,
) -> ClientPage:
    """The clients the token's user owns or shares, by id, a page at a time."""
    rows = service.list_clients(
        context(request).store,
        who.actor,
        after=int(cursor) if cursor else 0,
        limit=limit + 1,  # one more: is there a next page?
        include_archived=archived,
    )
    following = rows[limit - 1].id if len(rows) > limit else None
    items = [of_client(r) for r in rows[:limit]]
    return ClientPage(items=items, next=next_link(request, following, limit))


@router.post("/clients", status_code=201, response_model=ClientOut, responses=refusals(403))
def add_client(request: Request, who: Caller, body: ClientIn) -> JSONResponse:
    """A new client of the token's user, known by an alias (needs the write scope)."""
    client = service.add_client(context(request).store, who.actor, body.alias)
    headers = {"Location": f"{request.scope.get('root_path', '')}/clients/{client.id}"}
    return JSONResponse(of_client(client).model_dump(mode="json"), 201, headers=headers)


@router.get("/clients/{client_id}", responses=refusals(404))
def get_client(request: Request, who: Caller, client_id: ClientId) -> ClientOut:
    """One client, if the token's user may see it (else 404, as for none)."""
    store = context(request).store
    client = service.find_client(store, who.actor, client_id)
    record(store, who.actor, "view", "client", client.id)
    return of_client(client)
