"""The API tokens page (/account/tokens): list the user's tokens, make one, revoke one.

A new token is shown once, on the page that answers the form (never stored in the
session, never redirected with); pages carry ``Cache-Control: no-store``. Making and
revoking are audited by the store.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.errors import UsageError
from edgewise.services.tokens import EXPIRY_DAYS, IssuedToken, issue_token, token_state
from edgewise.store import NotFoundError
from edgewise.web.deps import Auth, Csrf, Ctx, PageUser, WebContext, not_found
from edgewise.web.templating import render

__all__ = ["router"]

router = APIRouter()


@router.get("/account/tokens", include_in_schema=False)
def tokens_page(request: Request, ctx: Ctx, user: PageUser) -> Response:
    """The user's tokens and the form to make one."""
    return _page(request, ctx, user.id)


@router.post("/account/tokens", include_in_schema=False, dependencies=[Auth, Csrf])
def create_token(
    request: Request,
    ctx: Ctx,
    user: PageUser,
    name: Annotated[str, Form(max_length=200)] = "",
    scope: Annotated[str, Form(max_length=8)] = "read",
    expires: Annotated[str, Form(max_length=8)] = "90",
) -> Response:
    """Make a token and show it, this once."""
    try:
        days = None if expires == "never" else int(expires)
        issued = issue_token(ctx.store, user.id, name, scope, expires_in_days=days)
    except ValueError:
        return _page(request, ctx, user.id, error="Choose when the token expires.", status=400)
    except UsageError as exc:
        error = exc.message[:1].upper() + exc.message[1:] + "."
        return _page(request, ctx, user.id, error=error, status=400)
    return _page(request, ctx, user.id, issued=issued, status=201)


@router.post(
    "/account/tokens/{token_id}/revoke", include_in_schema=False, dependencies=[Auth, Csrf]
)
def revoke_token(ctx: Ctx, user: PageUser, token_id: int) -> Response:
    """Revoke one of the user's tokens; back to the list."""
    try:
        ctx.store.revoke_token(user.id, token_id)
    except NotFoundError:
        not_found()
    return RedirectResponse("/account/tokens", status_code=303)


def _page(
    request: Request,
    ctx: WebContext,
    user_id: int,
    *,
    issued: IssuedToken | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    now = dt.datetime.now(dt.UTC)
    tokens = [(t, token_state(t, now)) for t in ctx.store.list_tokens(user_id)]
    context = {
        "tokens": tokens,
        "issued": issued,
        "error": error,
        "expiries": EXPIRY_DAYS,
    }
    return render(request, "account_tokens.html", context, status_code=status)
