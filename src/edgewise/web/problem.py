"""Problem details (RFC 9457) for coded errors: how the JSON API says what went wrong.

A problem is ``{"type", "title", "status", "detail", "code"}``: ``type`` identifies the
code (``urn:edgewise:error:E301``; docs/errors.md explains each), ``title`` is the
catalogue's one-line meaning, ``status`` its HTTP status, ``detail`` the rendered
error (code, file or id, what is wrong; never transcript text) and ``code`` the code
itself. Everything comes from the error catalogue (:mod:`edgewise.error_codes`).
"""

from __future__ import annotations

from collections.abc import Mapping

from fastapi.responses import JSONResponse

from edgewise.errors import EdgewiseError

__all__ = ["PROBLEM_JSON", "TYPE_PREFIX", "problem", "problem_response"]

#: The media type of a problem details document.
PROBLEM_JSON = "application/problem+json"
#: ``type`` is this prefix and the code: stable, and not a link (edgewise has no site).
TYPE_PREFIX = "urn:edgewise:error:"


def problem(err: EdgewiseError) -> dict[str, str | int]:
    """The problem details of ``err``: type, title, status, detail and code."""
    entry = err.entry
    return {
        "type": f"{TYPE_PREFIX}{err.code}",
        "title": entry.title,
        "status": entry.http_status,
        "detail": err.render(),
        "code": err.code,
    }


def problem_response(
    err: EdgewiseError, *, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """``err`` as an ``application/problem+json`` response with the code's HTTP status."""
    body = problem(err)
    return JSONResponse(
        body, status_code=err.entry.http_status, headers=headers, media_type=PROBLEM_JSON
    )
