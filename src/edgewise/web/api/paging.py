"""Pages of a list: ``?limit=`` items at a time, ``?cursor=`` from the previous ``next``.

A cursor is opaque to the caller: follow ``next`` (path and query, None on the last
page) rather than building one. Clients are paged by id, so a page never repeats or
skips a client when others are added meanwhile; a client's sessions and alerts (a few
hundred at most) are paged by position in their order.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar
from urllib.parse import urlencode

from fastapi import Query, Request

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "Cursor", "Limit", "next_link", "slice_page"]

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 200

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Items per page (1 to {MAX_LIMIT}).")]
Cursor = Annotated[
    str | None,
    Query(
        pattern=r"^[0-9]{1,18}$",
        description="Where the page starts: the cursor of the previous page's `next` link.",
    ),
]


def next_link(request: Request, cursor: int | None, limit: int) -> str | None:
    """The path and query of the next page (the request's other parameters kept)."""
    if cursor is None:
        return None
    params = {k: v for k, v in request.query_params.items() if k not in ("cursor", "limit")}
    params |= {"limit": str(limit), "cursor": str(cursor)}
    root, path = request.scope.get("root_path", ""), request.scope["path"]
    if not path.startswith(root):  # a mounted app's path is the whole path on newer Starlette
        path = root + path
    return f"{path}?{urlencode(params)}"


def slice_page(items: Sequence[T], cursor: str | None, limit: int) -> tuple[list[T], int | None]:
    """The page of ``items`` starting at the position ``cursor``, and the next cursor."""
    start = int(cursor) if cursor else 0
    page = list(items[start : start + limit])
    following = start + limit if start + limit < len(items) else None
    return page, following
