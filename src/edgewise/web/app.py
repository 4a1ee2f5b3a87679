"""The web app: ``create_app(store)`` builds the FastAPI application.

Security in one place (see the route modules for the rest):

* every clinical route depends on the signed-in user (pages redirect to ``/login``,
  API and exports answer 401) and reads through the store's per-user filters, so another
  clinician's record is a 404;
* the session cookie is signed (Starlette's SessionMiddleware, itsdangerous), HttpOnly,
  SameSite=Lax, Secure when ``secure_cookies``; every POST checks the session's CSRF token;
  the cookie carries the user's session epoch, which sign-out and a new password move on
  (in the database), so an old cookie stays refused after a restart;
* pages are server-rendered with autoescaping, under a CSP that runs only this server's
  scripts; the analysis report runs in a sandboxed frame with its own CSP;
* the REST API (``/api/v1``, :mod:`edgewise.web.api`) opens with a personal access
  token (``Authorization: Bearer``), never the cookie, so it needs no CSRF token; its
  calls go through the same services, under the same per-user rules, audited;
* a coded error a route lets through answers its catalogue HTTP status (an HTML page,
  or problem details for the API); unexpected errors are logged by type and place only
  (never their message).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from edgewise.errors import EdgewiseError, FileTooLargeError
from edgewise.readers import MAX_BYTES
from edgewise.services.config import ENV_SECRET_KEY, trusted_networks
from edgewise.services.measures import sync_shipped
from edgewise.services.throttle import LoginThrottle
from edgewise.services.worker import AnalysisWorker
from edgewise.store import Store
from edgewise.web import (
    account,
    admin,
    auth,
    clients,
    exports,
    goals,
    growing_edge,
    journal,
    measures,
    prepare,
    risk,
    sessions,
    supervision,
    two_factor,
)
from edgewise.web.access_log import drop_queries
from edgewise.web.api import API_PREFIX, create_api
from edgewise.web.api.problems import problem_json
from edgewise.web.deps import LoginRequired, WebContext
from edgewise.web.problem import problem_response
from edgewise.web.scratch import clean_leftovers, default_upload_dir, private_dir
from edgewise.web.security import ErrorScrubber, SecurityHeaders, log, new_token
from edgewise.web.templating import render

if TYPE_CHECKING:
    from edgewise.coding.coder import Coder

__all__ = ["COOKIE_NAME", "MAX_BODY_BYTES", "PUBLIC_PATHS", "BodyLimit", "create_app"]

COOKIE_NAME = "edgewise_session"
#: Sign-ins last this long (seconds), then the clinician signs in again.
SESSION_MAX_AGE = 12 * 60 * 60
#: A request body larger than this is refused (an upload plus room for the form).
MAX_BODY_BYTES = MAX_BYTES + 1024 * 1024
#: Routes anyone may reach; every other route needs a signed-in user (``/login/code``
#: needs a right password in the same browser in the last five minutes).
PUBLIC_PATHS = frozenset(
    {"/", "/login", "/login/code", "/logout", "/healthz", "/static/vendor/chart.umd.min.js"}
)


class BodyLimit:
    """ASGI middleware: 413 for a request body over ``limit`` bytes (declared or streamed)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(scope)(scope, receive, send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise HTTPException(status_code=413, detail="Too large.")
            return message

        await self.app(scope, counting_receive, send)


def _too_large(scope: Scope) -> Response:
    """The 413 of a body declared too large: problem details (E104) for the API."""
    if str(scope.get("path", "")).startswith(API_PREFIX + "/"):
        limit = MAX_BYTES // (1024 * 1024)
        return problem_json(FileTooLargeError(f"the request is larger than {limit} MiB"))
    return Response("Too large.", status_code=413)


@cache
def _chartjs() -> bytes:
    return (resources.files("edgewise.report") / "static" / "chart.umd.min.js").read_bytes()


def create_app(
    store: Store,
    *,
    secret_key: str | None = None,
    analyse_inline: bool = False,
    secure_cookies: bool = False,
    coder_factory: Callable[[], Coder] | None = None,
    trusted_proxies: Sequence[str] = (),
    upload_dir: Path | None = None,
    analysis_workers: int | None = None,
) -> FastAPI:
    """The web app on ``store`` (migrated already); ``analyse_inline`` analyses in the request.

    ``analysis_workers``: threads analysing uploads (default ``$EDGEWISE_ANALYSIS_WORKERS``,
    else one per four cores; see :mod:`edgewise.services.worker`).

    Uploads are read in the private ``upload_dir`` (default: one in the system temp
    folder); each start removes what a killed server left there.
    """
    secret = secret_key or os.environ.get(ENV_SECRET_KEY) or new_token()
    worker = AnalysisWorker(
        store, inline=analyse_inline, coder_factory=coder_factory, workers=analysis_workers
    )
    drop_queries()  # no query string (an alias search) in the access log
    proxies = trusted_networks(trusted_proxies)  # whose X-Forwarded-For names the client
    ctx = WebContext(store, worker, secure_cookies=secure_cookies, trusted_proxies=proxies)
    uploads = private_dir(upload_dir or default_upload_dir())

    @asynccontextmanager
    async def lifespan(running: FastAPI) -> AsyncIterator[None]:
        clean_leftovers(running.state.upload_dir)
        worker.recover()
        yield
        worker.stop()

    app = FastAPI(
        title="edgewise",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        lifespan=lifespan,
    )
    app.state.ctx = ctx
    app.state.upload_dir = uploads
    app.state.throttle = LoginThrottle()
    sync_shipped(store)
    _routes(app)
    app.mount(API_PREFIX, create_api(ctx, uploads))
    _handlers(app)
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=COOKIE_NAME,
        max_age=SESSION_MAX_AGE,
        same_site="lax",
        https_only=secure_cookies,
    )
    app.add_middleware(BodyLimit)
    app.add_middleware(ErrorScrubber)
    app.add_middleware(SecurityHeaders)
    return app


def _routes(app: FastAPI) -> None:
    pages = (auth, clients, sessions, measures, exports, risk, account, admin, journal)
    for module in (*pages, growing_edge, goals, prepare, supervision, two_factor):
        app.include_router(module.router)
    app.mount("/static/app", StaticFiles(packages=[("edgewise.web", "static")]), name="static")

    @app.get("/static/vendor/chart.umd.min.js", include_in_schema=False)
    def chartjs() -> Response:
        headers = {"Cache-Control": "public, max-age=86400"}
        return Response(_chartjs(), media_type="text/javascript", headers=headers)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> Response:
        return JSONResponse({"ok": True})


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    def login_required(request: Request, exc: LoginRequired) -> Response:
        if exc.api:
            return JSONResponse({"detail": "Sign in first."}, status_code=401)
        target = request.url.path
        if request.method == "GET" and request.url.query:
            target += "?" + request.url.query
        from urllib.parse import quote

        return RedirectResponse(f"/login?next={quote(target, safe='/')}", status_code=303)

    @app.exception_handler(EdgewiseError)
    def coded(request: Request, exc: EdgewiseError) -> Response:
        """A coded error a route let through: the catalogue's HTTP status, the coded line
        (ids and names, never text) as a page or as problem details."""
        status = exc.entry.http_status
        if status >= 500:
            log.error("coded error: %s", exc.render())
        if "text/html" not in request.headers.get("accept", ""):
            return problem_response(exc)
        context = {"status": status, "detail": exc.render()}
        return render(request, "error.html", context, status_code=status)

    @app.exception_handler(HTTPException)
    def http_error(request: Request, exc: HTTPException) -> Response:
        accepts_html = "text/html" in request.headers.get("accept", "")
        if not accepts_html:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        context = {"status": exc.status_code, "detail": exc.detail}
        return render(request, "error.html", context, status_code=exc.status_code)
