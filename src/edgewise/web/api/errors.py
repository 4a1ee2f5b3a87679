"""The REST API's own coded errors (E350-E355; see :mod:`edgewise.error_codes`).

Everything else an API route refuses is an error edgewise has already: a record that is
missing or not the caller's (E301), a client shared read-only (E304), a file already
uploaded (E330), an upload that cannot be read (E1xx).
"""

from __future__ import annotations

from edgewise.errors import EdgewiseError, InputError

__all__ = [
    "MethodNotAllowedError",
    "NoAnalysisError",
    "RateLimitedError",
    "RequestError",
    "TokenError",
    "TokenScopeError",
]


class TokenError(EdgewiseError):
    """No token sent, or one that opens nothing (unknown, revoked, expired): 401."""

    code = "E350"


class TokenScopeError(EdgewiseError):
    """A read-only token asked to change something: 403."""

    code = "E351"


class RateLimitedError(EdgewiseError):
    """The token's requests are over the rate limit: 429 with ``Retry-After``."""

    code = "E352"

    def __init__(self, seconds: int) -> None:
        super().__init__(seconds=seconds)
        self.seconds = seconds


class RequestError(InputError):
    """A parameter or body field is missing, malformed or out of range: 422."""

    code = "E353"


class MethodNotAllowedError(EdgewiseError):
    """The route exists but does not take the method: 405."""

    code = "E354"


class NoAnalysisError(EdgewiseError):
    """The session is not analysed (yet): 409."""

    code = "E355"
