"""Uvicorn's access log without query strings: methods, paths and statuses only.

Paths hold record ids, never clinical text; a query may not (``/clients?q=`` searches
by alias, and ``/login?next=`` repeats the page asked for with its query), so the
query string is cut from every access record before it is formatted, whatever
handlers and formatters the server was configured with.
"""

from __future__ import annotations

import logging

__all__ = ["ACCESS_LOGGER", "DropQuery", "drop_queries"]

#: The logger uvicorn writes one record per request to.
ACCESS_LOGGER = "uvicorn.access"


class DropQuery(logging.Filter):
    """Cuts ``?...`` from the path of uvicorn's access records (args: client, method, path,
    HTTP version, status)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def drop_queries() -> None:
    """Put :class:`DropQuery` on uvicorn's access logger (once; later calls do nothing)."""
    logger = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, DropQuery) for f in logger.filters):
        logger.addFilter(DropQuery())
