"""The goals page of a client: goals, action steps proposed from sessions, follow-through
and its chart, and the forms to decide them.

Forms only: the record's rules, the audit rows and the alerts are
:mod:`edgewise.services.goals`'. A client the user may not see is a 404; a change asked
by a read-only colleague a 403 (the page shows them no forms).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.services import goal_insight, goal_plan, goals
from edgewise.services.actor import Actor
from edgewise.store.goal_records import GoalError
from edgewise.store.goals import KEEP, Keep
from edgewise.web.deps import Auth, Csrf, Ctx, FormFields, PageActor, WebContext, record_errors
from edgewise.web.goals_view import OUTCOME_WORDS, STEP_STATUS_WORDS, goals_page
from edgewise.web.templating import render

__all__ = ["STEP_ACTIONS", "router"]

router = APIRouter()

#: What a step form's button asks: the status it moves the step to (``save``: none).
STEP_ACTIONS: dict[str, str | None] = {
    "accept": "accepted",
    "dismiss": "dismissed",
    "done": "done",
    "reopen": "accepted",
    "save": None,
}


def _page(
    request: Request,
    ctx: WebContext,
    actor: Actor,
    client_id: int,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    with record_errors():
        found = goals.view_goals(ctx.store, actor, client_id)
    context: dict[str, Any] = goals_page(found) | {"error": error}
    return render(request, "goals.html", context, status_code=status)


def _back(client_id: int, anchor: str) -> Response:
    return RedirectResponse(f"/clients/{client_id}/goals#{anchor}", status_code=303)


@router.get("/clients/{client_id}/goals")
def goals_page_route(request: Request, ctx: Ctx, actor: PageActor, client_id: int) -> Response:
    """The client's goals, action steps and follow-through."""
    return _page(request, ctx, actor, client_id)


@router.get("/clients/{client_id}/insight")
def insight_page(request: Request, ctx: Ctx, actor: PageActor, client_id: int) -> Response:
    """From insight to action: each theme's commitments, steps and follow-through, and
    DARN to CAT movement across sessions."""
    with record_errors():
        found = goal_insight.insight_view(ctx.store, actor, client_id)
    context = {
        "client": found.client,
        "found": found,
        "outcome_words": OUTCOME_WORDS,
        "status_words": STEP_STATUS_WORDS,
    }
    return render(request, "insight.html", context)


@router.get("/clients/{client_id}/goals/plan")
def plan_page(request: Request, ctx: Ctx, actor: PageActor, client_id: int) -> Response:
    """The client's action plan in plain language, to print or send."""
    with record_errors():
        found = goal_plan.plan_file(ctx.store, actor, client_id)
    return render(request, "goals_plan.html", {"client": found.client, "plan": found.plan})


@router.get("/clients/{client_id}/goals/plan.pdf")
def plan_pdf(ctx: Ctx, actor: PageActor, client_id: int) -> Response:
    """The client's action plan as a PDF (the plan page's words), to print or send."""
    with record_errors():
        body = goal_plan.plan_pdf_file(ctx.store, actor, client_id)
    headers = {"Content-Disposition": 'attachment; filename="action-plan.pdf"'}
    return Response(body, media_type="application/pdf", headers=headers)


@router.get("/clients/{client_id}/goals/steps.ics")
def plan_calendar(ctx: Ctx, actor: PageActor, client_id: int) -> Response:
    """The accepted steps with a date, as a calendar file to import."""
    with record_errors():
        body = goal_plan.calendar_file(ctx.store, actor, client_id)
    headers = {"Content-Disposition": 'attachment; filename="action-steps.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)


@router.post("/clients/{client_id}/goals", dependencies=[Auth, Csrf])
def add_goal(
    request: Request, ctx: Ctx, actor: PageActor, form: FormFields, client_id: int
) -> Response:
    """A new goal in the client's words, with the value behind it."""
    try:
        with record_errors():
            goal = goals.add_goal(
                ctx.store, actor, client_id, form.get("title", ""), form.get("value") or None
            )
    except GoalError as exc:
        return _page(request, ctx, actor, client_id, error=exc.render(), status=400)
    return _back(client_id, f"goal-{goal.id}")


@router.post("/goals/{goal_id}", dependencies=[Auth, Csrf])
def update_goal(
    request: Request, ctx: Ctx, actor: PageActor, form: FormFields, goal_id: int
) -> Response:
    """Change a goal's words, value or status."""
    title: str | Keep = form["title"] if "title" in form else KEEP
    value: str | None | Keep = (form.get("value") or None) if "value" in form else KEEP
    status: str | Keep = form["status"] if "status" in form else KEEP
    with record_errors():
        try:
            goal = goals.update_goal(
                ctx.store, actor, goal_id, title=title, value=value, status=status
            )
        except GoalError as exc:
            client_id = int(form.get("client_id", "0") or 0)
            return _page(request, ctx, actor, client_id, error=exc.render(), status=400)
    return _back(goal.client_id, f"goal-{goal.id}")


@router.post("/clients/{client_id}/steps", dependencies=[Auth, Csrf])
def add_step(
    request: Request, ctx: Ctx, actor: PageActor, form: FormFields, client_id: int
) -> Response:
    """A step written with the client (accepted at once)."""
    try:
        with record_errors():
            step = goals.add_step(
                ctx.store,
                actor,
                client_id,
                form.get("what", ""),
                when=form.get("when") or None,
                due_on=_date(form.get("due_on", "")),
                goal_id=_goal_id(form.get("goal_id", "")),
            )
    except GoalError as exc:
        return _page(request, ctx, actor, client_id, error=exc.render(), status=400)
    return _back(client_id, f"step-{step.id}")


@router.post("/steps/{step_id}", dependencies=[Auth, Csrf])
def update_step(
    request: Request, ctx: Ctx, actor: PageActor, form: FormFields, step_id: int
) -> Response:
    """Accept (with the words as edited), save, dismiss, mark done or reopen a step."""
    action = form.get("action", "save")
    with record_errors():
        found = goals.get_step(ctx.store, actor, step_id)
        try:
            if action not in STEP_ACTIONS:
                raise GoalError(f"unknown action: one of {', '.join(STEP_ACTIONS)}")
            chosen = STEP_ACTIONS[action]
            step = goals.update_step(
                ctx.store,
                actor,
                step_id,
                what=form["what"] if "what" in form else KEEP,
                when=(form.get("when") or None) if "when" in form else KEEP,
                due_on=_date(form["due_on"]) if "due_on" in form else KEEP,
                goal_id=_goal_id(form["goal_id"]) if "goal_id" in form else KEEP,
                status=KEEP if chosen is None else chosen,
            )
        except GoalError as exc:
            return _page(request, ctx, actor, found.client_id, error=exc.render(), status=400)
    return _back(step.client_id, f"step-{step.id}")


@router.post("/follow-through/{follow_id}", dependencies=[Auth, Csrf])
def review(
    request: Request, ctx: Ctx, actor: PageActor, form: FormFields, follow_id: int
) -> Response:
    """Confirm or correct what a later session said about a step."""
    with record_errors():
        try:
            entry = goals.review_follow_through(
                ctx.store, actor, follow_id, form.get("outcome", "")
            )
        except GoalError as exc:
            client_id = int(form.get("client_id", "0") or 0)
            return _page(request, ctx, actor, client_id, error=exc.render(), status=400)
    return _back(entry.client_id, f"step-{entry.step_id}")


def _date(raw: str) -> dt.date | None:
    """A date field (``YYYY-MM-DD``; empty: none)."""
    if not raw.strip():
        return None
    try:
        return dt.date.fromisoformat(raw.strip())
    except ValueError:
        raise GoalError("the date is not a date (YYYY-MM-DD)") from None


def _goal_id(raw: str) -> int | None:
    """A goal select's value (empty: no goal)."""
    if not raw.strip():
        return None
    if not raw.strip().isdigit():
        raise GoalError("the goal is not one of the client's")
    return int(raw)
