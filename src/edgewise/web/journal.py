"""Pages of the clinician's inner side: a session's journal of internal signals, the
reflective exercises with their evidence, and the mirror.

Forms only: checking, storing, privacy and the audit rows are the services'
(:mod:`edgewise.services.journal`, :mod:`~edgewise.services.exercises`,
:mod:`~edgewise.services.mirror`). Another clinician's entry that was not shared is
never on a page: the services do not hand it out.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from edgewise.analysis.follow_up import FOLLOW_UPS
from edgewise.errors import InputError
from edgewise.journal.mirror import CHALLENGE_HIGH, MIN_GROUP, OUTCOMES
from edgewise.services import exercises, journal, mirror
from edgewise.services.actor import Actor
from edgewise.web.deps import Auth, Csrf, Ctx, FormFields, PageActor, WebContext, record_errors
from edgewise.web.templating import render

__all__ = ["FOLLOW_UP_WORDS", "OUTCOME_WORDS", "router"]

router = APIRouter()

#: How the pages name each follow-up kind and mirror outcome.
FOLLOW_UP_WORDS = {
    "met": "met with support",
    "pushed": "pushed on",
    "backed_off": "backed off or changed topic",
}
OUTCOME_WORDS = {
    "challenge_high": f"challenge measured at or above {CHALLENGE_HIGH}",
    "non_adherent": "advice without permission or confrontation",
    "strain": "a challenge met strain",
    "backed_off": "backed off after strain",
}


def _journal_page(
    request: Request,
    ctx: WebContext,
    actor: Actor,
    session_id: int,
    *,
    error: str | None = None,
    chosen: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    with record_errors():
        page = journal.session_journal(ctx.store, actor, session_id)
    context: dict[str, Any] = {
        "page": page,
        "vocabulary": page.vocabulary,
        "me": actor.user_id,
        "error": error,
        "chosen": chosen or {},
    }
    return render(request, "journal.html", context, status_code=status)


@router.get("/sessions/{session_id}/journal")
def journal_page(request: Request, ctx: Ctx, actor: PageActor, session_id: int) -> Response:
    """The session's journal: what the clinician noted, and a form to note more."""
    return _journal_page(request, ctx, actor, session_id)


def _int(raw: str, what: str) -> int | None:
    if not raw.strip():
        return None
    try:
        return int(raw)
    except ValueError:
        raise InputError(f"the {what} is not a number") from None


@router.post("/sessions/{session_id}/journal", dependencies=[Auth, Csrf])
def add_entry(
    request: Request, ctx: Ctx, actor: PageActor, form: FormFields, session_id: int
) -> Response:
    """Note a signal (kind.signal, intensity 1-5, optional turn from 1, optional note)."""
    kind, _, signal = form.get("signal", "").partition(".")
    try:
        with record_errors():
            turn = _int(form.get("turn", ""), "turn")
            saved = journal.add_entry(
                ctx.store,
                actor,
                session_id,
                kind,
                signal,
                _int(form.get("intensity", ""), "intensity") or 0,
                turn=None if turn is None else turn - 1,
                note=form.get("note", "").strip() or None,
            )
    except InputError as exc:
        return _journal_page(
            request, ctx, actor, session_id, error=exc.render(), chosen=form, status=400
        )
    return RedirectResponse(f"/sessions/{session_id}/journal#entry-{saved.id}", status_code=303)


@router.post("/journal/{entry_id}/share", dependencies=[Auth, Csrf])
def share_entry(ctx: Ctx, actor: PageActor, form: FormFields, entry_id: int) -> Response:
    """Share the entry with whoever may see the client (``shared=1``), or take it back."""
    with record_errors():
        saved = journal.set_shared(ctx.store, actor, entry_id, form.get("shared") == "1")
    target = f"/sessions/{saved.session_id}/journal#entry-{saved.id}"
    return RedirectResponse(target, status_code=303)


@router.post("/journal/{entry_id}/delete", dependencies=[Auth, Csrf])
def delete_entry(ctx: Ctx, actor: PageActor, entry_id: int) -> Response:
    """Remove the clinician's own entry."""
    with record_errors():
        found = journal.get_entry(ctx.store, actor, entry_id)
        journal.delete_entry(ctx.store, actor, entry_id)
    return RedirectResponse(f"/sessions/{found.session_id}/journal", status_code=303)


@router.get("/reflect")
def reflect_page(request: Request, ctx: Ctx, actor: PageActor) -> Response:
    """The exercises the clinician may answer, and the way to the mirror."""
    found = exercises.list_exercises(ctx.store, actor)
    return render(request, "reflect.html", {"exercises": found})


@router.get("/reflect/exercises/{key}")
def exercise_page(
    request: Request, ctx: Ctx, actor: PageActor, key: str, client_id: int | None = None
) -> Response:
    """The exercise's questions, the clinician's dated answers and the evidence beside."""
    with record_errors():
        page = exercises.exercise_page(ctx.store, actor, key, client_id)
    context: dict[str, Any] = {
        "page": page,
        "follow_up_words": FOLLOW_UP_WORDS,
        "follow_up_kinds": FOLLOW_UPS,
    }
    return render(request, "exercise.html", context)


@router.post("/reflect/exercises/{key}", dependencies=[Auth, Csrf])
def answer(ctx: Ctx, actor: PageActor, form: FormFields, key: str) -> Response:
    """Keep the answer to one question (about the client chosen, or in general)."""
    client = _int(form.get("client_id", ""), "client")
    question = form.get("question", "")
    with record_errors():
        exercises.answer(ctx.store, actor, key, question, form.get("answer", ""), client)
    where = f"/reflect/exercises/{key}" + ("" if client is None else f"?client_id={client}")
    return RedirectResponse(f"{where}#question-{question}", status_code=303)


@router.get("/reflect/mirror")
def mirror_page(request: Request, ctx: Ctx, actor: PageActor) -> Response:
    """The clinician's noted signals beside what the analyses saw (counts and intervals)."""
    found, vocabulary = mirror.clinician_mirror(ctx.store, actor)
    context: dict[str, Any] = {
        "mirror": found,
        "vocabulary": vocabulary,
        "outcomes": OUTCOMES,
        "outcome_words": OUTCOME_WORDS,
        "min_group": MIN_GROUP,
    }
    return render(request, "mirror.html", context)
