"""Errors the store raises on purpose; messages carry ids and field names, never content."""

from __future__ import annotations

from edgewise.errors import EdgewiseError

__all__ = ["ConflictError", "InvalidRecordError", "NotFoundError", "ReadOnlyError", "StoreError"]


class StoreError(EdgewiseError):
    """Base of the store's errors."""

    code = "E300"


class NotFoundError(StoreError):
    """No such record, or not one the asking user may see (the two read the same)."""

    code = "E301"


class ConflictError(StoreError):
    """The record would clash with one that exists (a taken username, a session number)."""

    code = "E302"


class InvalidRecordError(StoreError):
    """A value given to the store cannot be stored (bad JSON, unknown status, ...)."""

    code = "E303"


class ReadOnlyError(StoreError):
    """The client is shared with the asking user to read, not to add to."""

    code = "E304"
