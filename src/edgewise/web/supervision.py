"""A session's supervision page: a colleague the client is shared with (a supervisor)
comments on a turn or a key moment; the clinician sees and answers.

Forms only: the rules (who starts, reads, answers, removes), checking and the audit rows
are :mod:`edgewise.services.supervision`'s. Turns are numbered from 1 on the page.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.errors import InputError
from edgewise.report.html import MOMENT_WORDS
from edgewise.services import supervision
from edgewise.services.actor import Actor
from edgewise.store.supervision import NotSupervisorError
from edgewise.web.deps import Auth, Csrf, Ctx, FormFields, PageActor, WebContext, record_errors
from edgewise.web.templating import render

__all__ = ["router", "target"]

router = APIRouter()


def _page(
    request: Request,
    ctx: WebContext,
    actor: Actor,
    session_id: int,
    *,
    error: str | None = None,
    status: int = 200,
) -> Response:
    with record_errors():
        page = supervision.session_supervision(ctx.store, actor, session_id)
    words = {u.index: u for u in page.turns}
    context: dict[str, Any] = {
        "page": page,
        "turn_of": words,
        "me": actor.user_id,
        "moment_words": MOMENT_WORDS,
        "error": error,
    }
    return render(request, "supervision.html", context, status_code=status)


@router.get("/sessions/{session_id}/supervision")
def supervision_page(request: Request, ctx: Ctx, actor: PageActor, session_id: int) -> Response:
    """The session's supervision threads, and the form to comment on a turn or moment."""
    return _page(request, ctx, actor, session_id)


def target(raw: str) -> tuple[int, str | None]:
    """``turn:12`` or ``moment:rupture:12`` (turns from 1) as (index from 0, moment kind)."""
    parts = raw.split(":")
    number = parts[-1]
    if len(parts) not in (2, 3) or not number.isdigit() or int(number) < 1:
        raise InputError("choose a turn or a key moment")
    return int(number) - 1, (parts[1] if len(parts) == 3 else None)


@router.post("/sessions/{session_id}/supervision", dependencies=[Auth, Csrf])
def add_comment(
    request: Request, ctx: Ctx, actor: PageActor, form: FormFields, session_id: int
) -> Response:
    """Comment on a turn or a key moment (a colleague the client is shared with)."""
    try:
        with record_errors():
            turn, moment = target(form.get("at", ""))
            saved = supervision.comment(
                ctx.store, actor, session_id, form.get("text", ""), turn, moment=moment
            )
    except (InputError, NotSupervisorError) as exc:
        status = exc.entry.http_status
        return _page(request, ctx, actor, session_id, error=exc.render(), status=status)
    return RedirectResponse(f"/sessions/{session_id}/supervision#comment-{saved.id}", 303)


@router.post("/supervision/{comment_id}/answer", dependencies=[Auth, Csrf])
def add_answer(
    request: Request, ctx: Ctx, actor: PageActor, form: FormFields, comment_id: int
) -> Response:
    """Answer a thread (the clinician, or the comment's author)."""
    with record_errors():
        found = supervision.get_comment(ctx.store, actor, comment_id)
        try:
            saved = supervision.answer(ctx.store, actor, comment_id, form.get("text", ""))
        except InputError as exc:
            status = exc.entry.http_status
            return _page(request, ctx, actor, found.session_id, error=exc.render(), status=status)
    return RedirectResponse(f"/sessions/{saved.session_id}/supervision#comment-{saved.id}", 303)


@router.post("/supervision/{comment_id}/delete", dependencies=[Auth, Csrf])
def delete(ctx: Ctx, actor: PageActor, comment_id: int) -> Response:
    """Remove one's own comment or answer."""
    with record_errors():
        gone = supervision.delete_comment(ctx.store, actor, comment_id)
    return RedirectResponse(f"/sessions/{gone.session_id}/supervision", status_code=303)
