"""Enter a measure (PHQ-9, GAD-7, ...) for a client: a touch-friendly form, scored on save."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.errors import InputError
from edgewise.measures import MeasureResponse, score_response
from edgewise.store import ClientRecord, NotFoundError, UserRecord
from edgewise.web.deps import (
    Auth,
    Csrf,
    Ctx,
    FormFields,
    PageUser,
    WebContext,
    not_found,
    writable_client,
)
from edgewise.web.measure_service import (
    Defined,
    answers_json,
    definitions,
    parse_answers,
    refresh_measure_alerts,
    scored_history,
)
from edgewise.web.templating import render

__all__ = ["router"]

router = APIRouter()


def _definition(ctx: WebContext, user: UserRecord, measure: str) -> Defined:
    found = definitions(ctx.store, user.id).get(measure)
    if found is None:
        not_found()
    return found


def _form_page(
    request: Request,
    ctx: WebContext,
    user: UserRecord,
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
        "sessions": ctx.store.list_sessions(user.id, client.id),
        "chosen": chosen,
        "error": error,
        "today": dt.datetime.now(dt.UTC).date().isoformat(),
    }
    return render(request, "measure_form.html", context, status_code=status)


@router.get("/clients/{client_id}/measures/new")
def measure_form(
    request: Request, ctx: Ctx, user: PageUser, client_id: int, measure: str = "phq9"
) -> Response:
    """The questionnaire as a form, one large choice per option."""
    client = writable_client(ctx, user, client_id)
    defined = _definition(ctx, user, measure)
    return _form_page(request, ctx, user, client, defined, chosen={}, error=None)


@router.post("/clients/{client_id}/measures/new", dependencies=[Auth, Csrf])
def save_measure(
    request: Request,
    ctx: Ctx,
    user: PageUser,
    form: FormFields,
    client_id: int,
    measure: str = "phq9",
) -> Response:
    """Score and store the response, then run the alert rules for the client."""
    client = writable_client(ctx, user, client_id)
    defined = _definition(ctx, user, measure)
    definition = defined.definition
    try:
        answers = parse_answers(definition, form)
        session_id = _session_choice(ctx, user, client, form.get("session_id", ""))
        answered_at = _answered_at(form.get("answered_on", ""))
        response = MeasureResponse(
            id="new",
            measure_id=definition.id,
            measure_version=definition.version,
            client_id=str(client.id),
            authored=answered_at,
            answers=answers,
        )
        score = score_response(definition, response)
    except InputError as exc:
        return _form_page(
            request, ctx, user, client, defined, chosen=form, error=_plain(exc), status=400
        )
    saved = ctx.store.add_measure_response(
        user.id,
        client.id,
        defined.record.id,
        answers_json(answers),
        score.total,
        answered_at=answered_at,
        session_id=session_id,
    )
    ctx.store.audit(user.id, "create", "measure_response", saved.id)
    _refresh_alerts(ctx, user, client, defined)
    return RedirectResponse(f"/clients/{client.id}#measure-{defined.record.key}", status_code=303)


def _session_choice(
    ctx: WebContext, user: UserRecord, client: ClientRecord, raw: str
) -> int | None:
    """The session the response belongs to (optional); one of this client's."""
    if not raw:
        return None
    try:
        session_id = int(raw)
    except ValueError:
        raise InputError("choose a session from the list") from None
    if session_id not in {s.id for s in ctx.store.list_sessions(user.id, client.id)}:
        raise InputError("choose a session from the list")
    return session_id


def _answered_at(raw: str) -> dt.datetime:
    """When the questionnaire was answered: now for today (or no date), else noon UTC that day."""
    now = dt.datetime.now(dt.UTC)
    if not raw:
        return now
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError("the date answered is not a date") from None
    if day > now.date():
        raise InputError("the date answered is in the future")
    if day == now.date():
        return now
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)


def _refresh_alerts(ctx: WebContext, user: UserRecord, client: ClientRecord, d: Defined) -> None:
    sessions = ctx.store.list_sessions(user.id, client.id)
    history = scored_history(
        ctx.store, user.id, client.id, client.alias, {d.record.key: d}, sessions
    )
    try:
        refresh_measure_alerts(
            ctx.store, user.id, client.id, d.definition, history.get(d.record.key, [])
        )
    except (InputError, NotFoundError):
        pass  # a rule that cannot judge this history raises nothing worth stopping the save for


def _plain(exc: InputError) -> str:
    """The error for the form: which item, what is wrong (never a value typed in)."""
    message = exc.message
    if message.startswith("response 'new': "):
        message = message[len("response 'new': ") :]
    return message[:1].upper() + message[1:] + "."
