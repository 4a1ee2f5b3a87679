"""Sessions: upload, the session page with its report and coded transcript, status, retry.

The pages and forms only (and reading the uploaded file, :mod:`edgewise.web.upload`):
storing, reading back and queueing sessions, and their audit rows, are
:mod:`edgewise.services.sessions`'.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from edgewise.coding.flags import RISK_CHECK, RISK_CHECK_NOTICE
from edgewise.error_codes import error_code
from edgewise.errors import DeidMissingError
from edgewise.report.html import MOMENT_WORDS
from edgewise.services import deidentify as deid
from edgewise.services.risk import RISK_FLAG, RISK_NOTICE
from edgewise.services.sessions import (
    read_report,
    retry_session,
    store_upload,
    view_session,
)
from edgewise.store import ConflictError, SessionRecord
from edgewise.web.deps import (
    ApiUser,
    Auth,
    Csrf,
    Ctx,
    PageActor,
    PageUser,
    record_errors,
    session_or_404,
    writable_client,
)
from edgewise.web.templating import render
from edgewise.web.transcript_view import (
    FLAG_WORDS,
    clean_filters,
    filter_options,
    transcript_rows,
)
from edgewise.web.upload import (
    ALREADY_UPLOADED,
    ENCODINGS,
    UploadError,
    already_uploaded,
    read_upload,
)

__all__ = ["router", "status_message"]

router = APIRouter()

FAILED_UNKNOWN = "The analysis did not finish. Retry it."
#: At most this many earlier sessions are linked when a file is uploaded again.
LINKED_SESSIONS = 20
_META_CSP = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">')


def status_message(ctx_failures: dict[int, str], record: SessionRecord) -> str | None:
    """What to say about a session that is not done."""
    if record.status == "failed":
        return ctx_failures.get(record.id, FAILED_UNKNOWN)
    return None


@router.get("/clients/{client_id}/sessions/new")
def upload_form(request: Request, ctx: Ctx, user: PageUser, client_id: int) -> Response:
    """The upload form."""
    client = writable_client(ctx, user, client_id)
    return _upload_page(request, client.id, client.alias, None, 200)


def _upload_page(
    request: Request,
    client_id: int,
    alias: str,
    error: str | None,
    status: int,
    *,
    encoding: str = "",
    earlier: tuple[SessionRecord, ...] = (),
    deidentify: bool = False,
) -> Response:
    context = {
        "client_id": client_id,
        "alias": alias,
        "error": error,
        "today": dt.date.today().isoformat(),
        "encodings": ENCODINGS,
        "encoding": encoding,
        "deid_available": deid.available(),
        "deidentify": deidentify,
        "earlier": earlier[:LINKED_SESSIONS],
        "more": max(0, len(earlier) - LINKED_SESSIONS),
    }
    return render(request, "upload.html", context, status_code=status)


@router.post("/clients/{client_id}/sessions/new", dependencies=[Auth, Csrf])
def upload(
    request: Request,
    ctx: Ctx,
    user: PageUser,
    actor: PageActor,
    client_id: int,
    transcript: Annotated[UploadFile | None, File()] = None,
    session_date: Annotated[str, Form(max_length=10)] = "",
    therapist: Annotated[str, Form(max_length=200)] = "",
    encoding: Annotated[str, Form(max_length=32)] = "",
    deidentify: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """Read the file (de-identified first when asked) and store all its sessions as
    pending (one transaction), then queue their analysis; a file the client already has
    is shown, not stored again (409)."""
    client = writable_client(ctx, user, client_id)
    chosen = encoding if encoding in ENCODINGS else ""
    wanted = deidentify != ""

    def again(error: str, status: int, earlier: tuple[SessionRecord, ...] = ()) -> Response:
        """The form once more, with the error and the choices made (the box kept ticked:
        a second try must not store the text as it is by surprise)."""
        return _upload_page(
            request,
            client.id,
            client.alias,
            error,
            status,
            encoding=chosen,
            earlier=earlier,
            deidentify=wanted,
        )

    if transcript is None or not transcript.filename:
        return again("Choose a transcript file.", 400)
    if wanted:
        try:  # before the file is read: refused (E410, 422), nothing read or stored
            deid.require_available()
        except DeidMissingError as exc:
            return again(exc.render(), exc.entry.http_status)
    try:
        date = dt.date.fromisoformat(session_date) if session_date else None
        read = read_upload(
            transcript.file,
            transcript.filename,
            therapist.strip() or None,
            encoding or None,
            folder=request.app.state.upload_dir,
        )
    except ValueError:
        return again("The date is not a date.", 400)
    except UploadError as exc:
        return again(exc.render(), exc.entry.http_status)
    store = deid.store_deidentified_upload if wanted else store_upload
    try:
        stored = store(
            ctx.store,
            ctx.worker,
            actor,
            client.id,
            read.sessions,
            digest=read.digest,
            name=read.name,
            date=date,
        )
    except ConflictError as exc:
        return again("Please try again.", exc.entry.http_status)
    except DeidMissingError as exc:  # the extra found, but it does not import
        return again(exc.render(), exc.entry.http_status)
    if not stored.created:
        notice = already_uploaded(read.name, [r.number for r in stored.sessions])
        return again(notice, error_code(ALREADY_UPLOADED).http_status, stored.sessions)
    first = stored.sessions[0].id
    target = f"/sessions/{first}" if len(stored.sessions) == 1 else f"/clients/{client.id}"
    return RedirectResponse(target, status_code=303)


@router.get("/sessions/{session_id}")
def session_page(
    request: Request,
    ctx: Ctx,
    actor: PageActor,
    session_id: int,
    code: str | None = None,
    flag: str | None = None,
    moment: str | None = None,
    role: str | None = None,
) -> Response:
    """The session: status (or its analysis) and the coded transcript, filtered."""
    with record_errors():
        view = view_session(ctx.store, actor, session_id)
    record, session = view.record, view.session
    filters = clean_filters(code, flag, moment, role)
    rows = transcript_rows(session, view.codes, view.analysis, filters)
    context: dict[str, Any] = {
        "record": record,
        "client": view.client,
        "analysis": view.analysis,
        "has_codes": view.codes is not None,
        "rows": rows,
        "has_risk": any(RISK_FLAG in row.flags for row in rows),
        "risk_notice": RISK_NOTICE,
        "flag_notes": {RISK_FLAG: RISK_NOTICE, RISK_CHECK: RISK_CHECK_NOTICE},
        "total_rows": len(session.utterances),
        "filters": filters,
        "options": filter_options(),
        "message": status_message(ctx.worker.failures, record),
        "busy": ctx.worker.busy(record.id),
        "flag_words": FLAG_WORDS,
        "moment_words": MOMENT_WORDS,
    }
    return render(request, "session.html", context)


@router.get("/sessions/{session_id}/report")
def session_report(ctx: Ctx, actor: PageActor, session_id: int) -> Response:
    """The analysis report page, sandboxed, for the session page's frame."""
    from edgewise.analysis.weights import load_weights
    from edgewise.report import render_report

    with record_errors():
        found = read_report(ctx.store, actor, session_id)
    if found is None:
        return HTMLResponse("This session has not been analysed yet.", status_code=409)
    coded, analysis = found
    t = load_weights().thresholds
    page = render_report(
        coded, analysis, support_high=t.support_high, challenge_high=t.challenge_high
    )
    return HTMLResponse(page, headers=_report_headers(page))


def _report_headers(page: str) -> dict[str, str]:
    """The report's own CSP, framable by this site only and sandboxed even when opened alone."""
    found = _META_CSP.search(page)
    policy = html.unescape(found.group(1)) if found else "default-src 'none'"
    return {
        "Content-Security-Policy": f"{policy}; frame-ancestors 'self'; sandbox allow-scripts",
        "X-Frame-Options": "SAMEORIGIN",
    }


@router.get("/sessions/{session_id}/status")
def session_status(ctx: Ctx, user: ApiUser, session_id: int) -> Response:
    """Status and progress as JSON, for the session page's progress bar."""
    record = session_or_404(ctx, user, session_id)
    return JSONResponse(
        {
            "status": record.status,
            "progress": record.analysis_progress,
            "message": status_message(ctx.worker.failures, record),
        }
    )


@router.post("/sessions/{session_id}/retry", dependencies=[Auth, Csrf])
def retry(ctx: Ctx, actor: PageActor, session_id: int) -> Response:
    """Analyse a failed (or stuck) session again."""
    with record_errors():
        record = retry_session(ctx.store, ctx.worker, actor, session_id)
    return RedirectResponse(f"/sessions/{record.id}", status_code=303)
