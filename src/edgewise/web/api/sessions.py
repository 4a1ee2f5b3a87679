"""Sessions: a client's list, uploading a transcript, a session's status, analysis, codes.

An upload is read by the same readers, under the same limits and with the same coded
errors as the upload form, and its sessions are stored together or not at all; each is
then queued for analysis (202). ``deidentify`` de-identifies them first, as the form's
box does (:mod:`edgewise.services.deidentify`: the same pipeline and audit row; E410,
422, without the ``deid`` extra). The analysis and the codes carry an ``ETag``; sending it
back in ``If-None-Match`` answers 304 while the analysis is unchanged.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, Header, Path, Request, UploadFile
from fastapi.responses import JSONResponse, Response

from edgewise.analysis.results import SessionAnalysis
from edgewise.services import deidentify as deid
from edgewise.services import sessions as service
from edgewise.services.actor import record
from edgewise.services.clients import writable_client
from edgewise.services.stored import load_stored
from edgewise.store import SessionRecord
from edgewise.web.api.auth import Caller, context
from edgewise.web.api.clients import ClientId
from edgewise.web.api.errors import NoAnalysisError
from edgewise.web.api.models import CodesOut, SessionOut, SessionPage, UploadOut, of_session
from edgewise.web.api.paging import DEFAULT_LIMIT, Cursor, Limit, next_link, slice_page
from edgewise.web.api.problems import coded_problem, refusals
from edgewise.web.deps import WebContext
from edgewise.web.sessions import status_message
from edgewise.web.upload import already_uploaded, read_upload

__all__ = ["etag_of", "router"]

router = APIRouter(tags=["sessions"])

SessionId = Annotated[int, Path(ge=1, le=2**31 - 1, description="The session's id.")]
Encoding = Literal["cp1252", "latin-1", "utf-16", "mac_roman"]
_ETAG = {"ETag": {"description": "The analysis's version.", "schema": {"type": "string"}}}
_UPLOAD_REFUSALS = refusals(400, 403, 404, 409, 413)
_UPLOAD_REFUSALS[422] = _UPLOAD_REFUSALS[422] | {
    "description": f"{_UPLOAD_REFUSALS[422]['description']} Or de-identification was asked "
    "for and the deid extra is not installed on this server (E410); nothing was stored."
}


@router.get("/clients/{client_id}/sessions", responses=refusals(404))
def list_sessions(
    request: Request,
    who: Caller,
    client_id: ClientId,
    limit: Limit = DEFAULT_LIMIT,
    cursor: Cursor = None,
) -> SessionPage:
    """The client's sessions, oldest first, a page at a time."""
    ctx = context(request)
    records = service.list_sessions(ctx.store, who.actor, client_id)
    page, following = slice_page(records, cursor, limit)
    record(ctx.store, who.actor, "view", "client", client_id, detail="sessions")
    items = [_out(ctx, r) for r in page]
    return SessionPage(items=items, next=next_link(request, following, limit))


@router.post(
    "/clients/{client_id}/sessions",
    status_code=202,
    response_model=UploadOut,
    responses=_UPLOAD_REFUSALS,
)
def upload(
    request: Request,
    who: Caller,
    client_id: ClientId,
    transcript: Annotated[UploadFile, File(description="The transcript file (.txt, .vtt, ...).")],
    session_date: Annotated[
        dt.date | None, Form(description="The session's date (default: the file's, or today).")
    ] = None,
    therapist: Annotated[
        str | None, Form(max_length=200, description="The clinician's speaker name in the file.")
    ] = None,
    encoding: Annotated[
        Encoding | None, Form(description="The file's encoding, when it is not UTF-8.")
    ] = None,
    deidentify: Annotated[
        bool,
        Form(
            description="De-identify before storing: only the de-identified text is stored "
            "(names become pseudonyms, identifiers placeholders; the session date kept). "
            "Needs the deid extra: without it the upload is refused (422, E410)."
        ),
    ] = False,
) -> Response:
    """Store every session in the file (all or none), de-identified first when asked, and
    queue their analysis."""
    ctx = context(request)
    client = writable_client(ctx.store, who.actor, client_id)
    if deidentify:
        deid.require_available()  # E410 (422) before the file is read: nothing stored
    read = read_upload(  # a file it cannot read: UploadError, with the reader's code
        transcript.file,
        transcript.filename,
        (therapist or "").strip() or None,
        encoding,
        folder=request.app.state.upload_dir,
    )
    store = deid.store_deidentified_upload if deidentify else service.store_upload
    stored = store(
        ctx.store,
        ctx.worker,
        who.actor,
        client.id,
        read.sessions,
        digest=read.digest,
        name=read.name,
        date=session_date,
    )
    if not stored.created:
        numbers = [r.number for r in stored.sessions]
        ids = [r.id for r in stored.sessions]
        return coded_problem(already_uploaded(read.name, numbers), {"sessions": ids})
    rows = [service.find_session(ctx.store, who.actor, r.id) for r in stored.sessions]
    body = UploadOut(sessions=[_out(ctx, r) for r in rows])  # analysed already, if inline
    location = f"{request.scope.get('root_path', '')}/sessions/{rows[0].id}"
    return JSONResponse(body.model_dump(mode="json"), 202, headers={"Location": location})


def _out(ctx: WebContext, row: SessionRecord) -> SessionOut:
    return of_session(row, status_message(ctx.worker.failures, row))


@router.get("/sessions/{session_id}", responses=refusals(404))
def get_session(request: Request, who: Caller, session_id: SessionId) -> SessionOut:
    """The session: its status, analysis progress and, once analysed, its headline scores."""
    ctx = context(request)
    row = service.find_session(ctx.store, who.actor, session_id)
    record(ctx.store, who.actor, "view", "session", row.id)
    return _out(ctx, row)


@router.get(
    "/sessions/{session_id}/analysis",
    response_model=SessionAnalysis,
    responses={
        200: {"headers": _ETAG},
        304: {"description": "Unchanged since the ETag sent in If-None-Match."},
        **refusals(404, 409),
    },
)
def get_analysis(
    request: Request,
    who: Caller,
    session_id: SessionId,
    if_none_match: Annotated[str | None, Header(description="An ETag from before.")] = None,
) -> Response:
    """The session's analysis (409 until it is done); 304 when ``If-None-Match`` holds
    its current ETag."""
    return _analysed(request, who, session_id, if_none_match, "analysis")


@router.get(
    "/sessions/{session_id}/codes",
    response_model=CodesOut,
    responses={
        200: {"headers": _ETAG},
        304: {"description": "Unchanged since the ETag sent in If-None-Match."},
        **refusals(404, 409),
    },
)
def get_codes(
    request: Request,
    who: Caller,
    session_id: SessionId,
    if_none_match: Annotated[str | None, Header(description="An ETag from before.")] = None,
) -> Response:
    """The coder's code for every utterance of the session (409 until it is analysed)."""
    return _analysed(request, who, session_id, if_none_match, "codes")


def _analysed(
    request: Request,
    who: Caller,
    session_id: int,
    if_none_match: str | None,
    part: Literal["analysis", "codes"],
) -> Response:
    store = context(request).store
    row = service.find_session(store, who.actor, session_id)
    if row.status != "done" or row.analysis_json is None:
        raise NoAnalysisError(session=row.id, status=row.status)
    tag = etag_of(row, part)
    if if_none_match is not None and _matches(if_none_match, tag):
        return Response(status_code=304, headers={"ETag": tag})  # nothing read out: no audit
    unpacked = load_stored(row.analysis_json, row.id)
    if part == "analysis":
        body = unpacked.analysis.model_dump_json()
    else:
        body = CodesOut(session_id=row.id, codes=list(unpacked.codes or ())).model_dump_json()
    record(store, who.actor, "view", "session", row.id, detail=part)
    return Response(body, media_type="application/json", headers={"ETag": tag})


def etag_of(record: SessionRecord, part: str) -> str:
    """A strong ETag of the session's stored analysis (changes whenever it does)."""
    digest = hashlib.sha256((record.analysis_json or "").encode("utf-8")).hexdigest()
    return f'"{part[0]}{record.id}-{digest[:32]}"'


def _matches(header: str, tag: str) -> bool:
    """Whether ``If-None-Match`` names ``tag`` (or ``*``); weak tags compare by value."""
    given = [t.strip().removeprefix("W/") for t in header.split(",")]
    return "*" in given or tag in given
