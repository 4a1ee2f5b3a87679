"""The REST API, mounted at ``/api/v1``: JSON over the same services as the pages.

``create_api(ctx, upload_dir)`` builds it as an application of its own (the web app
mounts it), so its schema (``/api/v1/openapi.json``) documents the API routes only and
its refusals are problem details. Calls authenticate with a personal access token
(:mod:`edgewise.web.api.auth`); the web app's middleware (size limit, security headers,
error scrubbing) runs around it as around every page. docs/api.md has the whole story.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.routing import Mount

from edgewise.web.api import (
    alerts,
    clients,
    goals,
    journal,
    language,
    measures,
    prepare,
    sessions,
    supervision,
)
from edgewise.web.api.problems import add_handlers
from edgewise.web.api.ratelimit import RateLimiter
from edgewise.web.deps import WebContext
from edgewise.web.problem import PROBLEM_JSON

__all__ = ["API_PREFIX", "api_of", "create_api"]

API_PREFIX = "/api/v1"
_DESCRIPTION = (
    "Clients, sessions, analyses, measures and alerts of the clinician whose personal "
    "access token is sent as `Authorization: Bearer ew_...`. Refusals are "
    "`application/problem+json` with an edgewise error code. See docs/api.md."
)


def create_api(ctx: WebContext, upload_dir: Path, *, limiter: RateLimiter | None = None) -> FastAPI:
    """The API application on the web app's context; ``limiter``: the per-token rate."""
    api = FastAPI(
        title="edgewise API",
        version="1",
        description=_DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    api.state.ctx = ctx
    api.state.upload_dir = upload_dir
    api.state.limiter = limiter or RateLimiter()
    api.state.routes = []  # the API's own routes, for the Allow header of a 405
    routers = (clients, sessions, measures, alerts, journal, language, prepare, goals)
    for module in (*routers, supervision):
        api.include_router(module.router)
        api.state.routes += module.router.routes
    add_handlers(api)

    def schema() -> dict[str, Any]:
        if api.openapi_schema is None:
            api.openapi_schema = _problem_media(
                get_openapi(
                    title=api.title,
                    version=api.version,
                    description=api.description,
                    routes=api.routes,
                    servers=api.servers,
                )
            )
        return api.openapi_schema

    api.openapi = schema  # type: ignore[method-assign]
    return api


def api_of(app: FastAPI) -> FastAPI:
    """The API application mounted in the web app ``app`` (to set its rate limit, say)."""
    for route in app.routes:
        if isinstance(route, Mount) and route.path == API_PREFIX and isinstance(route.app, FastAPI):
            return route.app
    raise LookupError(f"no API mounted at {API_PREFIX}")


def _problem_media(document: dict[str, Any]) -> dict[str, Any]:
    """Refusals (4xx) documented as ``application/problem+json``, as they are sent."""
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            for status, response in operation.get("responses", {}).items():
                content = response.get("content", {})
                if status.startswith("4") and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
    return document
