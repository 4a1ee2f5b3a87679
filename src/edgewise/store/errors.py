"""Errors the store raises on purpose; messages carry ids and field names, never content.

Their exit and HTTP statuses (E301 is a 404, E304 a 403, ...) are in the error
catalogue, :mod:`edgewise.error_codes`.
"""

from __future__ import annotations

from edgewise.errors import EdgewiseError

__all__ = [
    "AccountInUseError",
    "ConflictError",
    "InvalidRecordError",
    "NotFoundError",
    "ReadOnlyError",
    "StoreError",
]


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


class AccountInUseError(StoreError):
    """An account cannot be removed while it owns clients."""

    code = "E360"
