"""The growing-edge page of a session: drafts from the client's own words, and the
language the clinician saved for the client.

Forms only: drafting, storing, privacy and the audit rows are
:mod:`edgewise.services.language`'s. Another clinician's saved language that was not
shared is never on a page: the service does not hand it out.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.services import language
from edgewise.services.actor import Actor
from edgewise.services.sessions import find_session
from edgewise.store.language import (
    NotAuthorError,
    SavedLanguageError,
    SavedLanguageRecord,
    TurnRef,
)
from edgewise.web.deps import Auth, Csrf, Ctx, FormFields, PageActor, WebContext, record_errors
from edgewise.web.templating import render

__all__ = ["KIND_WORDS", "router"]

router = APIRouter()

#: How the page names each kind of draft.
KIND_WORDS = {
    "double_sided": "Double-sided reflection",
    "feeling_torn": "Feeling torn",
    "conjecture": "Empathic conjecture",
    "own": "Your own",
}


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
        row = find_session(ctx.store, actor, session_id)
        found = language.session_language_drafts(ctx.store, actor, session_id)
        saved = language.list_language(ctx.store, actor, row.client_id)
    context: dict[str, Any] = {
        "record": row,
        "drafts": found.drafts,
        "saved": saved,
        "me": actor.user_id,
        "kind_words": KIND_WORDS,
        "error": error,
    }
    return render(request, "growing_edge.html", context, status_code=status)


@router.get("/sessions/{session_id}/drafts")
def drafts_page(request: Request, ctx: Ctx, actor: PageActor, session_id: int) -> Response:
    """The session's growing-edge drafts and the client's saved language."""
    return _page(request, ctx, actor, session_id)


@router.post("/sessions/{session_id}/language", dependencies=[Auth, Csrf])
def save(
    request: Request, ctx: Ctx, actor: PageActor, form: FormFields, session_id: int
) -> Response:
    """Keep a (usually edited) draft as the clinician's own language for the client."""
    try:
        with record_errors():
            row = find_session(ctx.store, actor, session_id)
            saved = language.save_language(
                ctx.store,
                actor,
                row.client_id,
                form.get("text", ""),
                kind=form.get("kind", "own"),
                theme=form.get("theme") or None,
                session_id=row.id,
                citations=_turns(row.id, form.get("turns", "")),
                shared=form.get("shared") == "1",
            )
    except SavedLanguageError as exc:
        return _page(request, ctx, actor, session_id, error=exc.render(), status=400)
    return RedirectResponse(f"/sessions/{session_id}/drafts#saved-{saved.id}", status_code=303)


@router.post("/language/{language_id}/share", dependencies=[Auth, Csrf])
def share(ctx: Ctx, actor: PageActor, form: FormFields, language_id: int) -> Response:
    """Share one's own saved language with whoever may see the client, or take it back."""
    with record_errors():
        saved = _own(ctx, actor, language_id, shared=form.get("shared") == "1")
    return RedirectResponse(_back(saved.session_id, saved.client_id, saved.id), status_code=303)


@router.post("/language/{language_id}/delete", dependencies=[Auth, Csrf])
def delete(ctx: Ctx, actor: PageActor, language_id: int) -> Response:
    """Remove one's own saved language."""
    with record_errors():
        found = language.get_language(ctx.store, actor, language_id)
        try:
            language.delete_language(ctx.store, actor, language_id)
        except NotAuthorError:
            return Response("Only its author may remove it.", status_code=403)
    return RedirectResponse(_back(found.session_id, found.client_id, None), status_code=303)


def _own(ctx: WebContext, actor: Actor, language_id: int, *, shared: bool) -> SavedLanguageRecord:
    try:
        return language.update_language(ctx.store, actor, language_id, shared=shared)
    except NotAuthorError:
        raise HTTPException(status_code=403, detail="Only its author may change it.") from None


def _back(session_id: int | None, client_id: int, language_id: int | None) -> str:
    anchor = f"#saved-{language_id}" if language_id is not None else "#saved"
    if session_id is None:
        return f"/clients/{client_id}"
    return f"/sessions/{session_id}/drafts{anchor}"


def _turns(session_id: int, raw: str) -> list[TurnRef]:
    """``"12,30"`` (turn numbers from 1) as references to the session's turns."""
    refs = []
    for part in raw.replace(" ", "").split(","):
        if not part:
            continue
        if not part.isdigit() or int(part) < 1:
            raise SavedLanguageError("a cited turn is not a turn number")
        refs.append(TurnRef(session_id, int(part) - 1))
    return refs
