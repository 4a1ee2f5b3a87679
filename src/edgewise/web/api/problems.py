"""Every refusal of the API as ``application/problem+json`` with its edgewise error code.

Coded errors a route raises answer their catalogue status (:mod:`edgewise.web.problem`);
the framework's own refusals are coded here too: an unknown path is E301 (404), a method
the route does not take E354 (405, with ``Allow``), a body or parameter that is not valid
E353 (422, each field named, never its value), a body over the size limit E104 (413).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException

from edgewise.error_codes import error_code
from edgewise.errors import EdgewiseError, FileTooLargeError
from edgewise.readers import MAX_BYTES
from edgewise.store import NotFoundError
from edgewise.web.api.errors import (
    MethodNotAllowedError,
    RateLimitedError,
    RequestError,
    TokenError,
)
from edgewise.web.api.models import Problem
from edgewise.web.problem import PROBLEM_JSON, TYPE_PREFIX, problem
from edgewise.web.security import log

__all__ = ["add_handlers", "coded_problem", "problem_json", "refusals"]

_CODED = re.compile(r"^(E\d{3}) ")

#: What each refusal status means, for the schema's response descriptions.
_MEANING = {
    400: "The upload cannot be read (E1xx: what is wrong, and where), or a journal entry or "
    "answer is not valid (E451, E452), or a goal, step or follow-through is not (E480), or "
    "a supervision comment is not (E490).",
    401: "No valid API token (E350).",
    403: "The token may only read (E351), the client is shared read-only (E304), or the "
    "supervision comment is not the caller's to start or remove (E491).",
    404: "No such record, or not one the token's user may see (E301); no such exercise (E454).",
    405: "The route does not take this method (E354).",
    409: "A conflict: the file was uploaded already (E330), or no analysis yet (E355).",
    413: "The upload is over the size limit (E104).",
    422: "A parameter or field is missing, malformed or out of range (E353).",
    429: "Too many requests with this token (E352); see Retry-After.",
}

#: The headers a refusal always carries.
_HEADERS: dict[int, dict[str, Any]] = {
    401: {
        "WWW-Authenticate": {
            "description": "The scheme to use: Bearer.",
            "required": True,
            "schema": {"type": "string"},
        }
    },
    429: {
        "Retry-After": {
            "description": "Whole seconds until the token may make a request again.",
            "required": True,
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


def refusals(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` entry of a route for these refusal statuses (always 401, 422, 429)."""
    chosen = sorted({401, 422, 429, *statuses})
    return {
        status: {"model": Problem, "description": _MEANING[status]}
        | ({"headers": _HEADERS[status]} if status in _HEADERS else {})
        for status in chosen
    }


def problem_json(err: EdgewiseError, extra: dict[str, Any] | None = None) -> JSONResponse:
    """``err`` as problem details, with the headers its refusal calls for."""
    headers: dict[str, str] = {}
    if isinstance(err, TokenError):
        headers["WWW-Authenticate"] = 'Bearer realm="edgewise"'
    if isinstance(err, RateLimitedError):
        headers["Retry-After"] = str(err.seconds)
    body: dict[str, Any] = dict(problem(err))
    body.update(extra or {})
    return JSONResponse(
        body, status_code=err.entry.http_status, headers=headers, media_type=PROBLEM_JSON
    )


def coded_problem(message: str, extra: dict[str, Any] | None = None) -> JSONResponse:
    """Problem details for a coded message made elsewhere (an upload's error, the notice of
    a file uploaded before): its code's title and HTTP status, the message as detail."""
    found = _CODED.match(message)
    entry = error_code(found.group(1) if found else "E100")
    body: dict[str, Any] = {
        "type": f"{TYPE_PREFIX}{entry.code}",
        "title": entry.title,
        "status": entry.http_status,
        "detail": message if found else f"{entry.code} {message}",
        "code": entry.code,
        **(extra or {}),
    }
    return JSONResponse(body, status_code=entry.http_status, media_type=PROBLEM_JSON)


def add_handlers(api: FastAPI) -> None:
    """Register the handlers that turn every refusal into problem details."""

    @api.exception_handler(EdgewiseError)
    def coded(request: Request, exc: EdgewiseError) -> Response:
        if exc.entry.http_status >= 500:
            log.error("coded error: %s", exc.render())  # ids only
        return problem_json(exc)

    @api.exception_handler(RequestValidationError)
    def not_valid(request: Request, exc: RequestValidationError) -> Response:
        fields = [_field(error) for error in exc.errors()]
        where = "; ".join(f"{'.'.join(map(str, f['loc']))}: {f['msg']}" for f in fields[:5])
        return problem_json(RequestError(where or "the request is not valid"), {"errors": fields})

    @api.exception_handler(HTTPException)
    def framework(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 404:
            return problem_json(NotFoundError("no such route"))
        if exc.status_code == 405:
            response = problem_json(MethodNotAllowedError(method=request.method))
            response.headers["Allow"] = ", ".join(_allowed(request))
            return response
        if exc.status_code == 413:
            limit = MAX_BYTES // (1024 * 1024)
            return problem_json(FileTooLargeError(f"the request is larger than {limit} MiB"))
        return problem_json(RequestError(f"the request cannot be read ({exc.status_code})"))


def _allowed(request: Request) -> list[str]:
    """Every method the request's path takes (Starlette names only its first route's)."""
    root, path = request.scope.get("root_path", ""), request.scope["path"]
    path = path.removeprefix(root) if root else path
    methods: set[str] = set()
    for route in request.app.state.routes:
        if isinstance(route, APIRoute) and route.path_regex.match(path):
            methods |= route.methods or set()
    return sorted(methods)


def _field(error: Any) -> dict[str, Any]:
    """A validation error's place and message; its input (maybe clinical text) is left out."""
    return {
        "loc": [p for p in error.get("loc", ()) if isinstance(p, str | int)],
        "msg": str(error.get("msg", "not valid")),
    }
