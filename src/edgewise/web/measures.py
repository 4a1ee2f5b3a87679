"""Enter a measure (PHQ-9, GAD-7, ...) for a client: a touch-friendly form, scored on save.

The form only: scoring, storing, the alert rules and the audit row are
:func:`edgewise.services.responses.record_response`'s.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.errors import InputError
from edgewise.services import clients, responses, sessions
from edgewise.services.actor import Actor
from edgewise.services.measures import Defined, parse_answers
from edgewise.store import ClientRecord
from edgewise.web.deps import (
    Auth,
    Csrf,
    Ctx,
    FormFields,
    PageActor,
    WebContext,
    record_errors,
)
from edgewise.web.templating import render

__all__ = ["router"]

router = APIRouter()


def _form_page(
    request: Request,
    ctx: WebContext,
    actor: Actor,
    client: ClientRecord,
    defined: Defined,
    *,
    chosen: dict[str, str],
    error: str | None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {
        "client": client,
        "measure": defined.definition,
        "key": defined.record.key,
        "sessions": sessions.list_sessions(ctx.store, actor, client.id),
        "chosen": chosen,
        "error": error,
        "today": dt.date.today().isoformat(),
    }
    return render(request, "measure_form.html", context, status_code=status)


@router.get("/clients/{client_id}/measures/new")
def measure_form(
    request: Request, ctx: Ctx, actor: PageActor, client_id: int, measure: str = "phq9"
) -> Response:
    """The questionnaire as a form, one large choice per option."""
    with record_errors():
        client = clients.writable_client(ctx.store, actor, client_id)
        defined = responses.find_definition(ctx.store, actor, measure)
    return _form_page(request, ctx, actor, client, defined, chosen={}, error=None)


@router.post("/clients/{client_id}/measures/new", dependencies=[Auth, Csrf])
def save_measure(
    request: Request,
    ctx: Ctx,
    actor: PageActor,
    form: FormFields,
    client_id: int,
    measure: str = "phq9",
) -> Response:
    """Score and store the response, raise a safety alert at once if an item calls for one,
    then run the measure's alert rules for the client."""
    with record_errors():
        client = clients.writable_client(ctx.store, actor, client_id)
        defined = responses.find_definition(ctx.store, actor, measure)
    try:
        with record_errors():
            answers = parse_answers(defined.definition, form)
            session_id = _session_choice(form.get("session_id", ""))
            day, time = _answered(form.get("answered_on", ""), form.get("answered_time", ""))
            saved = responses.record_response(
                ctx.store,
                actor,
                client.id,
                measure,
                answers,
                answered_on=day,
                answered_time=time,
                session_id=session_id,
            )
    except InputError as exc:
        return _form_page(
            request,
            ctx,
            actor,
            client,
            defined,
            chosen=form,
            error=_plain(exc),
            status=exc.entry.http_status,
        )
    anchor = "alerts" if saved.safety else f"measure-{defined.record.key}"
    return RedirectResponse(f"/clients/{client.id}#{anchor}", status_code=303)


def _session_choice(raw: str) -> int | None:
    """The session the response belongs to (optional; the service checks it is one of
    the client's)."""
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise InputError("choose a session from the list") from None


def _answered(raw_day: str, raw_time: str) -> tuple[dt.date, dt.time | None]:
    """The day answered (today when left empty) and the time of day if one was given, as
    entered: nothing is invented, and no zone is added to the time."""
    now = dt.datetime.now()
    day = now.date()
    if raw_day:
        try:
            day = dt.date.fromisoformat(raw_day)
        except ValueError:
            raise InputError("the date answered is not a date") from None
    time = None
    if raw_time:
        try:
            time = dt.time.fromisoformat(raw_time).replace(second=0, microsecond=0, tzinfo=None)
        except ValueError:
            raise InputError("the time answered is not a time of day (e.g. 14:30)") from None
    if day > now.date() or (time is not None and dt.datetime.combine(day, time) > now):
        raise InputError("the date answered is in the future")
    return day, time


def _plain(exc: InputError) -> str:
    """The error for the form: which item, what is wrong (never a value typed in)."""
    message = exc.message
    if message.startswith("response 'new': "):
        message = message[len("response 'new': ") :]
    return message[:1].upper() + message[1:] + "."
