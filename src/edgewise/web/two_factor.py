"""The two-factor page (/account/two-factor): turn the TOTP second factor on with a QR
code and a first code, make new recovery codes, turn it off with a current code.

The QR code is drawn here as SVG (segno; nothing is fetched) and shown as a ``data:``
image, which the pages' CSP allows. The secret is shown only while the enrolment is
pending, to its own user; recovery codes are shown once, on the page that answers the
form (never stored in the session, never redirected with). Pages carry
``Cache-Control: no-store``. The use cases, their throttling and their audit rows are
:mod:`edgewise.services.two_factor`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import segno
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.errors import EdgewiseError
from edgewise.services import two_factor
from edgewise.services.actor import Actor
from edgewise.services.throttle import LoginThrottle
from edgewise.store import UserRecord
from edgewise.web.deps import Auth, Csrf, Ctx, PageActor, PageUser, WebContext
from edgewise.web.templating import render

__all__ = ["qr_svg_data_uri", "router"]

router = APIRouter(prefix="/account/two-factor", include_in_schema=False)

Code = Annotated[str, Form(max_length=64)]


def qr_svg_data_uri(uri: str) -> str:
    """``uri`` as a QR code, an SVG ``data:`` URI (dark on light, a quiet zone of 4)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=4, light="#fff"))


@router.get("")
def page(request: Request, ctx: Ctx, user: PageUser, actor: PageActor) -> Response:
    """Whether sign-in asks for a code, and the forms to change that."""
    return _page(request, ctx, user, actor)


@router.post("/start", dependencies=[Auth, Csrf])
def start(request: Request, ctx: Ctx, user: PageUser, actor: PageActor) -> Response:
    """A new secret to scan (replacing a pending one); back to the page, which shows it."""
    try:
        two_factor.start_enrolment(ctx.store, actor, user.username)
    except EdgewiseError as exc:
        return _page(request, ctx, user, actor, error=_sentence(exc), status=_status(exc))
    return RedirectResponse("/account/two-factor", status_code=303)


@router.post("/confirm", dependencies=[Auth, Csrf])
def confirm(
    request: Request, ctx: Ctx, user: PageUser, actor: PageActor, code: Code = ""
) -> Response:
    """Turn it on with a first code; the recovery codes are shown this once."""
    return _with_code(
        request,
        ctx,
        user,
        actor,
        lambda t: two_factor.confirm_enrolment(ctx.store, actor, t, user.username, code),
        "Two-factor sign-in is on. From now on signing in asks for a code.",
    )


@router.post("/recovery-codes", dependencies=[Auth, Csrf])
def recovery_codes(
    request: Request, ctx: Ctx, user: PageUser, actor: PageActor, code: Code = ""
) -> Response:
    """New recovery codes for a current code (the old ones stop working)."""
    return _with_code(
        request,
        ctx,
        user,
        actor,
        lambda t: two_factor.new_recovery_codes(ctx.store, actor, t, user.username, code),
        "New recovery codes made; the old ones no longer work.",
    )


@router.post("/disable", dependencies=[Auth, Csrf])
def disable(
    request: Request, ctx: Ctx, user: PageUser, actor: PageActor, code: Code = ""
) -> Response:
    """Turn it off with a current code or a recovery code."""

    def turn_off(throttle: LoginThrottle) -> list[str]:
        two_factor.disable(ctx.store, actor, throttle, user.username, code)
        return []

    notice = "Two-factor sign-in is off. Signing in asks for your password only."
    return _with_code(request, ctx, user, actor, turn_off, notice)


def _with_code(
    request: Request,
    ctx: WebContext,
    user: UserRecord,
    actor: Actor,
    action: Callable[[LoginThrottle], list[str]],
    notice: str,
) -> Response:
    """Run ``action`` with the app's sign-in brake; show its refusal, or the page with
    ``notice`` (and the recovery codes it made, this once)."""
    throttle: LoginThrottle = request.app.state.throttle
    try:
        codes = action(throttle)
    except EdgewiseError as exc:
        return _page(request, ctx, user, actor, error=_sentence(exc), status=_status(exc))
    return _page(request, ctx, user, actor, notice=notice, codes=codes)


def _status(exc: EdgewiseError) -> int:
    return exc.entry.http_status


def _sentence(exc: EdgewiseError) -> str:
    message = exc.message.split(";")[0]
    return message[:1].upper() + message[1:] + "."


def _page(
    request: Request,
    ctx: WebContext,
    user: UserRecord,
    actor: Actor,
    *,
    error: str | None = None,
    notice: str | None = None,
    codes: list[str] | None = None,
    status: int = 200,
) -> Response:
    state = two_factor.status(ctx.store, user.id)
    enrolment = two_factor.pending_enrolment(ctx.store, actor, user.username)
    context = {
        "state": state,
        "enrolment": enrolment,
        "qr": qr_svg_data_uri(enrolment.uri) if enrolment else None,
        "error": error,
        "notice": notice,
        "codes": codes or None,
    }
    return render(request, "account_two_factor.html", context, status_code=status)
