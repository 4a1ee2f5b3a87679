"""The Jinja2 environment of the web pages: autoescaping always on, strict undefined."""

from __future__ import annotations

import datetime as dt
import json
import math
from functools import cache
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from edgewise.web.deps import csrf_token

__all__ = ["entered", "environment", "json_for_script", "render"]


def _num(value: float | None, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:.{digits}f}"


def _total(value: float | None) -> str:
    """A measure total: ``12`` or ``9.5``."""
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value:g}" if float(value).is_integer() else f"{value:.1f}"


def _pct(value: float | None) -> str:
    if value is None or not math.isfinite(value):
        return "—"
    return f"{value * 100:.0f}%"


def _date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return value.isoformat()


def entered(value: dt.date | dt.datetime) -> str:
    """A day or a time of day as the clinician entered it: ``2024-02-03`` or
    ``2024-02-03 14:30`` (no zone is added to a time given without one)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            return _date(value)
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def json_for_script(data: object) -> Markup:
    """JSON safe inside ``<script type="application/json">`` (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e")):
        text = text.replace(char, escaped)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


@cache
def environment() -> jinja2.Environment:
    """The page environment (templates in ``edgewise/web/templates``)."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("edgewise.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["num"] = _num
    env.filters["pct"] = _pct
    env.filters["total"] = _total
    env.filters["date"] = _date
    env.filters["entered"] = entered
    return env


def render(
    request: Request, name: str, context: dict[str, Any], *, status_code: int = 200
) -> HTMLResponse:
    """The page ``name`` with ``context`` plus the signed-in user and the CSRF token."""
    page_context = {
        "user": getattr(request.state, "user", None),
        "csrf_token": csrf_token(request),
        "path": request.url.path,
        **context,
    }
    html = environment().get_template(name).render(page_context)
    return HTMLResponse(html, status_code=status_code)
