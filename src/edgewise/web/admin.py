"""The admin's accounts page (/admin/users): list, disable, enable, reset the password or
the second factor of and remove accounts.

Only an admin sees it; for anyone else every route answers 404, as for a record that is
not theirs. Each form carries the CSRF token and each action is audited by
:mod:`edgewise.services.admin`. A temporary password is shown once, on the page that
answers the form (never stored in the session); pages carry ``Cache-Control: no-store``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.errors import InputError
from edgewise.services import admin, two_factor
from edgewise.services.actor import Actor
from edgewise.store import NotFoundError, UserRecord
from edgewise.store.errors import AccountInUseError
from edgewise.web.deps import Auth, Csrf, Ctx, PageActor, WebContext, not_found
from edgewise.web.templating import render

__all__ = ["router"]

router = APIRouter(prefix="/admin/users", include_in_schema=False)


@router.get("")
def users_page(request: Request, ctx: Ctx, actor: PageActor) -> Response:
    """Every account, with the forms that act on it."""
    return _page(request, ctx, actor)


def _account(ctx: WebContext, actor: Actor, user_id: int) -> UserRecord:
    """The account to act on, after checking the actor is an admin; else 404."""
    if not admin.is_admin(ctx.store, actor):
        not_found()
    user = ctx.store.get_user(user_id)
    if user is None or user.removed_at is not None:
        not_found()
    return user


@router.post("/{user_id}/disable", dependencies=[Auth, Csrf])
def disable(request: Request, ctx: Ctx, actor: PageActor, user_id: int) -> Response:
    """Disable the account: signed out at once, tokens refused."""
    user = _account(ctx, actor, user_id)
    return _act(request, ctx, actor, lambda: admin.disable_user(ctx.store, actor, user))


@router.post("/{user_id}/enable", dependencies=[Auth, Csrf])
def enable(request: Request, ctx: Ctx, actor: PageActor, user_id: int) -> Response:
    """Let the account sign in again."""
    user = _account(ctx, actor, user_id)
    return _act(request, ctx, actor, lambda: admin.enable_user(ctx.store, actor, user))


@router.post("/{user_id}/remove", dependencies=[Auth, Csrf])
def remove(request: Request, ctx: Ctx, actor: PageActor, user_id: int) -> Response:
    """Remove the account (refused while it owns clients)."""
    user = _account(ctx, actor, user_id)
    return _act(request, ctx, actor, lambda: admin.remove_user(ctx.store, actor, user))


@router.post("/{user_id}/password", dependencies=[Auth, Csrf])
def reset_password(
    request: Request,
    ctx: Ctx,
    actor: PageActor,
    user_id: int,
    password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """A new password: the one typed, or (left empty) a temporary one shown once."""
    user = _account(ctx, actor, user_id)
    typed = password.strip() != ""
    new = password if typed else admin.temporary_password()
    try:
        admin.reset_password(ctx.store, actor, user, new)
    except InputError as exc:
        return _page(request, ctx, actor, error=_sentence(exc.message), status=400)
    shown = None if typed else (user.username, new)
    notice = f"New password set for {user.username}; they are signed out everywhere."
    return _page(request, ctx, actor, notice=notice, temporary=shown)


@router.post("/{user_id}/two-factor/reset", dependencies=[Auth, Csrf])
def reset_two_factor(request: Request, ctx: Ctx, actor: PageActor, user_id: int) -> Response:
    """Turn the account's second factor off (a lost phone): it signs in with its password."""
    user = _account(ctx, actor, user_id)
    try:
        two_factor.reset(ctx.store, actor, user)
    except two_factor.TwoFactorStateError as exc:
        return _page(request, ctx, actor, error=_sentence(exc.message), status=409)
    notice = f"Two-factor sign-in is off for {user.username}; they sign in with their password."
    return _page(request, ctx, actor, notice=notice)


def _act(request: Request, ctx: WebContext, actor: Actor, action: object) -> Response:
    """Run ``action`` and go back to the list; a refusal is shown on the page."""
    assert callable(action)
    try:
        action()
    except AccountInUseError as exc:
        return _page(request, ctx, actor, error=_sentence(exc.message), status=409)
    except InputError as exc:
        return _page(request, ctx, actor, error=_sentence(exc.message), status=400)
    except NotFoundError:
        not_found()
    return RedirectResponse("/admin/users", status_code=303)


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:] + "."


def _page(
    request: Request,
    ctx: WebContext,
    actor: Actor,
    *,
    error: str | None = None,
    notice: str | None = None,
    temporary: tuple[str, str] | None = None,
    status: int = 200,
) -> Response:
    try:
        accounts = admin.list_accounts(ctx.store, actor)
    except NotFoundError:
        not_found()
    context = {
        "accounts": accounts,
        "me": actor.user_id,
        "error": error,
        "notice": notice,
        "temporary": temporary,
    }
    return render(request, "admin_users.html", context, status_code=status)
