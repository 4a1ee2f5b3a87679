"""Enter a measure (PHQ-9, GAD-7, ...) for a client: a touch-friendly form, scored on save."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.errors import InputError
from edgewise.measures import MeasureResponse, score_response
from edgewise.services.alerts import refresh_measure_alerts, refresh_safety_alert
from edgewise.services.measures import (
    Defined,
    answers_json,
    definitions,
    parse_answers,
    scored_history,
)
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
        "today": dt.date.today().isoformat(),
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
    """Score and store the response, raise a safety alert at once if an item calls for one,
    then run the measure's alert rules for the client."""
    client = writable_client(ctx, user, client_id)
    defined = _definition(ctx, user, measure)
    definition = defined.definition
    try:
        answers = parse_answers(definition, form)
        session_id = _session_choice(ctx, user, client, form.get("session_id", ""))
        day, time = _answered(form.get("answered_on", ""), form.get("answered_time", ""))
        response = MeasureResponse(
            id="new",
            measure_id=definition.id,
            measure_version=definition.version,
            client_id=str(client.id),
            authored=day if time is None else dt.datetime.combine(day, time),
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
        answered_on=day,
        answered_time=time,
        session_id=session_id,
    )
    ctx.store.audit(user.id, "create", "measure_response", saved.id)
    safety = _refresh_alerts(ctx, user, client, defined, saved.id)
    anchor = "alerts" if safety else f"measure-{defined.record.key}"
    return RedirectResponse(f"/clients/{client.id}#{anchor}", status_code=303)


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


def _refresh_alerts(
    ctx: WebContext, user: UserRecord, client: ClientRecord, d: Defined, response_id: int
) -> bool:
    """Safety item first (from the saved response), then the measure's rules; whether a
    safety alert was raised."""
    sessions = ctx.store.list_sessions(user.id, client.id)
    history = scored_history(
        ctx.store, user.id, client.id, client.alias, {d.record.key: d}, sessions
    )
    scored = history.get(d.record.key, [])
    saved = next((s for s in scored if s.record.id == response_id), None)
    raised = saved is not None and refresh_safety_alert(ctx.store, client.id, saved) is not None
    try:
        refresh_measure_alerts(ctx.store, client.id, d.definition, scored)
    except (InputError, NotFoundError):
        pass  # a rule that cannot judge this history raises nothing worth stopping the save for
    return raised


def _plain(exc: InputError) -> str:
    """The error for the form: which item, what is wrong (never a value typed in)."""
    message = exc.message
    if message.startswith("response 'new': "):
        message = message[len("response 'new': ") :]
    return message[:1].upper() + message[1:] + "."
